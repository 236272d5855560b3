"""Finding references in prose: `find_references`."""

from __future__ import annotations

import dataclasses
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from manna.scripture.canon import INNER_NUMBERS, Book, Canon, canon, key_from_tokens, versification
from manna.scripture.fuzzy import closest_name
from manna.scripture.parser.grammar import _book_at, _gaps_ok, _name_at, _Reader, _Reject, _State
from manna.scripture.parser.lexicon import (
    _BOOK_GAP,
    _CV,
    _DIGITS,
    _NEXT_WORD,
    _NUMBER,
    _ORDINAL_CHAPTER_OF,
    _ORDINAL_PSALM,
    _PASTED_TAIL,
    _SEPARATOR,
    _TIME_AFTER,
    _WHOLE_BOOK_LEAD,
    _WORD,
    CHAPTER_MARKERS,
    CONTINUATION_WORDS,
    LEAD_STEMS,
    MARKERS,
    QUANTITY_WORDS,
    VERSE_MARKERS,
)
from manna.scripture.parser.options import DEFAULT_OPTIONS, ParseOptions
from manna.scripture.parser.strict import parse_reference
from manna.scripture.reference import Reference, VerseRange, split_id


@dataclass(frozen=True, slots=True)
class Match:
    """One reference found in prose: its character span, the text there, and the passage.

    `in_passing`: named in passing (in parentheses, after "see", "cf." or "compare", or as
    a quotation's attribution), so not the passage later relative references are about."""

    start: int
    end: int
    text: str
    reference: Reference
    in_passing: bool = False

    def osis(self) -> str:
        return self.reference.osis()


@dataclass(slots=True)
class _Found:
    book: Book | None  # None for a relative marker
    start: int  # where the name (or marker) starts
    marker: Literal["chapter", "verse"] | None = None


_BARE_CV = re.compile(r"\d{1,3}:[1-9]\d{0,2}(?![\d:])")  # "4:05" is a time, never a verse
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")
_TIME_WORDS = frozenset(
    {"at", "by", "until", "till", "til", "around", "about", "before", "after", "since", "past"}
)


class _Finder:
    def __init__(self, text: str, context: Reference | None, options: ParseOptions):
        self.text = text
        self.options = options
        self.canon = canon()
        self.v11n = versification(options.versification)
        self.reader = _Reader(text, options, self.v11n, strict=False)
        self.current: tuple[Book, int] | None = None
        if context is not None:
            b, c, _ = split_id(context.first)
            self.current = (self.canon.by_number[b], c)

    def run(self) -> list[Match]:
        text = self.text
        matches: list[Match] = []
        consumed = 0
        triggers: Iterable[re.Match[str]] = _DIGITS.finditer(text)
        if leads := _whole_book_leads(text):  # rare: only then merge
            triggers = heapq.merge(triggers, leads, key=lambda m: m.start())
        for m in triggers:
            if m.start() < consumed:
                continue
            match = self._at_lead(m) if m.re is _WHOLE_BOOK_LEAD else self._at_number(m, consumed)
            if match is None:
                continue
            if _in_passing(text, match.start):
                match = dataclasses.replace(match, in_passing=True)
            matches.append(match)
            consumed = match.end
            if match.in_passing and self.current is not None:
                continue  # the passage under discussion stays what "v. 17" is about
            last = match.reference.ranges[-1]
            # After a whole book ("the book of Jude, v. 3") a verse is read in its first chapter.
            b, c, _ = split_id(last.start if m.re is _WHOLE_BOOK_LEAD else last.end)
            self.current = (self.canon.by_number[b], c)
        return matches

    def _at_number(self, m: re.Match[str], consumed: int) -> Match | None:
        """The reference a run of digits belongs to, if any."""
        found = self._look_back(m.start(), consumed)
        if found is not None:
            return self._read(m.start(), found)
        if self._bare_chapter_verse(m):
            # "see 4:7" in a devotion on Exodus 33 is Exodus 4:7.
            return self._read(m.start(), _Found(None, m.start(), "chapter"))
        ordinal = self._ordinal_chapter(m)
        if ordinal is None:
            return None
        return self._read_ordinal_chapter(m, *ordinal)

    def _at_lead(self, lead: re.Match[str]) -> Match | None:
        """ "the book of Ruth", "the books of Obadiah and Jonah": books named whole.

        A name followed by a number is left to the number ("the book of Ruth 2").
        """
        ranges: list[VerseRange] = []
        at = end = lead.end()
        while (named := _name_at(self.text, at, self.canon.names)) is not None:
            book, name_end = named
            if not self._strong_enough_alone(book, at) or not self.v11n.has_book(book):
                break
            if _book_at(self.text, at, self.canon.names) is not None:
                break
            ranges.append(VerseRange.whole_book(book, self.v11n))
            end = name_end
            sep = _SEPARATOR.match(self.text, end)
            if sep is None:
                break
            at = sep.end()
        if not ranges:
            return None
        return self._match(lead.end(), end, ranges)

    def _look_back(self, s: int, consumed: int) -> _Found | None:
        text = self.text
        if s > 0 and text[s - 1].isdigit():
            return None
        window_start = max(consumed, s - 72)
        words = list(_WORD.finditer(text, window_start, s))
        if not words:
            return None
        last = words[-1]
        gap = _BOOK_GAP.match(text, last.end())
        if gap is None or gap.end() != s:
            return None
        # Longest name first: "Song of Solomon 2" before "Solomon 2"; only the lengths of
        # the names that end in this word are tried (most words end none).
        n = min(len(words), self.canon.max_name_words)
        lowered = last.group().lower()
        for k in _name_lengths(self.canon).get(lowered, ()):
            if k > n:
                continue
            chosen = words[-k:]
            if not _gaps_ok(text, chosen):
                continue
            key = key_from_tokens([w.group().lower() for w in chosen])
            book = self.canon.loose_names.get(key)
            if book is not None:
                if not self._strong_enough(key, chosen, s) or self._prose_number(key, book, s):
                    return None
                return _Found(book, chosen[0].start())
        chapter_verse = self._cv_at(s)
        if chapter_verse:
            stem = self._unnumbered(words[-n:]) or self._pasted_name(last, s)
            if stem is not None:
                return stem
        # "Phlm verse 6", "Proverbs Chap 10": a marker between the name and the number.
        if lowered in MARKERS and len(words) > 1:
            inner = self._look_back(last.start(), consumed)
            if inner is not None and inner.book is not None:
                inner.marker = "verse" if lowered in VERSE_MARKERS else "chapter"
                return inner
        if self.options.relative and self.current is not None:
            if lowered in VERSE_MARKERS:
                return _Found(None, last.start(), "verse")
            if lowered in CHAPTER_MARKERS:
                return _Found(None, last.start(), "chapter")
        if self.options.fuzzy_names and chapter_verse:
            return self._fuzzy(words, s)
        return None

    def _unnumbered(self, words: list[re.Match[str]]) -> _Found | None:
        """ "Timothy 1:1", "Thes.5:11": a first book named without its number."""
        for k in range(len(words), 0, -1):
            chosen = words[-k:]
            if not chosen[0].group()[0].isupper() or not _gaps_ok(self.text, chosen):
                continue
            book = self.canon.unnumbered.get(key_from_tokens([w.group().lower() for w in chosen]))
            if book is not None:
                return _Found(book, chosen[0].start())
        return None

    def _pasted_name(self, word: re.Match[str], s: int) -> _Found | None:
        """ "hugsLuke18:15": a capitalised name pasted onto the word before it."""
        tail = _PASTED_TAIL.search(word.group())
        if tail is None:
            return None
        name = _WORD.match(self.text, word.start() + tail.start())
        assert name is not None
        key = name.group().lower()
        book = self.canon.names.get(key)
        if (
            book is None
            or not self._strong_enough(key, [name], s)
            or self._prose_number(key, book, s)
        ):
            return None
        return _Found(book, name.start())

    def _strong_enough(self, key: str, words: list[re.Match[str]], s: int) -> bool:
        """Weak names ("Mark", "am", "Acts") need a capital letter and a reference-like number."""
        written = words[-1].group()
        if key in self.canon.shared:
            return self.options.shared_abbreviations and written[0].isupper() and self._cv_at(s)
        if self.options.weak_names == "always":
            return True
        if key not in self.canon.weak:
            if len(key) > 3 or not written.islower():
                return True
            # A short lower-case abbreviation ("rev", "gen") needs chapter:verse.
            return self._cv_at(s)
        named = next((w.group() for w in words if w.group()[0].isalpha()), "")
        if self.options.weak_names == "never" or not named[:1].isupper():
            return False  # "1 King 3:1" is capitalised at "King", "Mark 4" at "Mark"
        number = _NUMBER.match(self.text, s)
        if number is None:
            return False
        if _CV.match(self.text, number.end()):
            return self._cv_at(s)  # "Mark 3:15", but not "Mark 3:15 pm"
        following = _NEXT_WORD.match(self.text, number.end())
        return following is None or following.group(1).lower() not in QUANTITY_WORDS

    def _prose_number(self, key: str, book: Book, s: int) -> bool:
        """A bare number after a name that is prose, not a reference: one that counts
        something ("Azariah 3 times", "Susanna 2 years old"), or a chapter after a name
        that is also a word, followed by ordinary words ("Mal 3 wins in a row", "Col 2
        shows the totals", "Job 4 is done")."""
        if self.options.weak_names == "always":
            return False
        number = _NUMBER.match(self.text, s)
        if number is None or _CV.match(self.text, number.end()):
            return False
        following = _NEXT_WORD.match(self.text, number.end())
        if following is None:
            return False
        word = following.group(1)
        if word.lower() in QUANTITY_WORDS:
            return True
        return key in self.canon.weak and word.islower() and word not in CONTINUATION_WORDS

    def _bare_chapter_verse(self, m: re.Match[str]) -> bool:
        """A chapter:verse written without a book ("see 4:7"), read in the book under
        discussion: only with a colon, not glued to a word or number, and not a time."""
        if not self.options.relative or self.current is None:
            return False
        s = m.start()
        before = self.text[s - 1 : s]
        if before and (before.isalnum() or before in ":.,-/"):
            return False
        if not _BARE_CV.match(self.text, s) or not self._cv_at(s):
            return False
        word = _LAST_WORD.search(self.text, max(0, s - 40), s)
        if word is None:
            return True
        if word.group(1).lower() in _TIME_WORDS:  # "at 4:30"
            return False
        # "Hezekiah 3:4": a capitalised word just before, inside a sentence, is a name
        # (one the checker reports as unknown), not prose around a bare chapter:verse.
        named = word.group(1)[:1].isupper() and self.text[word.end(1) : s].isspace()
        opening = self.text[: word.start(1)].rstrip()[-1:] in ("", ".", "!", "?", "(", "\n")
        return not named or opening

    def _cv_at(self, s: int) -> bool:
        """The number at `s` is a chapter followed by a verse ("1:1", "1.1"), not a time."""
        number = _NUMBER.match(self.text, s)
        if number is None or (cv := _CV.match(self.text, number.end())) is None:
            return False
        verse = _NUMBER.match(self.text, cv.end())
        return verse is None or _TIME_AFTER.match(self.text, verse.end()) is None

    def _fuzzy(self, words: list[re.Match[str]], s: int) -> _Found | None:
        for k in range(min(len(words), 4), 0, -1):
            chosen = words[-k:]
            if not _gaps_ok(self.text, chosen) or (
                not chosen[-1].group()[0].isupper() and not chosen[0].group()[0].isupper()
            ):
                continue
            key = key_from_tokens([w.group().lower() for w in chosen])
            book = closest_name(key, self.canon, self.options.fuzzy_cutoff)
            if book is not None:
                return _Found(book, chosen[0].start())
        return None

    def _ordinal_chapter(self, m: re.Match[str]) -> tuple[Book, int] | None:
        """ "23rd Psalm", "2nd chapter of Acts": an ordinal chapter before the name.

        Returns the book and where the words after the name begin.
        """
        psalm = _ORDINAL_PSALM.match(self.text, m.end())
        if psalm is not None:
            if _ordinal_suffix(int(m.group())) != psalm.group(1).lower():
                return None
            return self.canon.book("Ps"), psalm.end()
        lead = _ORDINAL_CHAPTER_OF.match(self.text, m.end())
        if lead is None or _ordinal_suffix(int(m.group())) != lead.group(1).lower():
            return None
        named = _name_at(self.text, lead.end(), self.canon.names)
        if named is None or not self._strong_enough_alone(named[0], lead.end()):
            return None
        return named

    def _strong_enough_alone(self, book: Book, pos: int) -> bool:
        """A weak name after "chapter of" still needs its capital ("chapter of Acts")."""
        key = key_from_tokens([w.lower() for w in _WORD.findall(self.text, pos, pos + 40)[:1]])
        return key not in self.canon.weak or self.text[pos].isupper()

    def _read_ordinal_chapter(self, m: re.Match[str], book: Book, pos: int) -> Match | None:
        chapter = int(m.group())
        if not 1 <= chapter <= self.v11n.chapter_count(book):
            return None
        state = _State(book, chapter, "chapter")
        sep = _SEPARATOR.match(self.text, pos)
        at = sep.end() if sep else pos
        marked = self.reader._marker(at)
        if marked and marked[0] == "verse":
            try:
                stop = self.reader.read(marked[1], state, level="verse")
                return self._match(m.start(), stop, state.ranges)
            except _Reject:
                pass
        return self._match(m.start(), pos, [VerseRange.whole_chapter(book, chapter, self.v11n)])

    def _read(self, s: int, found: _Found) -> Match | None:
        if found.book is None:
            assert self.current is not None
            book, chapter = self.current
            state = _State(book, chapter, "verse" if found.marker == "verse" else "chapter")
            level = found.marker
        else:
            state = _State(found.book, chapter_marked=found.marker == "chapter")
            level = "chapter"
            if found.marker == "verse":
                if found.book.chapters_alone:
                    state.chapter, level = 1, "verse"
                elif not _CV.match(
                    self.text,
                    _NUMBER.match(self.text, s).end(),  # type: ignore[union-attr]
                ):
                    return None  # "Genesis verse 6" names no chapter
        try:
            end = self.reader.read(s, state, level=level)
        except _Reject:
            return None
        return self._match(found.start, end, state.ranges)

    def _match(self, start: int, end: int, ranges: list[VerseRange]) -> Match:
        return Match(start, end, self.text[start:end], Reference(tuple(ranges)))


_LENGTHS: dict[int, dict[str, tuple[int, ...]]] = {}


def _name_lengths(names: Canon) -> dict[str, tuple[int, ...]]:
    """For each word a name may end in, the lengths (in words) of the names that end in
    it, longest first: "solomon" -> (3, 1) for "song of solomon" and "solomon"."""
    found = _LENGTHS.get(id(names))
    if found is None:
        lengths: dict[str, set[int]] = {}
        for key in names.loose_names:
            tokens = key.split()
            for last in {tokens[-1], *(w for w, d in INNER_NUMBERS.items() if d == tokens[-1])}:
                lengths.setdefault(last, set()).add(len(tokens))
        found = _LENGTHS[id(names)] = {
            word: tuple(sorted(ks, reverse=True)) for word, ks in lengths.items()
        }
    return found


# Before a reference named in passing: "see", "see also", "cf.", "compare" (with or without
# an opening bracket), or a quotation's closing mark or a dash (an attribution).
_PASSING_BEFORE = re.compile(
    r"(?:\b(?:see(?:[ \t]+also)?|cf\.?|compare)[ \t]*\(?[ \t]*"
    r"|[\"”’][ \t]*[,.;:!?]?[ \t]*(?:[-–—][ \t]*)?\(?[ \t]*"
    r"|(?:^|\n)[ \t>]*[-–—][ \t]*)$",
    re.IGNORECASE,
)


def _in_passing(text: str, start: int) -> bool:
    """Whether the reference at `start` is named in passing: inside parentheses opened in
    its paragraph, after "see"/"cf."/"compare", or as a quotation's attribution."""
    # Within its paragraph, and no farther back than a long sentence or two.
    window = max(0, start - 300)
    paragraph = text.rfind("\n\n", window, start)
    low = paragraph + 2 if paragraph != -1 else window
    if text.rfind("(", low, start) > text.rfind(")", low, start):
        return True
    return _PASSING_BEFORE.search(text, max(low, start - 40), start) is not None


def _whole_book_leads(text: str) -> list[re.Match[str]]:
    """Every "book of", "Gospel of", "letter to" ... in `text`, in order.

    Each lead word is first found by a plain search for its letters after the first
    (case-insensitive patterns without a literal prefix scan prose several times slower).
    """
    leads = []
    for stem in LEAD_STEMS:
        at = text.find(stem, 1)
        while at != -1:
            if lead := _WHOLE_BOOK_LEAD.match(text, at - 1):
                leads.append(lead)
            at = text.find(stem, at + len(stem))
    return sorted(leads, key=lambda m: m.start())


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def find_references(
    text: str, context: Reference | str | None = None, options: ParseOptions = DEFAULT_OPTIONS
) -> list[Match]:
    """Every reference in `text`, in order, each with its span and passage.

    `context` (a Reference or a reference string) is the passage being discussed; relative
    references ("v. 2", "vv. 12-23", "ch. 3") before any other passage is named resolve
    against it, and later ones against the passage last named in the text.
    """
    if isinstance(context, str):
        context = parse_reference(context, options=options)
    return _Finder(text, context, options).run()

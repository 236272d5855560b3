"""Reading references: `parse_reference` (one explicit reference, strict) and
`find_references` (every reference in prose, lenient but precise).

Design: prose is scanned once for runs of digits (a C-level regex), since every
reference worth linking carries a number. For each run not already consumed, a few
tokens are looked at *backwards* for a book name (a dict lookup of the normalised
name) or a marker such as "v." or "ch."; a small hand-written grammar then reads the
reference *forwards* (chapters, verses, ranges, sequences, "ff"). There is no
per-word work in Python, which is what keeps the scanner fast.

Every guess the parser makes is a named field of `ParseOptions`.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from manna.scripture.canon import Book, Versification, canon, key_from_tokens, versification
from manna.scripture.errors import InvalidReferenceError, UnknownBookError
from manna.scripture.fuzzy import closest_name
from manna.scripture.reference import Reference, VerseRange, split_id, verse_id


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """The guesses the parser makes, each with its default."""

    # Versification used to check chapters and verses (see canon.available_versifications()).
    versification: str = "english"
    # Accept a misspelled book name ("Exodis 3:1") in prose when a chapter:verse follows it.
    fuzzy_names: bool = True
    # How similar (0..1) a misspelling must be to a known name to be accepted.
    fuzzy_cutoff: float = 0.75
    # Names that are also English words ("Mark", "Acts", "Job", "am", "is"):
    #   "capitalized": only when capitalised, and a bare chapter only when the next word
    #                  does not read as a quantity ("Acts 2" yes, "Am 5 minutes" no);
    #   "always": treat them like any other name;  "never": ignore them.
    weak_names: Literal["capitalized", "always", "never"] = "capitalized"
    # An abbreviation several books share ("Ma": Matthew, Mark, Malachi; see [shared] in
    # books.toml) reads, capitalised and before a chapter:verse, as the book it most often
    # means ("Ma 1:1" is Matthew 1:1). False: never read.
    shared_abbreviations: bool = True
    # In a single-chapter book, "Jude 3" means verse 3 ("verse") or chapter 3 ("chapter").
    single_chapter_number: Literal["verse", "chapter"] = "verse"
    # Resolve "v. 2", "vv. 12-23", "ch. 3" against the passage last named (or the context).
    relative: bool = True
    # A range ending past the end of its chapter ("John 3:16-40"): "clamp" it to the last
    # verse, or "drop" the reference. A start that does not exist is always dropped.
    past_end: Literal["clamp", "drop"] = "clamp"
    # "Rev 3ff": runs to the end of the book ("book") or only the next chapter ("next").
    chapter_ff: Literal["book", "next"] = "book"
    # "Ps 3 title": the superscription counts as verse 1 (English numbering).
    title_as_verse_one: bool = True
    # "Ezekiel 25-16", "Hebrews 13-15": a hyphen after a chapter, followed by a number that
    # cannot be a later chapter of the book, separates chapter and verse.
    hyphen_as_verse: bool = True
    # "Genesis 50:26-Exodus 1:3": a range may run into a following book at most this many
    # books on (0: never); a farther book after a dash starts a new reference instead.
    book_range_span: int = 2
    # "John 3 16": a space between chapter and verse, in prose, when that verse exists and
    # only punctuation or the end of the text follows ("Psalm 23 4 times" stays chapter 23).
    space_as_verse: bool = True


DEFAULT_OPTIONS = ParseOptions()


@dataclass(frozen=True, slots=True)
class Match:
    """One reference found in prose: its character span, the text there, and the passage."""

    start: int
    end: int
    text: str
    reference: Reference

    def osis(self) -> str:
        return self.reference.osis()


# --- tokens ---------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\d+(?:st|nd|rd|th)?|[^\W\d_]+|&")
_NAME_GAP = re.compile(r"[\s.,\-]{0,3}")  # allowed between the words of a name
_BOOK_GAP = re.compile(r"[\s.:*\-]{0,3}")  # allowed between a name and its first number
_NUMBER = re.compile(r"\d{1,3}(?!\d)")
_CV = re.compile(r"[ \t]*(?::+[,/]?|/|\*|')[ \t]*(?=\d)|\.(?=\d)|(?<=\d)v(?=\d)")
_DASH = re.compile(
    r"[ \t]*\.?(?:[-\u2010-\u2015~]+(?:thru-?|through-?)?|(?:to|through|thru)\b"
    r"|(?<=\d)(?:to|through|thru))[ \t]*",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"[ \t]*(?:(?P<semi>;)|(?P<comma>,|/)"
    r"|(?P<and>&|and\b|cf\.?|compare\b|see also\b|see\b|also\b))[ \t]*",
    re.IGNORECASE,
)
_CHAPTER_MARK = re.compile(
    r"(?:chapters?|chapts?\.?|chpts?\.?|chps?\.?|chaps?\.?|chs?\.?|cha\.?)[ \t]*(?=\d)",
    re.IGNORECASE,
)
_VERSE_MARK = re.compile(r"(?:verses?|vers?\.?|vv\.?|vss?\.?|v\.?)[ \t]*(?=\d)", re.IGNORECASE)
_CHAPTER_TO_VERSE = re.compile(r"[ \t]*[:,\-\u2013\u2014]?[ \t]*")
_PLAIN_HYPHEN = re.compile(r"[ \t]?[-~](?=\d)")
# Between verses of one chapter, in prose: "19:1.8", "13:11:18", "10:32. 33".
_LOOSE_LIST = re.compile(r"[.:](?=\d)|\.[ \t]+(?=\d)")
# What may follow a verse listed after a full stop (not the start of a sentence's words).
_LIST_END = re.compile(r"[ \t]*(?:$|[;,.)\]\n]|[-\u2010-\u2015])")
# "4/18/2009", "2009/4/18": a date is never a reference
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])|\d{4}/\d{1,2}/\d{1,2}(?![\d/])")
_SPACED_VERSE = re.compile(r"[ \t\xa0]{1,2}(\d{1,3})(?=[ \t]*(?:$|[.,;:!?)\]\n]))")
_PASTED_WORD = re.compile(r"[A-Z][a-z]+")
_TIME_AFTER = re.compile(r"[ \t]*[ap]\.?m\b", re.IGNORECASE)  # "3:15 pm" is a time
_PASTED_TAIL = re.compile(r"(?<=[a-z])[A-Z][a-z]+$")
_TITLE = re.compile(r"[ \t]*:?[ \t]*title\b", re.IGNORECASE)
_FF = re.compile(r"[ \t]?ff?\b\.?", re.IGNORECASE)
_PART = re.compile(r"(?:[abc]|ab|bc)(?![^\W\d_])", re.IGNORECASE)
_LETTER_AFTER = re.compile(r"[^\W\d_]")
_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_][\w']*)")
_ORDINAL_CHAPTER_OF = re.compile(
    r"[ \t]?(st|nd|rd|th)[ \t]+chapter[ \t]+of[ \t]+(?:the[ \t]+(?:book[ \t]+of[ \t]+)?)?",
    re.IGNORECASE,
)
# Words that introduce a book named whole, without numbers ("the book of Ruth", "the
# Gospel according to Luke", "the letter to the Hebrews"; not "the letter of John", which
# could be any of three).
_WHOLE_BOOK_LEAD = re.compile(
    r"\b(?:books?[ \t]+of|gospel[ \t]+(?:of|according[ \t]+to)|(?:letters?|epistles?)[ \t]+to)"
    r"[ \t]+(?:the[ \t]+)?(?:(?:st\.?|saint)[ \t]+)?",
    re.IGNORECASE,
)
_ORDINAL_PSALM = re.compile(r"[ \t]?(st|nd|rd|th)[ \t]+psalm\b", re.IGNORECASE)

CHAPTER_MARKERS = frozenset(
    {"chapter", "chapters", "chapt", "chapts", "chpt", "chpts", "chp", "chps", "chap", "chaps"}
    | {"ch", "chs", "cha"}
)
VERSE_MARKERS = frozenset({"verse", "verses", "ver", "vers", "vv", "vs", "vss", "v"})
MARKERS = CHAPTER_MARKERS | VERSE_MARKERS

# Words that, after a bare number, show the number is a quantity and not a chapter.
QUANTITY_WORDS = frozenset(
    [
        "of",
        "minutes",
        "minute",
        "mins",
        "min",
        "hours",
        "hour",
        "hrs",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "years",
        "year",
        "yrs",
        "times",
        "people",
        "persons",
        "men",
        "women",
        "kids",
        "children",
        "percent",
        "pm",
        "am",
        "o'clock",
        "oclock",
        "points",
        "dollars",
        "miles",
        "km",
        "seconds",
        "secs",
        "and-a-half",
        "more",
        "less",
        "or",
    ]
)


@dataclass(slots=True)
class _Point:
    chapter: int
    verse: int | None  # None: the whole chapter
    part: str = ""


@dataclass(slots=True)
class _State:
    """Where a reference is being read: its book and current chapter."""

    book: Book
    chapter: int | None = None
    level: Literal["chapter", "verse"] = "chapter"
    ranges: list[VerseRange] = field(default_factory=list)
    # The first number was introduced as a chapter ("Jude chapter 1"), even in a
    # single-chapter book.
    chapter_marked: bool = False


class _Reject(Exception):
    """Internal: the text at this point is not (or no longer) a valid reference."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the grammar ----------------------------------------------------------------------


class _Reader:
    """Reads chapters and verses forwards from a position, for one book."""

    def __init__(self, text: str, options: ParseOptions, v11n: Versification, strict: bool):
        self.names = canon().names if strict else canon().loose_names
        self._dash_at = 0
        self.text = text
        self.options = options
        self.v11n = v11n
        self.strict = strict

    def read(
        self, pos: int, state: _State, *, level: Literal["chapter", "verse"] | None = None
    ) -> int:
        """Read a sequence of items from `pos`; returns the end of the last item read.

        The first item must succeed (or _Reject is raised); later items are read while a
        separator and a number follow, and reading stops quietly before one that fails
        (in strict mode it raises instead).
        """
        end = self._item(pos, state, level or state.level)
        state.chapter_marked = False
        end = self._verse_of_chapter(end, state)
        while True:
            sep = _SEPARATOR.match(self.text, end)
            next_level: Literal["chapter", "verse"] = state.level
            at = end
            checkpoint = list(state.ranges), state.chapter, state.level
            sentence_break = False
            if sep:
                at = sep.end()
                if sep.group("semi"):
                    next_level = "chapter"
                    if self._semicolon_as_verse(end, state):
                        state.ranges.pop()  # "2 Timothy 3;1-5": a typo for 3:1-5
                        next_level = "verse"
            elif not self.strict and state.level == "verse":
                loose = _LOOSE_LIST.match(self.text, end)
                if loose:  # "Psalm 19:1.8", "Rev 13:11:18", "Matthew 10:32. 33"
                    sep, at = loose, loose.end()
                    sentence_break = not loose.group().startswith(":") and len(loose.group()) > 1
            marked = self._marker(at)
            if marked:
                next_level, at = marked
            elif not sep:
                break
            other = self._book_ahead(at) if sep else None
            if other is not None and self.strict:
                # One explicit reference may run on into another book: "Gen 1:1; Exod 2:3".
                state.book, state.chapter, state.level = other[0], None, "chapter"
                at, next_level = other[1], "chapter"
            elif other is not None or not _NUMBER.match(self.text, at):
                break  # in prose, "Colossians 2:9-10a, 2 Cor 3:18": the 2 starts another match
            elif self.strict and sep and _name_at(self.text, at, self.names):
                break  # "Genesis 1; 2 Chronicles": a whole book follows
            try:
                item_end = self._item(at, state, next_level)
                if sentence_break and not _LIST_END.match(self.text, item_end):
                    raise _Reject("a number after a full stop starts a new sentence")
                end = item_end
            except _Reject:
                if self.strict:
                    raise
                state.ranges[:], state.chapter, state.level = checkpoint
                break
        return end

    def _semicolon_as_verse(self, pos: int, state: _State) -> bool:
        """ "Isaiah 5;20b": a semicolon glued between a lone first chapter and a verse."""
        text = self.text
        if not (0 < pos < len(text) - 1 and text[pos - 1].isdigit() and text[pos + 1].isdigit()):
            return False
        if len(state.ranges) != 1 or not state.ranges[0].whole_chapters:
            return False
        first = state.ranges[0]
        if first.start != verse_id(*split_id(first.end)[:2], 1):
            return False  # a range of chapters
        after = _NUMBER.match(text, pos + 1)
        assert after is not None
        book, chapter, _ = split_id(first.start)
        exists = int(after.group()) <= self.v11n.verse_count(canon().by_number[book], chapter)
        return exists and not _CV.match(text, after.end())

    def _verse_of_chapter(self, end: int, state: _State) -> int:
        """ "Isaiah 54 Verse 15-17", "John 4 - v22": verses named after a lone chapter."""
        last = state.ranges[-1]
        if not last.whole_chapters or split_id(last.start)[:2] != split_id(last.end)[:2]:
            return end
        lead = _CHAPTER_TO_VERSE.match(self.text, end)
        marked = self._marker(lead.end()) if lead else None
        if marked is None or marked[0] != "verse":
            return end
        checkpoint = state.ranges.pop()
        state.level = "verse"
        try:
            return self._item(marked[1], state, "verse")
        except _Reject:
            if self.strict:
                raise
            state.ranges.append(checkpoint)
            state.level = "chapter"
            return end

    def _marker(self, pos: int) -> tuple[Literal["chapter", "verse"], int] | None:
        m = _CHAPTER_MARK.match(self.text, pos)
        if m:
            return "chapter", m.end()
        m = _VERSE_MARK.match(self.text, pos)
        if m:
            return "verse", m.end()
        return None

    def _number(self, pos: int) -> tuple[int, int]:
        m = _NUMBER.match(self.text, pos)
        if not m:
            raise _Reject(f"expected a chapter or verse number at {self._quote(pos)}")
        return int(m.group()), m.end()

    def _glued(self, pos: int, verse: bool) -> bool:
        """A number glued to a word ("34began", "5:01Pm") is not part of a reference."""
        if not _LETTER_AFTER.match(self.text, pos):
            return False
        if self._book_ahead(pos) is not None:
            return False  # "Acts 10:34, 37-43Psalms 118:1-2": a missing space
        if verse and not self.strict and (word := _PASTED_WORD.match(self.text, pos)):
            # "John 13:31b-35Have this mind": a verse's text pasted right after its number
            return word.group().lower() in QUANTITY_WORDS
        return not (
            _PART.match(self.text, pos)
            or _FF.match(self.text, pos)
            or _DASH.match(self.text, pos)
            or _TITLE.match(self.text, pos)
        )

    def _point(self, pos: int, state: _State, level: str) -> tuple[_Point, int]:
        """Read "C", "C:V", "V" (by level) with an optional part letter."""
        book = state.book
        if _is_date(self.text, pos):
            raise _Reject(f"{self._quote(pos)} is a date")
        first, end = self._number(pos)
        cv = self._chapter_verse(book, first, end)
        if cv is not None:
            verse, after = cv
            point = _Point(first, verse)
            end = after
        elif level == "chapter" and (spaced := self._spaced_verse(book, first, end)):
            point = _Point(first, spaced[0])
            end = spaced[1]
        elif (title := _TITLE.match(self.text, end)) and self.options.title_as_verse_one:
            point = _Point(first, 1)  # "Ps 3 title", even in a list of verses: the title is v1
            end = title.end()
        elif level == "verse" and state.chapter is not None:
            point = _Point(state.chapter, first)
        elif (
            book.chapters_alone
            and self.options.single_chapter_number == "verse"
            and not state.chapter_marked
        ):
            point = _Point(1, first)
        else:
            point = _Point(first, None)
        if point.verse is not None:
            point.part, end = self._part(end)
        if self._glued(end, point.verse is not None):
            raise _Reject(f"{self._quote(pos)} is not a chapter or verse")
        self._check(book, point)
        return point, end

    def _chapter_verse(self, book: Book, chapter: int, pos: int) -> tuple[int, int] | None:
        """The verse after "chapter" and a chapter:verse separator at `pos`, and its end.

        A separator that also separates a list ("." or "/") is read as chapter:verse only
        when that verse exists: "Ps 26/40/58" lists psalms, "Eph 4:26-27.30" lists verses.
        """
        cv = _CV.match(self.text, pos)
        if cv is None:
            return None
        number = _NUMBER.match(self.text, cv.end())
        if number is None:
            return None
        spaced = cv.group()[-1:].isspace()
        if spaced and not self.strict and self._book_ahead(cv.end()) is not None:
            return None  # "Psalms 5/ 1 Chronicles 29": a list, not Psalm 5:1
        verse = int(number.group())
        listing = cv.group().strip() in (".", "/") and not self.strict
        if listing and not 1 <= verse <= self.v11n.verse_count(book, chapter):
            return None
        return verse, number.end()

    def _spaced_verse(self, book: Book, chapter: int, pos: int) -> tuple[int, int] | None:
        """ "John 3 16": the verse after a space, and its end (see ParseOptions)."""
        if self.strict or not self.options.space_as_verse:
            return None
        m = _SPACED_VERSE.match(self.text, pos)
        if m is None or not 1 <= chapter <= self.v11n.chapter_count(book):
            return None
        verse = int(m.group(1))
        if not 1 <= verse <= self.v11n.verse_count(book, chapter):
            return None
        return verse, m.end(1)

    def _item(self, pos: int, state: _State, level: Literal["chapter", "verse"]) -> int:
        start, end = self._point(pos, state, level)
        book = state.book
        end_book = book
        stop = start
        ff = _FF.match(self.text, end)
        dash = _DASH.match(self.text, end)
        if ff:
            end = ff.end()
            stop = self._ff_end(book, start)
        elif (
            dash
            and start.verse is None
            and dash.group().strip().isalpha()  # "John 4 - v22" is chapter 4, verse 22
            and (to_verse := _VERSE_MARK.match(self.text, dash.end()))
            and _NUMBER.match(self.text, to_verse.end())
        ):
            # "Genesis 1 through verse 25"
            self._dash_at = end
            verse, after = self._number(to_verse.end())
            try:
                stop = self._check_end(book, _Point(start.chapter, verse))
                start.verse, end = 1, after
            except _Reject:
                if self.strict:
                    raise
        elif dash and (
            _NUMBER.match(self.text, dash.end())
            or self._book_ahead(dash.end())
            or (self.strict and _name_at(self.text, dash.end(), self.names))  # "1 Thess 1-Phlm"
        ):
            self._dash_at = end
            try:
                end_book, stop, end = self._range_end(dash.end(), book, start)
            except _Reject:
                if self.strict:
                    raise
                # "Prov 14:1- The wise woman": the dash leads nowhere; keep the start.
        state.ranges.append(self._range(book, start, end_book, stop))
        state.book = end_book
        state.chapter = stop.chapter
        state.level = "chapter" if stop.verse is None else "verse"
        return end

    def _range_end(self, pos: int, book: Book, start: _Point) -> tuple[Book, _Point, int]:
        other = self._book_ahead(pos)
        if other is not None and not self.strict and not self._may_run_into(book, other[0]):
            other = None  # in prose "Lev 19:15-Rom 2:9" is two references, not one range
        if other is not None and self.text[pos].isdigit() and start.verse is not None:
            # "Hebrews 12:1-3 John 13": the 3 ends the range, unless that cannot be
            # ("1 Samuel 28:20-2 Samuel 12:10"). After a chapter ("2 Sam 23-1 Kgs 1") the
            # book is the better reading.
            try:
                return self._range_end_in_book(pos, book, start)
            except _Reject:
                pass
        if other is not None:
            other_book, after = other
            state = _State(other_book)
            stop, end = self._point(after, state, "chapter")
            return other_book, stop, end
        if self.strict and (whole := _strict_start(self.text, pos, None, self.v11n)):
            # "1 Thessalonians 1-Philemon": through the end of a book named alone
            last = self.v11n.chapter_count(whole[0].book)
            return whole[0].book, _Point(last, None), whole[1]
        return self._range_end_in_book(pos, book, start)

    def _may_run_into(self, book: Book, other: Book) -> bool:
        """A range may run on into a book shortly after, in the same testament."""
        distance = other.number - book.number  # 0: "John.2.1-John.2.25" names the book again
        return 0 <= distance <= self.options.book_range_span and other.testament == book.testament

    def _range_end_in_book(self, pos: int, book: Book, start: _Point) -> tuple[Book, _Point, int]:
        first, end = self._number(pos)
        cv = self._chapter_verse(book, first, end)
        if cv is not None:
            verse, end = cv
            stop = _Point(first, verse)
        elif start.verse is None and self._hyphen_verse(book, start, first):
            start.verse = first  # "Ezekiel 25-16": chapter 25, verse 16
            self._check(book, start)
            stop = _Point(start.chapter, first)
            dash = _DASH.match(self.text, end)
            if dash and _NUMBER.match(self.text, dash.end()):  # "Matthew 22-34-40"
                last, after = self._number(dash.end())
                if last > first:
                    stop, end = self._check_end(book, _Point(start.chapter, last)), after
        elif start.verse is None:
            stop = _Point(first, None)
        elif first > start.verse or book.chapters_alone:
            stop = _Point(start.chapter, first)
        elif first > start.chapter:
            stop = _Point(first, None)  # "John 3:16-4": through the end of chapter 4
        else:
            raise _Reject(f"the range {self._quote(pos)} runs backwards")
        if stop.verse is not None:
            stop.part, end = self._part(end)
        if self._glued(end, stop.verse is not None):
            raise _Reject(f"{self._quote(pos)} is not a chapter or verse")
        stop = self._check_end(book, stop)
        if (stop.chapter, stop.verse or 0) < (start.chapter, start.verse or 0):
            raise _Reject(f"the range {self._quote(pos)} runs backwards")
        return book, stop, end

    def _part(self, pos: int) -> tuple[str, int]:
        """A part letter after a verse ("10a"); several ("13ab") add up to the whole verse."""
        part = _PART.match(self.text, pos)
        if part is None:
            return "", pos
        letters = part.group().lower()
        return (letters if len(letters) == 1 else ""), part.end()

    def _hyphen_verse(self, book: Book, start: _Point, first: int) -> bool:
        if not self.options.hyphen_as_verse or not _PLAIN_HYPHEN.match(self.text, self._dash_at):
            return False
        return first <= start.chapter or first > self.v11n.chapter_count(book)

    def _book_ahead(self, pos: int) -> tuple[Book, int] | None:
        """A book name starting at `pos` and followed by a number ("Exodus 2")."""
        return _book_at(self.text, pos, self.names)

    def _ff_end(self, book: Book, start: _Point) -> _Point:
        if start.verse is not None:
            return _Point(start.chapter, self.v11n.verse_count(book, start.chapter))
        if self.options.chapter_ff == "next":
            return _Point(min(start.chapter + 1, self.v11n.chapter_count(book)), None)
        return _Point(self.v11n.chapter_count(book), None)

    def _check(self, book: Book, point: _Point) -> None:
        try:
            self.v11n.check(book, point.chapter, point.verse)
        except InvalidReferenceError as err:
            raise _Reject(str(err)) from None

    def _check_end(self, book: Book, point: _Point) -> _Point:
        if point.verse is None or self.strict or self.options.past_end == "drop":
            self._check(book, point)
            return point
        if self.text[self._dash_at : self._dash_at + 1].isspace():
            # "Prov 28:27 - 700 Club": past the end after a spaced dash is not a range
            self._check(book, point)
        chapters = self.v11n.chapter_count(book)
        if point.chapter > chapters:  # "Mark 16:2-17:3": to the end of the book
            point = _Point(chapters, self.v11n.verse_count(book, chapters))
        self._check(book, _Point(point.chapter, None))
        last = self.v11n.verse_count(book, point.chapter)
        if point.verse is not None and point.verse > last:
            return _Point(point.chapter, last)
        return point

    def _range(self, book: Book, start: _Point, end_book: Book, stop: _Point) -> VerseRange:
        whole = start.verse is None and stop.verse is None
        first = verse_id(book.number, start.chapter, start.verse or 1)
        last_verse = stop.verse or self.v11n.verse_count(end_book, stop.chapter)
        last = verse_id(end_book.number, stop.chapter, last_verse)
        if last < first:
            raise _Reject("the range runs backwards")
        return VerseRange(first, last, start.part, stop.part, whole)

    def whole_books(self, pos: int, book: Book) -> tuple[VerseRange, int]:
        """Strict: the whole book whose name ends at `pos`, or a range from its start to a
        later book ("Genesis-Deuteronomy", "Philemon-Hebrews 13"), and where it ends."""
        text = self.text
        whole = VerseRange.whole_book(book, self.v11n)
        end = pos
        dash = _DASH.match(text, pos)
        after = _strict_start(text, dash.end(), None, self.v11n) if dash else None
        if after is not None:
            state, numbers, _ = after
            if _NUMBER.match(text, numbers):
                stop, end = self._point(numbers, state, "chapter")
            else:
                stop, end = _Point(self.v11n.chapter_count(state.book), None), numbers
            if state.book.number < book.number:
                raise _Reject(
                    f"the books run backwards: {state.book.name} comes before {book.name}"
                )
            whole = self._range(book, _Point(1, None), state.book, stop)
        if end >= len(text.rstrip(". ")):
            end = len(text)  # "Obadiah." is the whole book too
        return whole, end

    def _quote(self, pos: int) -> str:
        snippet = self.text[pos : pos + 12].strip() or "the end"
        return f'"{snippet}"'


def _is_date(text: str, pos: int) -> bool:
    """ "4/18/2009", "18/4/09", "2009/4/18" (while "26/40/58" lists psalms)."""
    m = _DATE.match(text, pos)
    if m is None:
        return False
    if m.group(1) is None:
        return True
    a, b = int(m.group(1)), int(m.group(2))
    return 1 <= min(a, b) <= 12 and max(a, b) <= 31


def _book_at(text: str, pos: int, names: dict[str, Book]) -> tuple[Book, int] | None:
    """A book name starting at `pos` and followed by a number ("Exodus 2", "2 Cor 3").

    Returns the book and the position of its first number.
    """
    for book, name_end in _names_at(text, pos, names):
        gap = _BOOK_GAP.match(text, name_end)
        after = gap.end() if gap else name_end
        if not _NUMBER.match(text, after):
            continue
        if gap and "-" in gap.group() and _name_at(text, after, names):
            continue  # "2 John-3 John" runs to another book; it is not 2 John 3
        return book, after
    return None


def _name_at(text: str, pos: int, names: dict[str, Book]) -> tuple[Book, int] | None:
    """The longest book name starting at `pos`, and where it ends."""
    return next(_names_at(text, pos, names), None)


def _names_at(text: str, pos: int, names: dict[str, Book]) -> Iterator[tuple[Book, int]]:
    """Book names starting at `pos`, longest first, each with where it ends."""
    words = list(_WORD.finditer(text, pos, min(len(text), pos + 80)))[: canon().max_name_words]
    if not words or words[0].start() != pos:
        return
    for k in range(len(words), 0, -1):
        if not _gaps_ok(text, words[:k]):
            continue
        book = names.get(key_from_tokens([w.group().lower() for w in words[:k]]))
        if book is not None:
            yield book, words[k - 1].end()


def _gaps_ok(text: str, words: list[re.Match[str]]) -> bool:
    for a, b in pairwise(words):
        gap = _NAME_GAP.match(text, a.end())
        if gap is None or gap.end() != b.start():
            return False
    return True


# --- finding references in prose ------------------------------------------------------


@dataclass(slots=True)
class _Found:
    book: Book | None  # None for a relative marker
    start: int  # where the name (or marker) starts
    marker: Literal["chapter", "verse"] | None = None


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
            matches.append(match)
            consumed = match.end
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
        # Longest name first: "Song of Solomon 2" before "Solomon 2".
        n = min(len(words), self.canon.max_name_words)
        for k in range(n, 0, -1):
            chosen = words[-k:]
            if not _gaps_ok(text, chosen):
                continue
            key = key_from_tokens([w.group().lower() for w in chosen])
            book = self.canon.loose_names.get(key)
            if book is not None:
                if not self._strong_enough(key, chosen, s):
                    return None
                return _Found(book, chosen[0].start())
        chapter_verse = self._cv_at(s)
        if chapter_verse:
            stem = self._unnumbered(words[-n:]) or self._pasted_name(last, s)
            if stem is not None:
                return stem
        lowered = last.group().lower()
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
        if book is None or not self._strong_enough(key, [name], s):
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


def _whole_book_leads(text: str) -> list[re.Match[str]]:
    """Every "book of", "Gospel of", "letter to" ... in `text`, in order.

    Each lead word is first found by a plain search for its letters after the first
    (case-insensitive patterns without a literal prefix scan prose several times slower).
    """
    leads = []
    for stem in ("ook", "ospel", "etter", "pistle", "OOK", "OSPEL", "ETTER", "PISTLE"):
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


# --- one explicit reference -----------------------------------------------------------


def parse_reference(
    text: str, context: Reference | str | None = None, options: ParseOptions = DEFAULT_OPTIONS
) -> Reference:
    """Read one explicit reference ("Colossians 2:9-10a", "John 3:16, 18; 4:1-5").

    Strict: the whole string must be one reference and every verse must exist; anything
    else raises InvalidReferenceError (UnknownBookError for a name it does not know) with
    a message that says what would be right. A relative reference ("v. 2", "vv. 12-23",
    "ch. 3") needs `context`. A book named without numbers is the whole book ("Jonah",
    "Obadiah; Jonah", "Genesis-Deuteronomy").
    """
    if isinstance(context, str):
        context = parse_reference(context, options=options)
    stripped = text.strip()
    if not stripped:
        raise InvalidReferenceError('empty reference - write one like "John 3:16"')
    v11n = versification(options.versification)
    reader = _Reader(stripped, options, v11n, strict=True)
    ranges: list[VerseRange] = []
    start = _strict_start(stripped, 0, context, v11n)
    end = 0
    while start is not None:
        state, pos, level = start
        try:
            if _NUMBER.match(stripped, pos):
                end = reader.read(pos, state, level=level)
                ranges.extend(state.ranges)
            else:
                whole, end = reader.whole_books(pos, state.book)
                ranges.append(whole)
        except _Reject as err:
            raise InvalidReferenceError(err.message) from None
        sep = _SEPARATOR.match(stripped, end)
        start = _strict_start(stripped, sep.end(), None, v11n) if sep else None
    if end != len(stripped):
        rest = stripped[end:].strip()
        raise InvalidReferenceError(
            f'unexpected "{rest}" after "{stripped[:end].strip()}" - '
            'write one reference such as "John 3:16-18" or "John 3:16, 18; 4:1-5"'
        )
    return Reference(tuple(ranges))


def _strict_start(
    text: str, at: int, context: Reference | None, v11n: Versification
) -> tuple[_State, int, Literal["chapter", "verse"] | None] | None:
    """The book (or the context, for a relative reference) named at `at`, and where its
    numbers begin (or where its name ends, for a whole book).

    At the start of the text anything else raises an error; after a separator ("John 3:16;
    Jonah") it returns None and the caller reports what was unexpected.
    """
    canon_ = canon()
    first = at == 0
    marker = (_CHAPTER_MARK.match(text) or _VERSE_MARK.match(text)) if first else None
    if marker is not None:
        level: Literal["chapter", "verse"] = "chapter" if _CHAPTER_MARK.match(text) else "verse"
        if context is None:
            raise InvalidReferenceError(
                f'"{text}" is relative - give the passage it refers to as context'
            )
        b, c, _ = split_id(context.first)
        return _State(canon_.by_number[b], c, level), marker.end(), level
    words: list[re.Match[str]] = []
    for w in _WORD.finditer(text, at):
        if w.group()[0].isdigit() and words and not w.group()[-1].isalpha():
            break
        words.append(w)
        if len(words) >= canon_.max_name_words:
            break
    if words and words[0].start() != at:
        words = []
    for k in range(len(words), 0, -1):
        chosen = words[:k]
        if not _gaps_ok(text, chosen):
            continue
        key = key_from_tokens([w.group().lower() for w in chosen])
        book = canon_.names.get(key)
        if book is None and key in canon_.shared:
            *others, last = [b.name for b in canon_.shared[key]]
            choices = f"{', '.join(others)} or {last}"
            written = text[chosen[0].start() : chosen[-1].end()]
            raise InvalidReferenceError(
                f'"{written}" could be {choices} - write the name out (or its own '
                f'abbreviation, such as "{canon_.shared[key][0].osis}")'
            )
        if book is None:
            continue
        end = chosen[-1].end()
        gap = _BOOK_GAP.match(text, end)
        numbers = gap.end() if gap else end
        dash = _DASH.match(text, end)
        if dash and _name_at(text, dash.end(), canon_.names):  # "Philemon-1 Peter 5"
            numbers = end
        alone = end == len(text.rstrip(". ")) or _SEPARATOR.match(text, end) or dash
        if _NUMBER.match(text, numbers) or alone:
            if not v11n.has_book(book):
                raise InvalidReferenceError(f"{book.name} is not in the {v11n.name} versification")
            return _State(book), numbers if _NUMBER.match(text, numbers) else end, None
    if not first:
        return None
    name = _leading_name(text)
    raise UnknownBookError(name, canon_.suggest(name))


def _leading_name(text: str) -> str:
    m = re.match(r"\s*((?:[1-4]|i{1,3}|iv)?\s*[^\W\d_][^\d:]*?)\s*(?:\d|$)", text, re.IGNORECASE)
    return (m.group(1) if m else text).strip()

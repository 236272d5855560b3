"""The grammar: reading chapters, verses, ranges and lists forwards from a position."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from manna.scripture.canon import ORDINALS, Book, Versification, canon, key_from_tokens
from manna.scripture.errors import InvalidReferenceError, UnknownBookError
from manna.scripture.parser.lexicon import (
    _BOOK_GAP,
    _CHAPTER_MARK,
    _CHAPTER_TO_VERSE,
    _CV,
    _DASH,
    _DATE,
    _FF,
    _LETTER_AFTER,
    _LIST_END,
    _LOOSE_LIST,
    _NAME_GAP,
    _NUMBER,
    _PART,
    _PASTED_WORD,
    _PLAIN_HYPHEN,
    _SEPARATOR,
    _SPACED_VERSE,
    _TITLE,
    _VERSE_MARK,
    _WORD,
    QUANTITY_WORDS,
)
from manna.scripture.parser.options import ParseOptions
from manna.scripture.reference import Reference, VerseRange, split_id, verse_id


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
        other = canon().numbered_as.get((book.osis, first)) if level == "chapter" else None
        if other is not None and self.v11n.has_book(other):
            # "Psalm 151" is the additional psalm, where the versification has it.
            state.book = book = other
            state.chapter_marked = True  # its one chapter, not verse 1
            first = 1
        cv = self._chapter_verse(book, first, end)
        if cv is not None:
            verse, after = cv
            point = _Point(first, verse)
            end = after
        elif level == "chapter" and (spaced := self._spaced_verse(book, first, end)):
            point = _Point(first, spaced[0])
            end = spaced[1]
        elif title := _TITLE.match(self.text, end):
            # "Ps 3 title", even in a list of verses: verse 0 where titles are unnumbered
            # (the English Bibles), else verse 1 (Hebrew numbering: the title is verse 1).
            titled = self.v11n.has_title(book, first) and not self.options.title_as_verse_one
            point = _Point(first, 0 if titled else 1)
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
            stop = self._ff_end(book, start, single="ff" not in ff.group().lower())
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

    def _ff_end(self, book: Book, start: _Point, *, single: bool = False) -> _Point:
        """Where "ff" ("and following") runs to; a single "f" is the one that follows
        ("Rom 8:28f" is 8:28-29, "Ps 23f" Psalms 23-24)."""
        if start.verse is not None:
            last = self.v11n.verse_count(book, start.chapter)
            return _Point(start.chapter, min(start.verse + 1, last) if single else last)
        if single:
            return _Point(min(start.chapter + 1, self.v11n.chapter_count(book)), None)
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
        first = verse_id(book.number, start.chapter, 1 if start.verse is None else start.verse)
        last_verse = (
            self.v11n.verse_count(end_book, stop.chapter) if stop.verse is None else stop.verse
        )
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
    first = _WORD.match(text, pos)
    if first is None:
        return
    # Only the lengths of the names that begin with this word (most words begin none).
    lengths = _name_starts(names).get(first.group().lower())
    if not lengths:
        return
    words = list(_WORD.finditer(text, pos, min(len(text), pos + 80)))[: canon().max_name_words]
    for k in lengths:
        if k > len(words) or not _gaps_ok(text, words[:k]):
            continue
        book = names.get(key_from_tokens([w.group().lower() for w in words[:k]]))
        if book is not None:
            yield book, words[k - 1].end()


_STARTS: dict[int, dict[str, tuple[int, ...]]] = {}


def _name_starts(names: dict[str, Book]) -> dict[str, tuple[int, ...]]:
    """For each word a name may begin with (as written: "first", "1st", "i" and "1" for
    "1 ..."), the lengths in words of the names that begin with it, longest first."""
    found = _STARTS.get(id(names))
    if found is None:
        spelled: dict[str, list[str]] = {}
        for written, number in ORDINALS.items():
            spelled.setdefault(str(number), []).append(written)
        lengths: dict[str, set[int]] = {}
        for key in names:
            tokens = key.split()
            firsts = {tokens[0], *(spelled.get(tokens[0], []) if len(tokens) > 1 else [])}
            for word in firsts:
                lengths.setdefault(word, set()).add(len(tokens))
        found = _STARTS[id(names)] = {
            word: tuple(sorted(ks, reverse=True)) for word, ks in lengths.items()
        }
    return found


def _gaps_ok(text: str, words: list[re.Match[str]]) -> bool:
    for a, b in pairwise(words):
        gap = _NAME_GAP.match(text, a.end())
        if gap is None or gap.end() != b.start():
            return False
    return True


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

"""Value types for references: verse ids, verse ranges and references.

A verse id is an integer, book * 1_000_000 + chapter * 1_000 + verse, so verses sort in
canon order and a passage is a contiguous slice of ids. Book numbers follow books.toml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from manna.scripture.canon import Book, Versification, canon, versification
from manna.scripture.errors import InvalidReferenceError

BOOK = 1_000_000
CHAPTER = 1_000


def verse_id(book: int, chapter: int, verse: int) -> int:
    return book * BOOK + chapter * CHAPTER + verse


def split_id(vid: int) -> tuple[int, int, int]:
    """(book number, chapter, verse) of a verse id."""
    return vid // BOOK, vid // CHAPTER % CHAPTER, vid % CHAPTER


@dataclass(frozen=True, slots=True, order=True)
class VerseRange:
    """A contiguous passage from `start` to `end` (verse ids, inclusive).

    `start_part`/`end_part` mark partial verses ("10a"); `whole_chapters` records that the
    passage was written as whole chapters ("John 3", "Psalms 1-2"), which changes only
    how it is written back, never which verses it holds.
    """

    start: int
    end: int
    start_part: str = ""
    end_part: str = ""
    whole_chapters: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidReferenceError(
                f"a range must run forwards: {_plain(self.start)} comes after {_plain(self.end)}"
            )

    @classmethod
    def whole_chapter(cls, book: Book, chapter: int, v11n: Versification) -> VerseRange:
        """Chapter `chapter` of `book`, as `v11n` counts its verses ("John 3")."""
        last = v11n.verse_count(book, chapter)
        return cls(
            verse_id(book.number, chapter, 1),
            verse_id(book.number, chapter, last),
            whole_chapters=True,
        )

    @classmethod
    def whole_book(cls, book: Book, v11n: Versification) -> VerseRange:
        """All of `book`, as `v11n` counts its chapters and verses ("Jonah")."""
        chapters = v11n.chapter_count(book)
        last = verse_id(book.number, chapters, v11n.verse_count(book, chapters))
        return cls(verse_id(book.number, 1, 1), last, whole_chapters=True)

    @property
    def start_book(self) -> Book:
        return canon().by_number[self.start // BOOK]

    @property
    def end_book(self) -> Book:
        return canon().by_number[self.end // BOOK]

    def __contains__(self, vid: object) -> bool:
        return isinstance(vid, int) and self.start <= vid <= self.end

    def verses(self, system: Versification | None = None) -> Iterator[int]:
        """Every verse id in the range that exists in `system` (default: english)."""
        v11n = system or versification()
        books = canon().by_number
        for book_no in range(self.start // BOOK, self.end // BOOK + 1):
            book = books[book_no]
            for chapter in range(1, v11n.chapter_count(book) + 1):
                first = verse_id(book_no, chapter, 1)
                if first > self.end:
                    return
                last = verse_id(book_no, chapter, v11n.verse_count(book, chapter))
                if last < self.start:
                    continue
                yield from range(max(first, self.start), min(last, self.end) + 1)

    def osis(self) -> str:
        b1, c1, v1 = split_id(self.start)
        b2, c2, v2 = split_id(self.end)
        o1, o2 = self.start_book.osis, self.end_book.osis
        if self.whole_chapters:
            if (b1, c1) == (b2, c2):
                return f"{o1}.{c1}"
            return f"{o1}.{c1}-{o2}.{c2}"
        if self.start == self.end:
            return f"{o1}.{c1}.{v1}"
        return f"{o1}.{c1}.{v1}-{o2}.{c2}.{v2}"


@dataclass(frozen=True, slots=True)
class Reference:
    """A sequence of verse ranges, as written ("John 3:16, 18; 4:1-5")."""

    ranges: tuple[VerseRange, ...]

    def __post_init__(self) -> None:
        if not self.ranges:
            raise InvalidReferenceError("a reference needs at least one verse")

    @classmethod
    def single(cls, start: int, end: int | None = None) -> Reference:
        return cls((VerseRange(start, start if end is None else end),))

    def osis(self) -> str:
        return ",".join(r.osis() for r in self.ranges)

    def human(self) -> str:
        return format_human(self)

    def __str__(self) -> str:
        return self.human()

    def verses(self, system: Versification | None = None) -> Iterator[int]:
        for r in self.ranges:
            yield from r.verses(system)

    def verse_set(self, system: Versification | None = None) -> frozenset[int]:
        return frozenset(self.verses(system))

    @property
    def first(self) -> int:
        return self.ranges[0].start

    @property
    def book(self) -> Book:
        return self.ranges[0].start_book


def _plain(vid: int) -> str:
    b, c, v = split_id(vid)
    return f"{canon().by_number[b].name} {c}:{v}"


def display_name(book: Book, single_chapter: bool) -> str:
    """The book's name as written before a chapter: "Psalm 23" but "Psalms 1-2"."""
    if book.osis == "Ps" and single_chapter:
        return "Psalm"
    return book.name


def format_human(ref: Reference) -> str:
    """Write a reference the way people do: "John 3:16, 18; 4:1-5; Colossians 2:9-10a"."""
    out: list[str] = []
    prev: VerseRange | None = None
    for r in ref.ranges:
        out.append(_human_range(r, prev))
        prev = r
    return "".join(out)


def _human_range(r: VerseRange, prev: VerseRange | None) -> str:
    b1, c1, v1 = split_id(r.start)
    b2, c2, v2 = split_id(r.end)
    book = r.start_book
    alone = book.chapters_alone and not r.whole_chapters
    if r.whole_chapters:
        if b1 == b2 and c1 == 1 and c2 == versification().chapter_count(book):
            return ("; " if prev else "") + book.name
        if b1 != b2:
            # A single-chapter book is named alone: "Philemon 1" would be its verse 1.
            start_text = book.name if book.chapters_alone else f"{display_name(book, False)} {c1}"
            end_text = r.end_book.name + ("" if r.end_book.chapters_alone else f" {c2}")
            return ("; " if prev else "") + f"{start_text}-{end_text}"
        body = f"{c1}" if c1 == c2 else f"{c1}-{c2}"
        name = display_name(book, c1 == c2)
        return ("; " if prev else "") + f"{name} {body}"
    if v1 == 0:  # a psalm's title
        start = f"{c1} title"
    else:
        start = f"{v1}{r.start_part}" if alone else f"{c1}:{v1}{r.start_part}"
    if r.start == r.end and r.start_part == r.end_part:
        end = ""
    elif b1 != b2:
        end_alone = r.end_book.chapters_alone
        end = f"-{r.end_book.name} " + (f"{v2}" if end_alone else f"{c2}:{v2}") + r.end_part
    elif c1 != c2:
        end = f"-{c2}:{v2}{r.end_part}"
    else:
        end = f"-{v2}{r.end_part}"
    if prev is not None and not prev.whole_chapters:
        pb, pc, _ = split_id(prev.end)
        if pb == b1 and (alone or pc == c1):
            return f", {v1}{r.start_part}{end}"
        if pb == b1:
            return f"; {start}{end}"
    prefix = "; " if prev else ""
    # A single-chapter book whose name ends in a number: "Psalm 151:3", not "Psalm 151 3".
    gap = ":" if alone and book.name[-1].isdigit() else " "
    return f"{prefix}{display_name(book, True)}{gap}{start}{end}"


def parse_osis(text: str, system: Versification | None = None) -> Reference:
    """Read an OSIS reference list ("Col.2.9-Col.2.10,Rom.1,Jude") into a Reference."""
    v11n = system or versification()
    ranges = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise InvalidReferenceError(f'empty item in OSIS reference "{text}"')
        first, _, last = part.partition("-")
        start, start_grain = _osis_point(first, v11n, end=False)
        end, end_grain = _osis_point(last or first, v11n, end=True)
        whole = start_grain != "verse" and end_grain != "verse"
        ranges.append(VerseRange(start, end, whole_chapters=whole))
    return Reference(tuple(ranges))


def _osis_point(text: str, v11n: Versification, *, end: bool) -> tuple[int, str]:
    pieces = text.split("!")[0].split(".")
    book = canon().book(pieces[0])
    try:
        numbers = [int(p) for p in pieces[1:]]
    except ValueError:
        raise InvalidReferenceError(f'"{text}" is not an OSIS reference like "John.3.16"') from None
    if len(numbers) > 2:
        raise InvalidReferenceError(f'"{text}" has too many parts for an OSIS reference')
    if not numbers:
        chapter = v11n.chapter_count(book) if end else 1
        if chapter == 0:
            raise InvalidReferenceError(f"{book.name} is not in the {v11n.name} versification")
        grain = "book"
    else:
        chapter = numbers[0]
        grain = "chapter"
    if len(numbers) == 2:
        v11n.check(book, chapter, numbers[1])
        return verse_id(book.number, chapter, numbers[1]), "verse"
    v11n.check(book, chapter)
    verse = v11n.verse_count(book, chapter) if end else 1
    return verse_id(book.number, chapter, verse), grain

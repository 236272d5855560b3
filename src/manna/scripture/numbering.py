"""One verse in another numbering: where versifications meet (data/numbering.toml).

Every versification is mapped to one pivot, "english", in which a psalm's title is verse 0.
`convert(vid, "mt", "kjv")` reads Hebrew Joel 3:1 as the KJV's Joel 2:28. A verse may have
several counterparts (the KJV's 3 John 14 is the NRSV's 14 and 15) or none (Nehemiah 7:68
is not in the Hebrew text; Tobit in the Vulgate is not lined up verse by verse): callers show
such a verse as absent, never next to another verse's words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from manna.scripture.canon import Book, Versification, canon, numbering_data, versification
from manna.scripture.reference import BOOK, CHAPTER, Reference, VerseRange, split_id, verse_id

PIVOT = "english"

# Greek (Septuagint, Vulgate) psalm -> the Hebrew psalms it holds, where they differ; a
# pair (psalm, slice) for the two Hebrew psalms the Greek divides (116 and 147).
_GREEK_PSALMS: dict[int, tuple[tuple[int, slice], ...]] = {
    9: ((9, slice(None)), (10, slice(None))),
    113: ((114, slice(None)), (115, slice(None))),
    114: ((116, slice(0, 9)),),
    115: ((116, slice(9, None)),),
    146: ((147, slice(0, 11)),),
    147: ((147, slice(11, None)),),
}


@dataclass(frozen=True, slots=True)
class Numbering:
    """How one versification's verses meet the pivot's."""

    system: Versification
    pivot: Versification
    _to_pivot: dict[int, tuple[int, ...]]
    _from_pivot: dict[int, tuple[int, ...]]
    # (book number, chapter) whose verse counts differ and that no rule lines up.
    unaligned: frozenset[tuple[int, int]]
    # Books some rule or unaligned chapter touches, or that the two number differently.
    differing_books: frozenset[int]

    @property
    def name(self) -> str:
        return self.system.name

    def to_pivot(self, vid: int) -> tuple[int, ...]:
        """The pivot verses that hold this system's verse `vid` (none: no counterpart)."""
        found = self._to_pivot.get(vid)
        if found is not None:
            return found
        if self._same_number(vid, self.system, self._from_pivot, self.pivot):
            return (vid,)
        return ()

    def from_pivot(self, vid: int) -> tuple[int, ...]:
        """This system's verses that hold the pivot's verse `vid`."""
        found = self._from_pivot.get(vid)
        if found is not None:
            return found
        if self._same_number(vid, self.pivot, self._to_pivot, self.system):
            return (vid,)
        return ()

    def _same_number(
        self,
        vid: int,
        source: Versification,
        claimed: dict[int, tuple[int, ...]],
        target: Versification,
    ) -> bool:
        """A verse no rule names keeps its number, if the other side has that verse, no rule
        gives it to another verse there, and the chapter is lined up."""
        b, c, v = split_id(vid)
        if (b, c) in self.unaligned or vid in claimed:
            return False
        book = canon().by_number.get(b)
        return book is not None and source.has_verse(book, c, v) and target.has_verse(book, c, v)


def convert(vid: int, source: str, target: str) -> tuple[int, ...]:
    """Verse `vid` of numbering `source` as numbering `target` numbers it (maybe several
    verses, maybe none)."""
    if source == target:
        return (vid,)
    pivot = numbering(source).to_pivot(vid)
    if target == PIVOT:
        return pivot
    out: list[int] = []
    for p in pivot:
        for t in numbering(target).from_pivot(p):
            if t not in out:
                out.append(t)
    return tuple(sorted(out))


def convert_reference(ref: Reference, source: str, target: str) -> Reference | None:
    """A reference read in `source` as `target` numbers it: each range's verses converted
    and joined into ranges again. None when no verse of it has a counterpart."""
    if source == target:
        return ref
    v11n = versification(source)
    ranges: list[VerseRange] = []
    for r in ref.ranges:
        if _alike(r, numbering(source), numbering(target)):
            ranges.append(r)
            continue
        own = list(_with_title(r, v11n))
        converted = sorted({t for vid in own for t in convert(vid, source, target)})
        if converted == own:  # numbered alike here: the range as written, parts and all
            ranges.append(r)
            continue
        for start, end in _runs(converted, versification(target)):
            ranges.append(
                VerseRange(start, end, whole_chapters=r.whole_chapters and start % CHAPTER <= 1)
            )
    return Reference(tuple(ranges)) if ranges else None


def _alike(r: VerseRange, source: Numbering, target: Numbering) -> bool:
    """Whether both numberings number the range's books as the pivot does (no verse to
    look at one by one: most references, in most translations)."""
    books = range(r.start // BOOK, r.end // BOOK + 1)
    return all(
        b not in source.differing_books
        and b not in target.differing_books
        and source.system.has_book(canon().by_number[b])
        and target.system.has_book(canon().by_number[b])
        for b in books
    )


def _with_title(r: VerseRange, v11n: Versification) -> Iterable[int]:
    """The range's verses, with the title of its first chapter when written as whole chapters."""
    b, c, v = split_id(r.start)
    book = canon().by_number[b]
    if r.whole_chapters and v == 1 and v11n.has_title(book, c):
        yield r.start - 1
    yield from _verses_in(r, v11n)


def _verses_in(r: VerseRange, v11n: Versification) -> Iterable[int]:
    books = canon().by_number
    for vid in r.verses(v11n):
        yield vid
        b, c, v = split_id(vid)
        # A title inside a range of several psalms belongs to it (Psalms 3-4 holds Psalm 4's title).
        title = verse_id(b, c + 1, 0)
        last = v == v11n.verse_count(books[b], c)
        if last and v11n.has_title(books[b], c + 1) and title <= r.end:
            yield title


def _runs(vids: list[int], v11n: Versification) -> Iterable[tuple[int, int]]:
    """Consecutive verses (in `v11n`, across chapter ends) joined into (start, end) runs."""
    if not vids:
        return
    start = prev = vids[0]
    for vid in vids[1:]:
        if not _next_to(prev, vid, v11n):
            yield start, prev
            start = vid
        prev = vid
    yield start, prev


def _next_to(a: int, b: int, v11n: Versification) -> bool:
    if b == a + 1:
        return True
    ba, ca, va = split_id(a)
    bb, cb, vb = split_id(b)
    book = canon().by_number[ba]
    return ba == bb and cb == ca + 1 and vb <= 1 and va == v11n.verse_count(book, ca)


@cache
def numbering(name: str) -> Numbering:
    """The numbering of versification `name`, mapped to the pivot."""
    system = versification(name)
    pivot = versification(PIVOT)
    data = numbering_data()["systems"].get(name, {})
    links: list[tuple[int | None, int | None]] = []
    if "base" in data:
        links.extend(_rule_links(numbering_data()["systems"][data["base"]]["rules"], pivot, system))
    links.extend(_rule_links(data.get("rules", []), pivot, system))
    named = {split_id(p)[:2] for p, _ in links if p is not None}
    if data.get("psalms"):
        links.extend(_psalm_links(data["psalms"], pivot, system, named))
    to_pivot: dict[int, list[int]] = defaultdict(list)
    from_pivot: dict[int, list[int]] = defaultdict(list)
    for p, s in links:
        if s is not None:
            to_pivot[s].extend([p] if p is not None else [])
        if p is not None:
            from_pivot[p].extend([s] if s is not None else [])
    touched = {split_id(vid)[:2] for vid in (*to_pivot, *from_pivot)}
    unaligned = _unaligned(system, pivot, touched)
    differing = {b for b, _ in touched | unaligned} | {
        book.number
        for book in canon().books
        if system.chapters.get(book.osis) != pivot.chapters.get(book.osis)
    }
    if system.titles != pivot.titles:  # titles numbered as verses
        differing.add(canon().book("Ps").number)
    return Numbering(
        system=system,
        pivot=pivot,
        _to_pivot={k: tuple(v) for k, v in to_pivot.items()},
        _from_pivot={k: tuple(v) for k, v in from_pivot.items()},
        unaligned=unaligned,
        differing_books=frozenset(differing),
    )


def _unaligned(
    system: Versification, pivot: Versification, touched: set[tuple[int, int]]
) -> frozenset[tuple[int, int]]:
    out = set()
    for book in canon().books:
        for chapter in range(1, max(system.chapter_count(book), pivot.chapter_count(book)) + 1):
            if (book.number, chapter) in touched:
                continue
            mine, theirs = system.verse_count(book, chapter), pivot.verse_count(book, chapter)
            if mine and theirs and mine != theirs:
                out.add((book.number, chapter))
    return frozenset(out)


# --- reading the rules ---

_SIDE = re.compile(
    r"^(?:(?P<book>[1-4]?[A-Za-z]+)\s+)?(?P<c1>\d+):(?P<v1>\d+)"
    r"(?:-(?:(?P<c2>\d+):)?(?P<v2>\d+))?$"
)


def _rule_links(
    rules: list[str], pivot: Versification, system: Versification
) -> list[tuple[int | None, int | None]]:
    links: list[tuple[int | None, int | None]] = []
    for rule in rules:
        left, _, right = (part.strip() for part in rule.partition("="))
        pivot_book, pivot_verses = _side(left, None, pivot, rule)
        if right == "-":
            links.extend((p, None) for p in pivot_verses)
            continue
        if left == "-":
            raise ValueError(f'numbering.toml: "{rule}": the pivot side needs a verse')
        _, system_verses = _side(right, pivot_book, system, rule)
        links.extend(_pair(pivot_verses, system_verses, rule))
    return links


def _pair(
    pivot_verses: list[int], system_verses: list[int], rule: str
) -> list[tuple[int | None, int | None]]:
    if len(pivot_verses) == len(system_verses):
        return list(zip(pivot_verses, system_verses, strict=True))
    if len(pivot_verses) == 1 or len(system_verses) == 1:
        return [(p, s) for p in pivot_verses for s in system_verses]
    raise ValueError(
        f'numbering.toml: "{rule}": {len(pivot_verses)} verses against {len(system_verses)} - '
        "both sides must hold as many verses, or one side a single verse"
    )


def _side(
    text: str, default: Book | None, v11n: Versification, rule: str
) -> tuple[Book, list[int]]:
    m = _SIDE.match(text)
    if m is None:
        raise ValueError(f'numbering.toml: "{rule}": cannot read "{text}" (write "Joel 2:28-32")')
    book = canon().book(m["book"]) if m["book"] else default
    if book is None:
        raise ValueError(f'numbering.toml: "{rule}": the left side must name its book')
    c1, v1 = int(m["c1"]), int(m["v1"])
    c2 = int(m["c2"] or c1)
    v2 = int(m["v2"] or v1)
    verses = []
    for chapter in range(c1, c2 + 1):
        first = v1 if chapter == c1 else 1
        last = v2 if chapter == c2 else v11n.verse_count(book, chapter)
        for verse in range(first, last + 1):
            if not v11n.has_verse(book, chapter, verse):
                raise ValueError(
                    f'numbering.toml: "{rule}": {book.osis} {chapter}:{verse} is not in {v11n.name}'
                )
            verses.append(verse_id(book.number, chapter, verse))
    return book, verses


# --- the psalms ---


def _psalm_links(
    kind: str, pivot: Versification, system: Versification, named: set[tuple[int, int]]
) -> list[tuple[int | None, int | None]]:
    """Links for the Psalms of a system that numbers titles ("hebrew"), in the Greek
    chapters too ("greek"). Each psalm's verses are derived from the verse counts: a
    title is verse 1, or verses 1-2 when the count holds two more verses than the pivot's,
    or shares verse 1 when the counts are equal. A psalm the counts do not explain is left
    unaligned."""
    psalms = canon().book("Ps")
    hebrew = versification("mt")
    links: list[tuple[int | None, int | None]] = []
    for chapter in range(1, system.chapter_count(psalms) + 1):
        count = system.verse_count(psalms, chapter)
        parts = _hebrew_parts(kind, chapter)
        slots: list[tuple[int, ...]] = []
        for hebrew_psalm, part in parts:
            if (psalms.number, hebrew_psalm) in named:
                break
            # A psalm the Greek joins or divides is counted as the Hebrew counts it.
            whole = (
                count
                if len(parts) == 1 and part == slice(None)
                else hebrew.verse_count(psalms, hebrew_psalm)
            )
            psalm_slots = _hebrew_slots(hebrew_psalm, whole, pivot)
            if psalm_slots is None:
                break
            slots.extend(psalm_slots[part])
        else:
            if len(slots) == count:
                links.extend(
                    (p, verse_id(psalms.number, chapter, verse))
                    for verse, slot in enumerate(slots, start=1)
                    for p in slot
                )
    return links


def _hebrew_parts(kind: str, chapter: int) -> tuple[tuple[int, slice], ...]:
    """The Hebrew psalms (and which of their verses) a system's psalm `chapter` holds."""
    whole = slice(None)
    if kind == "hebrew":
        return ((chapter, whole),)
    if chapter in _GREEK_PSALMS:
        return _GREEK_PSALMS[chapter]
    # Between the joined and divided psalms the Greek number is one less than the Hebrew.
    behind = 10 <= chapter <= 112 or 116 <= chapter <= 145
    return ((chapter + behind, whole),)


def _hebrew_slots(psalm: int, count: int, pivot: Versification) -> list[tuple[int, ...]] | None:
    """For each verse of a psalm numbered with its title, the pivot verses it holds."""
    book = canon().book("Ps")
    verses = pivot.verse_count(book, psalm)
    slots: list[tuple[int, ...]] = [
        (verse_id(book.number, psalm, v),) for v in range(1, verses + 1)
    ]
    if not pivot.has_title(book, psalm):
        return slots if count == verses else None
    title = verse_id(book.number, psalm, 0)
    extra = count - verses
    if extra == 0:  # a short title: the first words of verse 1
        return [(title, *slots[0]), *slots[1:]]
    if extra in (1, 2):
        return [(title,)] * extra + slots
    return None

"""Translations side by side, each in its own numbering, lined up verse by verse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from manna.scripture.numbering import numbering
from manna.scripture.reference import Reference
from manna.scripture.store import Passage, Store, Verse


@dataclass(frozen=True, slots=True)
class Line:
    """One verse of the first translation and, for each other one, the verses holding it:
    none where that translation lacks it, two where it divides the verse in two."""

    verse: Verse
    beside: tuple[tuple[Verse, ...], ...]


def passages_in_each(
    store: Store, ref: Reference, system: str, codes: Sequence[str]
) -> list[Passage]:
    """The passage `ref` (read in numbering `system`) in each translation, each with the
    reference as its own numbering writes it ("Joel 2:28" in the KJV is "Joel 3:1" in a
    Bible numbered as the Hebrew is)."""
    return [store.passage_of(ref, code, written_in=system) for code in codes]


def line_up(first: Passage, others: Sequence[Passage]) -> list[Line]:
    """The verses of `first`, each with the verses of `others` that hold the same words
    (through the pivot numbering: never two verses paired because they share a number)."""
    mine = numbering(first.translation.versification)
    indexes = [_by_pivot(other) for other in others]
    lines = []
    for verse in first.verses:
        pivots = mine.to_pivot(verse.id)
        beside = []
        for index in indexes:
            found: list[Verse] = []
            for p in pivots:
                found.extend(v for v in index.get(p, ()) if v not in found)
            beside.append(tuple(sorted(found, key=lambda v: v.id)))
        lines.append(Line(verse, tuple(beside)))
    return lines


def _by_pivot(passage: Passage) -> dict[int, list[Verse]]:
    theirs = numbering(passage.translation.versification)
    index: dict[int, list[Verse]] = {}
    for verse in passage.verses:
        for p in theirs.to_pivot(verse.id):
            index.setdefault(p, []).append(verse)
    return index

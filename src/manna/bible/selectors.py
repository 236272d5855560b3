"""Reads for the Bible reader: the books of a versification, a chapter's rows."""

from __future__ import annotations

from typing import Any

from manna.devotions.selectors import devotions_citing_verses
from manna.scripture import (
    Book,
    Passage,
    Reference,
    Translation,
    VerseRange,
    canon,
    line_up,
    open_store,
    passages_in_each,
)
from manna.scripture.canon import Versification
from manna.scripture.numbering import numbering


def books_in(v11n: Versification) -> list[Book]:
    """The canon's books that `v11n` has, in order."""
    return [b for b in canon().books if v11n.has_book(b)]


def chapter_rows(
    *,
    book: Book,
    chapter: int,
    v11n: Versification,
    translation: Translation,
    parallel: Translation | None,
    marked: frozenset[int] = frozenset(),
) -> list[dict[str, Any]]:
    """One row a verse (a psalm's title first, as verse 0): its number, its text, the
    verses of the parallel translation that hold it (in that translation's numbering:
    Joel 2:28 beside a Hebrew-numbered Joel 3:1), the devotions that cite it, and whether
    it is one of the verses `marked` (the linked passage)."""
    store = open_store()
    reference = Reference((VerseRange.whole_chapter(book, chapter, v11n),))
    main = Passage(reference, translation, tuple(store.verses(reference, translation.code)))
    if parallel is not None:
        other = passages_in_each(store, reference, v11n.name, [parallel.code])[0]
        beside = [line.beside[0] for line in line_up(main, [other])]
    else:
        beside = [() for _ in main.verses]
    # Citations are kept in the default numbering: each verse is looked up as it numbers it.
    own = numbering(v11n.name)
    pivots = [own.to_pivot(v.id) for v in main.verses]
    citing = devotions_citing_verses({p for ids in pivots for p in ids})
    return [
        {
            "number": v.number,
            "verse": v,
            "parallel": theirs,
            "devotions": list(dict.fromkeys(d for p in ids for d in citing.get(p, []))),
            "marked": v.number in marked,
        }
        for v, theirs, ids in zip(main.verses, beside, pivots, strict=True)
    ]

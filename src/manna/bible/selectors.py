"""Reads for the Bible reader: the books of a versification, a chapter's rows."""

from __future__ import annotations

from typing import Any

from manna.devotions.selectors import devotions_citing_chapter
from manna.scripture import Book, Reference, Translation, VerseRange, canon, open_store
from manna.scripture.canon import Versification


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
) -> list[dict[str, Any]]:
    """One row a verse: its number, its text, the parallel translation's verse, and the
    devotions that cite it."""
    store = open_store()
    reference = Reference((VerseRange.whole_chapter(book, chapter, v11n),))
    verses = store.verses(reference, translation.code)
    beside = {v.number: v for v in store.verses(reference, parallel.code)} if parallel else {}
    citing = devotions_citing_chapter(book=book, chapter=chapter)
    return [
        {
            "number": v.number,
            "verse": v,
            "parallel": beside.get(v.number),
            "devotions": citing.get(v.number, []),
        }
        for v in verses
    ]

"""The scripture engine: canon, references, texts and search. Pure Python, no Django.

The public API is flat: everything a caller needs is importable from here.
"""

from manna.scripture.canon import (
    Book,
    Versification,
    available_versifications,
    canon,
    versification,
)
from manna.scripture.errors import (
    ImportRefusedError,
    InvalidReferenceError,
    ScriptureError,
    TranslationNotFoundError,
    UnknownBookError,
)
from manna.scripture.numbering import PIVOT, convert, convert_reference
from manna.scripture.parallel import Line, line_up, passages_in_each
from manna.scripture.parser import (
    DEFAULT_OPTIONS,
    Match,
    ParseOptions,
    find_references,
    parse_reference,
)
from manna.scripture.reference import (
    Reference,
    VerseRange,
    parse_osis,
    split_id,
    verse_id,
)
from manna.scripture.store import Hit, Passage, Translation, Verse, open_store


def books() -> tuple[Book, ...]:
    """Every book of the canon, in order."""
    return canon().books


def book(osis_or_name: str) -> Book:
    """A book by OSIS id or by any written name ("Exod", "Ex", "Exodus")."""
    found = canon().by_osis.get(osis_or_name) or canon().lookup(osis_or_name)
    if found is None:
        raise UnknownBookError(osis_or_name, canon().suggest(osis_or_name))
    return found


def parse_in(text: str, translation: str) -> Reference:
    """Read a written reference in the numbering of an installed translation: "2 Esdras
    7:100" exists in the WEB's numbering (the NRSVA's), "Joel 4:1" in a Hebrew-numbered one."""
    system = open_store().translation(translation).versification
    return parse_reference(text, options=ParseOptions(versification=system))


def get_passage(ref: Reference | str, translation: str = "kjv") -> Passage:
    """The verses of a reference in an installed translation, with their numbers; a
    written reference is read in that translation's numbering."""
    if isinstance(ref, str):
        ref = parse_in(ref, translation)
    return open_store().passage(ref, translation)


def search(
    query: str, translation: str = "kjv", within: Reference | str | None = None, limit: int = 20
) -> list[Hit]:
    """Ranked (BM25) verses matching `query`: words, "phrases", prefix*, AND/OR/NOT.

    `within` restricts to a reference ("John", "Romans 5-8") or a testament ("OT", "NT", "DC").
    """
    return open_store().search(query, translation, within, limit)


def translations() -> list[Translation]:
    return open_store().translations()


__all__ = [
    "DEFAULT_OPTIONS",
    "PIVOT",
    "Book",
    "Hit",
    "ImportRefusedError",
    "InvalidReferenceError",
    "Line",
    "Match",
    "ParseOptions",
    "Passage",
    "Reference",
    "ScriptureError",
    "Translation",
    "TranslationNotFoundError",
    "UnknownBookError",
    "Verse",
    "VerseRange",
    "Versification",
    "available_versifications",
    "book",
    "books",
    "canon",
    "convert",
    "convert_reference",
    "find_references",
    "get_passage",
    "line_up",
    "open_store",
    "parse_in",
    "parse_osis",
    "parse_reference",
    "passages_in_each",
    "search",
    "split_id",
    "translations",
    "verse_id",
    "versification",
]

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


def books() -> tuple[Book, ...]:
    """Every book of the canon, in order."""
    return canon().books


def book(osis_or_name: str) -> Book:
    """A book by OSIS id or by any written name ("Exod", "Ex", "Exodus")."""
    found = canon().by_osis.get(osis_or_name) or canon().lookup(osis_or_name)
    if found is None:
        raise UnknownBookError(osis_or_name, canon().suggest(osis_or_name))
    return found


__all__ = [
    "DEFAULT_OPTIONS",
    "Book",
    "ImportRefusedError",
    "InvalidReferenceError",
    "Match",
    "ParseOptions",
    "Reference",
    "ScriptureError",
    "TranslationNotFoundError",
    "UnknownBookError",
    "VerseRange",
    "Versification",
    "available_versifications",
    "book",
    "books",
    "canon",
    "find_references",
    "parse_osis",
    "parse_reference",
    "split_id",
    "verse_id",
    "versification",
]

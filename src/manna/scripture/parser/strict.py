"""Reading one explicit reference: `parse_reference`."""

from __future__ import annotations

from manna.scripture.canon import versification
from manna.scripture.errors import InvalidReferenceError
from manna.scripture.parser.grammar import _Reader, _Reject, _strict_start
from manna.scripture.parser.lexicon import (
    _NUMBER,
    _SEPARATOR,
)
from manna.scripture.parser.options import DEFAULT_OPTIONS, ParseOptions
from manna.scripture.reference import Reference, VerseRange


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

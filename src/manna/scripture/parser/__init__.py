"""Reading references: `parse_reference` (one explicit reference, strict) and
`find_references` (every reference in prose, lenient but precise).

Design: prose is scanned once for runs of digits (a C-level regex), since every
reference worth linking carries a number. For each run not already consumed, a few
tokens are looked at *backwards* for a book name (a dict lookup of the normalised
name) or a marker such as "v." or "ch."; a small hand-written grammar then reads the
reference *forwards* (chapters, verses, ranges, sequences, "ff"). There is no
per-word work in Python, which is what keeps the scanner fast.

Every guess the parser makes is a named field of `ParseOptions`.

The package's rooms: `options` (the guesses, as fields), `lexicon` (the words, from
`data/lexicon.toml`), `grammar` (reading forwards from a number), `prose`
(`find_references`) and `strict` (`parse_reference`).
"""

from manna.scripture.parser.options import DEFAULT_OPTIONS, ParseOptions
from manna.scripture.parser.prose import Match, find_references
from manna.scripture.parser.strict import parse_reference

__all__ = ["DEFAULT_OPTIONS", "Match", "ParseOptions", "find_references", "parse_reference"]

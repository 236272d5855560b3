"""The words of references that are not book names, and the tokens built from them.

The words are data (`data/lexicon.toml`: chapter and verse markers, the words of lists
and ranges, whole-book leads, ordinals, quantity words); the patterns that read them are
built here once. Book names are the canon's (`data/books.toml`).
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

_DATA = tomllib.loads(resources.files("manna.scripture.data").joinpath("lexicon.toml").read_text())


def _alternation(words: list[str], abbreviations: list[str], *, whole: bool) -> str:
    """One regex alternative for each word and each abbreviation (which may end in a full
    stop), the longest first. With `whole`, a word must end where a word ends ("and", not
    "Andrew"); a marker need not ("v2", "ch3")."""
    pieces = [
        (w, re.escape(w).replace("\\ ", " ") + (r"\b" if whole and w[-1].isalnum() else ""))
        for w in words
    ]
    pieces += [(a, re.escape(a) + r"\.?") for a in abbreviations]
    return "|".join(p for _, p in sorted(pieces, key=lambda item: -len(item[0])))


_MARKERS = _DATA["markers"]
_SEPARATORS = _DATA["separators"]
_ORDINAL = "|".join(_DATA["numbers"]["ordinal_suffixes"])
_RANGE_WORDS = "|".join(sorted(_SEPARATORS["range_words"], key=len, reverse=True))
_AFTER_DASH = "|".join(f"{w}-?" for w in sorted(_SEPARATORS["after_dash"], key=len, reverse=True))


_DIGITS = re.compile(r"\d+")
_WORD = re.compile(rf"\d+(?:{_ORDINAL})?|[^\W\d_]+|&")
_NAME_GAP = re.compile(r"[\s.,\-]{0,3}")  # allowed between the words of a name
_BOOK_GAP = re.compile(r"[\s.:*\-]{0,3}")  # allowed between a name and its first number
_NUMBER = re.compile(r"\d{1,3}(?!\d)")
_CV = re.compile(r"[ \t]*(?::+[,/]?|/|\*|')[ \t]*(?=\d)|\.(?=\d)|(?<=\d)v(?=\d)")
_DASH = re.compile(
    rf"[ \t]*\.?(?:[-\u2010-\u2015~]+(?:{_AFTER_DASH})?|(?:{_RANGE_WORDS})\b"
    rf"|(?<=\d)(?:{_RANGE_WORDS}))[ \t]*",
    re.IGNORECASE,
)
_AND = _alternation(_SEPARATORS["and_words"], _SEPARATORS["and_abbreviations"], whole=True)
_CHAPTER = _alternation(_MARKERS["chapter_words"], _MARKERS["chapter_abbreviations"], whole=False)
_VERSE = _alternation(_MARKERS["verse_words"], _MARKERS["verse_abbreviations"], whole=False)
_SEPARATOR = re.compile(
    r"[ \t]*(?:(?P<semi>;)|(?P<comma>,|/)"
    rf"|(?P<and>{_AND}))"
    r"[ \t]*",
    re.IGNORECASE,
)
_CHAPTER_MARK = re.compile(
    rf"(?:{_CHAPTER})"
    r"[ \t]*(?=\d)",
    re.IGNORECASE,
)
_VERSE_MARK = re.compile(
    rf"(?:{_VERSE})"
    r"[ \t]*(?=\d)",
    re.IGNORECASE,
)
_CHAPTER_TO_VERSE = re.compile(r"[ \t]*[:,\-\u2013\u2014]?[ \t]*")
_PLAIN_HYPHEN = re.compile(r"[ \t]?[-~](?=\d)")
# Between verses of one chapter, in prose: "19:1.8", "13:11:18", "10:32. 33".
_LOOSE_LIST = re.compile(r"[.:](?=\d)|\.[ \t]+(?=\d)")
# What may follow a verse listed after a full stop (not the start of a sentence's words).
_LIST_END = re.compile(r"[ \t]*(?:$|[;,.)\]\n]|[-\u2010-\u2015])")
# "4/18/2009", "2009/4/18": a date is never a reference
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])|\d{4}/\d{1,2}/\d{1,2}(?![\d/])")
_SPACED_VERSE = re.compile(r"[ \t\xa0]{1,2}(\d{1,3})(?=[ \t]*(?:$|[.,;:!?)\]\n]))")
_PASTED_WORD = re.compile(r"[A-Z][a-z]+")
_TIME_AFTER = re.compile(r"[ \t]*[ap]\.?m\b", re.IGNORECASE)  # "3:15 pm" is a time
_PASTED_TAIL = re.compile(r"(?<=[a-z])[A-Z][a-z]+$")
_TITLE = re.compile(r"[ \t]*:?[ \t]*title\b", re.IGNORECASE)
_FF = re.compile(r"[ \t]?ff?\b\.?", re.IGNORECASE)
_PART = re.compile(r"(?:[abc]|ab|bc)(?![^\W\d_])", re.IGNORECASE)
_LETTER_AFTER = re.compile(r"[^\W\d_]")
_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_][\w']*)")
_ORDINAL_CHAPTER_OF = re.compile(
    rf"[ \t]?({_ORDINAL})[ \t]+chapter[ \t]+of[ \t]+(?:the[ \t]+(?:book[ \t]+of[ \t]+)?)?",
    re.IGNORECASE,
)
# Words that introduce a book named whole, without numbers ("the book of Ruth").
_LEADS = _DATA["whole_books"]["leads"]
_WHOLE_BOOK_LEAD = re.compile(
    r"\b(?:"
    + "|".join(lead.replace(" ", r"[ \t]+") for lead in sorted(_LEADS, key=len, reverse=True))
    + r")[ \t]+(?:the[ \t]+)?(?:(?:st\.?|saint)[ \t]+)?",
    re.IGNORECASE,
)
# Each lead's first word but its first letter, to find leads with a plain search: "ook",
# "ospel" ... (a case-insensitive pattern without a literal prefix scans far slower).
_stems = sorted({lead.split()[0][1:] for lead in _LEADS}, key=len)
_stems = [stem for i, stem in enumerate(_stems) if not any(o in stem for o in _stems[:i])]
LEAD_STEMS = (*_stems, *(stem.upper() for stem in _stems))
_ORDINAL_PSALM = re.compile(rf"[ \t]?({_ORDINAL})[ \t]+psalm\b", re.IGNORECASE)

CHAPTER_MARKERS = frozenset(_MARKERS["chapter_words"] + _MARKERS["chapter_abbreviations"])
VERSE_MARKERS = frozenset(_MARKERS["verse_words"] + _MARKERS["verse_abbreviations"])
MARKERS = CHAPTER_MARKERS | VERSE_MARKERS
# Words that, after a bare number, show the number is a quantity and not a chapter.
QUANTITY_WORDS = frozenset(_DATA["numbers"]["quantity_words"])
# Words that may follow a chapter's number in a reference: markers, the words of lists
# and ranges, "ff"/"f", "title", verse parts. Any other lower-case word after a weak
# name's bare chapter makes it prose ("Col 2 shows the totals").
CONTINUATION_WORDS = (
    MARKERS
    | frozenset(_SEPARATORS["range_words"] + _SEPARATORS["and_abbreviations"])
    | frozenset(w for w in _SEPARATORS["and_words"] if " " not in w)
    | frozenset(_DATA["numbers"]["continuation_words"])
)

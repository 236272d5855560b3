"""Fuzzy matching of misspelled book names ("Exodis", "Phillipeans")."""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process

from manna.scripture.canon import Book, Canon, canon

# Names shorter than this are abbreviations; a typo of an abbreviation is just another word.
MIN_FUZZY_LENGTH = 4


@cache
def _choices() -> dict[str, list[str]]:
    """Candidate name keys grouped by their numeric prefix ("" for none)."""
    groups: dict[str, list[str]] = {}
    for key in [*canon().names, *canon().unnumbered]:
        prefix, _, rest = key.partition(" ") if key[:1].isdigit() else ("", "", key)
        if len(rest) >= MIN_FUZZY_LENGTH:
            groups.setdefault(prefix, []).append(key)
    return groups


def closest_name(key: str, names: Canon, cutoff: float) -> Book | None:
    """The book whose name is closest to `key` (similarity 0..1 at least `cutoff`), or None.

    A numbered key ("1 samual") is compared only with names of the same number.
    """
    groups = _choices()
    prefix, _, rest = key.partition(" ") if key[:1].isdigit() else ("", "", key)
    if len(rest) < MIN_FUZZY_LENGTH:
        return None
    found = process.extractOne(
        key, groups.get(prefix, []), scorer=fuzz.ratio, score_cutoff=cutoff * 100
    )
    if found is None:
        return None
    return names.names.get(found[0]) or names.unnumbered[found[0]]

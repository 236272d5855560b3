"""Fuzzy matching of misspelled book names ("Exodis", "Phillipeans", "Isaiiah")."""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

# The canon uses this module, so this module knows the canon only by its shape: two
# tables from a name key to a book.
B = TypeVar("B")


class Names(Protocol[B]):
    @property
    def names(self) -> dict[str, B]: ...

    @property
    def unnumbered(self) -> dict[str, B]: ...


# Names shorter than this are abbreviations; a typo of an abbreviation is just another word.
MIN_FUZZY_LENGTH = 4

# Once two letters are swapped back, what is left must be this close (a swap can turn a
# person's name into something near a book's: "ehzekiah" is 0.75 from "nehemiah").
SWAPPED_CUTOFF = 0.85

_DOUBLED = re.compile(r"(.)\1+")


def _undoubled(key: str) -> str:
    """ "isiiiah" -> "isiah": doubled letters are the commonest slip, so compare without them."""
    return _DOUBLED.sub(r"\1", key)


# Candidates per canon (there is one in practice; the key keeps it correct for any).
_CHOICES: dict[int, tuple[dict[str, list[str]], dict[str, dict[str, str]]]] = {}


def _choices(names: Names[B]) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """Candidate name keys grouped by their numeric prefix ("" for none), and the same
    without doubled letters, each mapped back to its key."""
    found = _CHOICES.get(id(names))
    if found is None:
        groups: dict[str, list[str]] = {}
        for key in [*names.names, *names.unnumbered]:
            prefix, _, rest = key.partition(" ") if key[:1].isdigit() else ("", "", key)
            if len(rest) >= MIN_FUZZY_LENGTH:
                groups.setdefault(prefix, []).append(key)
        undoubled = {p: {_undoubled(key): key for key in keys} for p, keys in groups.items()}
        found = _CHOICES[id(names)] = (groups, undoubled)
    return found


def closest_name(key: str, names: Names[B], cutoff: float) -> B | None:
    """The book whose name is closest to `key` (similarity 0..1 at least `cutoff`), or None.

    A numbered key ("1 samual") is compared only with names of the same number. When
    nothing is close enough, the comparison is repeated without doubled letters, then
    with one pair of neighbouring letters swapped back ("psamla" -> "psalma").
    """
    prefix, _, rest = key.partition(" ") if key[:1].isdigit() else ("", "", key)
    if len(rest) < MIN_FUZZY_LENGTH:
        return None
    choices, undoubled_choices = _choices(names)
    best = _closest(key, choices.get(prefix, []), cutoff)
    if best is None:
        undoubled = undoubled_choices.get(prefix, {})
        found = _closest(_undoubled(key), list(undoubled), cutoff)
        best = undoubled[found] if found is not None else None
    if best is None:
        best = _closest_swapped(key, choices.get(prefix, []), max(cutoff, SWAPPED_CUTOFF))
    if best is None:
        return None
    return names.names.get(best) or names.unnumbered[best]


def _closest_swapped(key: str, choices: list[str], cutoff: float) -> str | None:
    """The closest name to `key` with one adjacent transposition undone, the likeliest slip
    after a doubled letter (a similarity measure of insertions and deletions counts it twice)."""
    from rapidfuzz import fuzz, process  # here: importing it costs a cold start ~100 ms

    found = None
    best = 0.0
    for i in range(len(key) - 1):
        if key[i] == key[i + 1] or not (key[i].isalpha() and key[i + 1].isalpha()):
            continue
        swapped = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        candidate = process.extractOne(
            swapped, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100
        )
        if candidate is not None and candidate[1] > best:
            found, best = candidate[0], candidate[1]
    return found


def _closest(key: str, choices: list[str], cutoff: float) -> str | None:
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Levenshtein

    candidates = process.extract(
        key, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=5
    )
    if not candidates:
        return None
    # Ties in similarity ("johm": john or josh?) go to the fewest edits (john).
    best = max(candidates, key=lambda c: (c[1], Levenshtein.normalized_similarity(key, c[0])))
    return best[0]

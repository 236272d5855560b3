"""Graded depth: one devotion read as a glimpse, a walk or a study (pure Python).

In the file an author marks parts of the body with fences on lines of their own:

    ::: glimpse
    What a reader with two minutes should not miss.
    :::

    ::: study
    The longer look: word studies, cross-references, history.
    :::

Unmarked text is `walk`. Depths nest: a walk shows the glimpse parts and the unmarked
ones; a study shows everything. The renderer turns each fence into a marker paragraph,
and `segments` cuts the rendered HTML at the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process

DEPTHS = ("glimpse", "walk", "study")
DEFAULT = "walk"
RANK = {name: rank for rank, name in enumerate(DEPTHS)}
WORDS_PER_MINUTE = 200
COOKIE = "manna_depth"  # a visitor's remembered depth (an account keeps it on the profile)
LABELS = {"glimpse": "Glimpse", "walk": "Walk", "study": "Study"}

# `::: study`, `:::study`, and a bare `:::` that closes a block.
FENCE = re.compile(r"^\s*:::\s*([^\s:]*)\s*$")
_MARKER = "\ue010depth:{}\ue011"
_MARKER_HTML = re.compile(r"<p>\ue010depth:([a-z]+)\ue011</p>\n?")


def marker(depth: str) -> str:
    """The paragraph that stands for a fence until the HTML is cut (`end` closes)."""
    return _MARKER.format(depth)


def suggest(name: str) -> str | None:
    found = process.extractOne(name.lower(), DEPTHS, score_cutoff=60)
    return found[0] if found else None


def unknown_depth_message(name: str) -> str:
    hint = suggest(name)
    did_you_mean = f" - did you mean {hint}?" if hint else ""
    return (
        f'unknown depth "{name}"{did_you_mean} Use "::: glimpse", "::: walk" or "::: study", '
        'and ":::" to close'
    )


def is_depth(name: str | None) -> bool:
    return name in RANK


def reading_minutes(words: int) -> int:
    return max(1, round(words / WORDS_PER_MINUTE)) if words else 0


@dataclass(frozen=True, slots=True)
class Segment:
    number: int
    depth: str
    html: str


def segments(html: str) -> list[Segment]:
    """The rendered body cut at the markers: each part with its depth, in order."""
    parts = _MARKER_HTML.split(html)
    out = [Segment(0, DEFAULT, parts[0])]
    for i in range(1, len(parts), 2):
        name, text = parts[i], parts[i + 1]
        out.append(Segment(len(out), DEFAULT if name == "end" else name, text))
    return [s for s in out if s.html.strip()]


def at_depth(parts: list[Segment], depth: str) -> str:
    """The HTML a reader at `depth` sees. Each part starts with an empty mark carrying its
    number and depth, so a page switching depth can find the reader's place again."""
    rank = RANK[depth]
    if len(parts) <= 1:  # nothing marked: no place to keep
        return "".join(s.html for s in parts if RANK[s.depth] <= rank)
    return "".join(
        f'<span class="depth-mark" id="at-{s.number}" data-depth="{s.depth}"></span>\n{s.html}'
        for s in parts
        if RANK[s.depth] <= rank
    )

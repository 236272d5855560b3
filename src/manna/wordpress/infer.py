"""The devotion inside a blog post: its passage, found where devotional blogs put it (pure
Python, on the scripture engine; no Django)."""

from __future__ import annotations

import re

from manna.scripture import InvalidReferenceError, find_references, parse_reference

_LEAD = re.compile(r"^[\s:;,.\-–—|]+|[\s:;,.\-–—|]+$")


def passage_in_title(title: str) -> tuple[str, str] | None:
    """("Exodus 33:12-23", "The more we commune") from "EXODUS 33:12-23 The more we
    commune": a reference that opens the title (or closes it, "Title - John 3:16") is the
    passage, the rest the title; a title all in capitals gets a sentence's capitals."""
    matches = list(find_references(title))
    if not matches:
        return None
    first, last = matches[0], matches[-1]
    if not title[: first.start].strip(" \t-–—:|"):
        rest = title[first.end :]
        found = first
    elif not title[last.end :].strip(" \t-–—:|)."):
        rest = title[: last.start].rstrip(" (")
        found = last
    else:
        return None
    passage = _human(found.text)
    if passage is None:
        return None
    return passage, sentence_case(_LEAD.sub("", rest)) or passage


def passage_in_line(line: str) -> str | None:
    """A first line that is a reference and little else ("Read: Psalm 23", "Psalm 23:1-6
    (NIV)") names the passage."""
    matches = list(find_references(line))
    if len(matches) != 1:
        return None
    leftover = line[: matches[0].start] + line[matches[0].end :]
    words = re.findall(r"[A-Za-z]+", leftover)
    if len(words) > 3:
        return None
    return _human(matches[0].text)


def _human(text: str) -> str | None:
    try:
        return parse_reference(text).human()
    except InvalidReferenceError:
        return None


def sentence_case(text: str) -> str:
    """A title in capitals ("THE MORE WE COMMUNE WITH GOD") as a sentence ("The more we
    commune with God" keeps "God" and "I"); any other title as it was."""
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text
    words = text.lower().split(" ")
    kept = {"god", "lord", "i", "jesus", "christ", "spirit", "holy"}
    out = [w.capitalize() if w.strip("'’,.!?;:") in kept else w for w in words]
    if out:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)

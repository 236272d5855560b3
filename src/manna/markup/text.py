"""Words for people (pure Python): a value as a message repeats it, a count as English
says it."""

from __future__ import annotations


def shown(value: object, width: int = 60) -> str:
    """`value` as text, cut to `width` characters with "..." when longer: a message
    about a bad value never repeats more than a line of it."""
    text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def counted(n: int, word: str, plural: str = "") -> str:
    """ "1 evening", "2 evenings" (`plural` when adding an s does not make it)."""
    return f"{n} {word if n == 1 else plural or word + 's'}"

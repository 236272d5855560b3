"""A value as a message repeats it (pure Python)."""

from __future__ import annotations


def shown(value: object, width: int = 60) -> str:
    """`value` as text, cut to `width` characters with "..." when longer: a message
    about a bad value never repeats more than a line of it."""
    text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."

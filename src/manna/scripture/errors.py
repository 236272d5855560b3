"""Errors raised by the scripture engine.

Each message says what was wrong and what would be right.
"""

from __future__ import annotations


class ScriptureError(Exception):
    """Base class of every error the engine raises on bad input."""


class InvalidReferenceError(ScriptureError):
    """A reference that cannot be read or names verses that do not exist."""


class UnknownBookError(InvalidReferenceError):
    def __init__(self, name: str, suggestion: str | None = None) -> None:
        message = f'unknown book "{name}"'
        if suggestion:
            message += f" - did you mean {suggestion}?"
        super().__init__(message)
        self.name = name
        self.suggestion = suggestion


class TranslationNotFoundError(ScriptureError):
    def __init__(self, code: str, installed: list[str]) -> None:
        if installed:
            hint = "installed translations: " + ", ".join(installed)
        else:
            hint = "no translations are installed - run `manna import-bible --all` first"
        super().__init__(f'unknown translation "{code}" ({hint})')
        self.code = code
        self.installed = installed


class ImportRefusedError(ScriptureError):
    """A text that failed verification on import; nothing was written."""

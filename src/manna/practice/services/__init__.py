"""Writes, one module a feature (rhythm, sessions, journal, prayers, plans), re-exported
here: the practice settings, sessions and their timer, the journal, the prayer list
and reading plans. Every function takes the person it acts for and touches only what is
theirs; the views look things up through the selectors, which enforce the same."""

from manna.practice.services.journal import (
    JOURNAL_MAX_CHARS,
    Saved,
    entry_create,
    entry_delete,
    entry_save,
)
from manna.practice.services.plans import (
    depth_along,
    plan_catch_up,
    plan_push,
    plan_respread,
    plan_start,
    plan_stop,
    reading_mark,
)
from manna.practice.services.prayers import (
    prayer_add,
    prayer_answer,
    prayer_delete,
    prayer_edit,
    prayer_note,
    prayer_reopen,
)
from manna.practice.services.rhythm import (
    SESSION_MINUTES,
    calendar_token_renew,
    rhythm_of,
    rhythm_update,
)
from manna.practice.services.sessions import (
    session_finish,
    session_open,
    session_pause,
    session_resume,
    session_start,
)

__all__ = [
    "JOURNAL_MAX_CHARS",
    "SESSION_MINUTES",
    "Saved",
    "calendar_token_renew",
    "depth_along",
    "entry_create",
    "entry_delete",
    "entry_save",
    "plan_catch_up",
    "plan_push",
    "plan_respread",
    "plan_start",
    "plan_stop",
    "prayer_add",
    "prayer_answer",
    "prayer_delete",
    "prayer_edit",
    "prayer_note",
    "prayer_reopen",
    "reading_mark",
    "rhythm_of",
    "rhythm_update",
    "session_finish",
    "session_open",
    "session_pause",
    "session_resume",
    "session_start",
]

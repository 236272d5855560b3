"""Sessions as Django keeps them in the database, the row read by a prepared query
(manna.web.prepared): every signed-in page reads it, and Django compiling that query took
longer than SQLite answering it. The engine when there is no shared cache (settings).

Its signed text is decoded once per process (checking the signature, unpacking, JSON took
20 µs a page on this machine): the same text always decodes to the same data. What is kept
is a signed-in session's plain values; each page gets its own copy to change."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from manna.web.prepared import Prepared

_UNEXPIRED = Prepared(
    Session, lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1]
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        found = _UNEXPIRED(key=self.session_key, now=timezone.now())
        if found:
            return found[0]
        self._session_key = None  # gone or expired: Django's own answer, a new session
        return None

    def decode(self, session_data: str) -> dict[str, Any]:
        flat = _decoded(session_data)
        return dict(flat) if flat is not None else super().decode(session_data)


_PLAIN = (str, int, float, bool, type(None))


@functools.lru_cache(maxsize=4096)
def _decoded(session_data: str) -> tuple[tuple[str, Any], ...] | None:
    """The session's items when every value is plain (a copy of them can be changed
    without changing what is kept); None: decode it each time."""
    data = db.SessionStore().decode(session_data)
    if all(isinstance(value, _PLAIN) for value in data.values()):
        return tuple(data.items())
    return None

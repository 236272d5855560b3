"""Sessions as Django keeps them in the database, the row read by a prepared query
(manna.web.prepared): every signed-in page reads it, and Django compiling that query took
longer than SQLite answering it. The engine when there is no shared cache (settings)."""

from __future__ import annotations

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

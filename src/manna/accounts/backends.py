"""Signing in: Django's own checks, and the signed-in person read with their profile in
one prepared query (every page's header shows it; manna.web.prepared)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from manna.web.prepared import Prepared

_PERSON: Prepared[Any] = Prepared(
    get_user_model(),
    lambda pk: get_user_model()._default_manager.select_related("profile").filter(pk=pk)[:1],
)


class ProfileBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            found = _PERSON(pk=int(user_id))
        except (TypeError, ValueError):  # not an id this site gave out
            return None
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None

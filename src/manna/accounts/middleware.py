from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import LazyObject

from manna.accounts.selectors import profile_of


class TimeZoneMiddleware:
    """Times on pages (replies, histories) in the signed-in person's own time zone.

    The devotion of the day is still chosen in the site's time zone (MANNA_TIME_ZONE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            # Every request's person is known from here on: the person themselves, not
            # Django's lazy stand-in, whose every attribute read costs a Python call or two.
            user.is_authenticated  # noqa: B018 - reading it finds the person
            user = request.user = user._wrapped
        if user is not None and user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(profile_of(user).time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)

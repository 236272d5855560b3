"""What the practice pages share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from manna.accounts.selectors import profile_of
from manna.practice import clock
from manna.web.http import on_site


def today_of(request: HttpRequest) -> dt.date:
    return clock.practice_day(timezone.now(), profile_of(request.user).time_zone)


def owned(found: Any) -> Any:
    if found is None:
        raise Http404("Nothing of yours here.")
    return found


def back_to(request: HttpRequest, default: str) -> str:
    """Where a form asked to return: one of this site's paths, else `default`."""
    back = request.POST.get("next", "")
    return back if on_site(request, back) else default

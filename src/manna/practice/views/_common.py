"""What the practice pages share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from manna.accounts.selectors import profile_of
from manna.practice import clock
from manna.web.http import on_site, see_other


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


def delete_confirmed(
    request: HttpRequest, *, thing: Any, name: str, delete: Callable[[], None], done: str
) -> HttpResponse:
    """A deletion asks first (practice/<name>_delete.html shows `thing`); its POST deletes
    and goes to `done`."""
    if request.method == "POST":
        delete()
        messages.success(request, f"The {name} is deleted.")
        return see_other(done)
    return render(request, f"practice/{name}_delete.html", {name: thing})

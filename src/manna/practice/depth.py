"""The reader's depth (glimpse, walk, study): chosen, remembered, and grown.

A reader chooses a depth on any devotion page (links with `?depth=`, so it works without
JavaScript). The choice is remembered: on the account for a signed-in reader, in a cookie
otherwise. An unknown `?depth=` is ignored. Manna never changes the depth by itself: when a
reader has kept a steady rhythm at one depth (MANNA_DEPTH_GROWTH, "sessions/days"), it
invites them one step deeper and says why; "not now" quiets it for that many days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from manna.accounts.models import Profile
from manna.accounts.selectors import profile_of
from manna.devotions.depth import COOKIE, DEFAULT, DEPTHS, is_depth
from manna.practice.models import Session

COOKIE_SECONDS = 365 * 24 * 3600


def depth_of(request: HttpRequest) -> str:
    """The depth this page is read at: a valid `?depth=`, else the one remembered."""
    asked = request.GET.get("depth", "")
    if is_depth(asked):
        return asked
    return remembered(request)


def remembered(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return profile_of(request.user).depth
    cookie = request.COOKIES.get(COOKIE, "")
    return cookie if is_depth(cookie) else DEFAULT


def remember(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a visitor's valid `?depth=` in their cookie (only when it changes it). An
    account's depth changes only by a POST (views.depth_remember, which the depth
    control's script sends): a GET never writes to an account."""
    asked = request.GET.get("depth", "")
    if request.user.is_authenticated or not is_depth(asked) or asked == remembered(request):
        return
    response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)


def growth_rule() -> tuple[int, int]:
    """(sessions, days) from MANNA_DEPTH_GROWTH."""
    sessions, _, days = settings.MANNA_DEPTH_GROWTH.partition("/")
    return int(sessions), int(days)


@dataclass(frozen=True, slots=True)
class Invitation:
    current: str
    deeper: str
    kept: int  # sessions kept at `current` in the window
    sessions: int  # the rule
    days: int


def invitation_for(user: AbstractBaseUser, now: dt.datetime, today: dt.date) -> Invitation | None:
    """An invitation one step deeper, when the reader's rhythm at their depth is steady."""
    if not user.is_authenticated:
        return None
    profile = profile_of(user)
    current = profile.depth
    if current == DEPTHS[-1]:
        return None
    sessions, days = growth_rule()
    since = today - dt.timedelta(days=days - 1)
    declined = profile.depth_invitation_declined
    if declined is not None and declined > today - dt.timedelta(days=days):
        return None
    candidates = Session.objects.filter(user=user, depth=current, day__gte=since, day__lte=today)
    kept = sum(1 for s in candidates if s.kept(now))
    if kept < sessions:
        return None
    deeper = DEPTHS[DEPTHS.index(current) + 1]
    return Invitation(current, deeper, kept, sessions, days)


def decline_invitation(user: AbstractBaseUser, today: dt.date) -> None:
    Profile.objects.filter(user=user).update(depth_invitation_declined=today)

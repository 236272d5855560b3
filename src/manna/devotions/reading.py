"""The depth a reader reads at: chosen on the page, remembered, kept by a POST.

A reader chooses a depth on any devotion page (links with `?depth=`, so it works without
JavaScript): the page is shown at that depth. A visitor's choice is remembered in a cookie;
a signed-in reader keeps it on their profile by a POST (`keep`, sent by the depth control's
script, or its button): a GET never writes to an account. An unknown `?depth=` is ignored.
(How a reader grows into the next depth is the practice's: manna.practice.depth.)
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from manna.devotions.depth import COOKIE, DEFAULT, is_depth

COOKIE_SECONDS = 365 * 24 * 3600


def depth_of(request: HttpRequest) -> str:
    """The depth this page is read at: a valid `?depth=`, else the one remembered."""
    asked = request.GET.get("depth", "")
    if is_depth(asked):
        return asked
    return remembered(request)


def remembered(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return account_depth(request.user)
    cookie = request.COOKIES.get(COOKIE, "")
    return cookie if is_depth(cookie) else DEFAULT


def account_depth(user: AbstractBaseUser) -> str:
    """The depth kept on an account (its profile's; the default without one)."""
    profile = getattr(user, "profile", None)
    return profile.depth if profile is not None else DEFAULT


def remember(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a visitor's valid `?depth=` in their cookie (only when it changes it)."""
    asked = request.GET.get("depth", "")
    if request.user.is_authenticated or not is_depth(asked) or asked == remembered(request):
        return
    response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)


def keep(user: AbstractBaseUser, depth: str) -> None:
    """The reader's own depth from now on (a valid depth: the caller checks)."""
    profile = user.profile
    profile.depth = depth
    profile.save(update_fields=["depth"])

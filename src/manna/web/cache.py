"""A short page cache for anonymous readers.

Pages are rendered from rows that change only when a devotion is saved, and a devotion
appears on its day; so a page kept for MANNA_PAGE_CACHE_SECONDS (default 60) is at most
that stale. Signed-in people, and anyone with a session or a message waiting (a guest
who has just replied), always get a fresh page; a response that sets a cookie is never
kept. Each server process keeps its own
cache in memory (Django's local-memory cache).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from manna.devotions.depth import COOKIE as DEPTH_COOKIE


def anonymous_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.MANNA_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        # The host is part of the page (absolute links, the site's name in feeds), and a
        # reader's remembered depth changes the devotion pages (see practice.depth).
        depth = request.COOKIES.get(DEPTH_COOKIE, "")
        key = f"page:{request.get_host()}:{request.get_full_path()}:{depth}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, seconds)
        return response

    return wrapper


def _personal(request: HttpRequest) -> bool:
    """Whether the page may differ for this person."""
    cookies = request.COOKIES
    return (
        request.user.is_authenticated
        or settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
    )

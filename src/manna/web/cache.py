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


def anonymous_cache(
    view: Callable[..., HttpResponse] | None = None, *, cookies: tuple[str, ...] = ()
) -> Any:
    """Keep a page for anonymous readers. `cookies` names the cookies the page varies on
    (a visitor's remembered depth): `@anonymous_cache` or `@anonymous_cache(cookies=...)`."""
    if view is None:
        return lambda view: anonymous_cache(view, cookies=cookies)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.MANNA_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        # The host is part of the page (absolute links, the site's name in feeds).
        varied = ":".join(request.COOKIES.get(name, "") for name in cookies)
        key = f"page:{request.get_host()}:{request.get_full_path()}:{varied}"
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

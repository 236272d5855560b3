"""The page cache for anonymous readers, the fragments every reader shares, and the
generation that retires both when a devotion changes.

- **The generation** (`generation()`, `pages_changed()`): a number in every cached page's
  and fragment's key. Publishing, unpublishing, editing or removing a devotion calls
  `pages_changed()`, which moves it on, so nothing built before is served again: on every
  server at once. With a shared cache (MANNA_CACHE_URL) the number lives in the cache; in
  the embedded default (each process its own memory) it is the time a stamp file in the
  data folder was last touched, which every process on the machine sees.
- **Fragments** (`shared(key, build)`): the parts of a page that are the same for every
  reader (a devotion's article at one depth, a chapter's verses), built once per
  generation and kept for a day.
- **Pages** (`anonymous_cache` marks a view's pages, `PageCache` keeps and serves them
  first of the middleware): a whole page kept for MANNA_PAGE_CACHE_SECONDS (default 60)
  for people with no session; what changes without a devotion changing (a reply, a like)
  is at most that stale. Signed-in people, and anyone with a session or a message
  waiting (a guest who has just replied), always get a fresh page; a response that sets a
  cookie is never kept.
- **The code** (`code_version()`): a hash of the package, also in every key, so servers
  running different code during a rolling upgrade never serve each other's pages.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

GENERATION_KEY = "manna:generation"
STAMP = "pages-changed"  # the embedded default's generation: this file's mtime
FRAGMENT_SECONDS = 24 * 3600


# A request reads the generation once (PageCache opens this memo for it): its page and
# fragments then agree, and a shared cache is asked once a request, not once a fragment.
_request_memo: ContextVar[dict[str, int] | None] = ContextVar("manna_generation", default=None)


def generation() -> int:
    """The current generation of pages and fragments."""
    memo = _request_memo.get()
    if memo is None:
        return _read_generation()
    if "generation" not in memo:
        memo["generation"] = _read_generation()
    return memo["generation"]


def _read_generation() -> int:
    if not settings.MANNA_CACHE_URL:
        try:
            return os.stat(_stamp()).st_mtime_ns
        except FileNotFoundError:
            return 0
    value = cache.get(GENERATION_KEY)
    if value is None:
        # After an eviction or a flush: a number never used before (the time).
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def pages_changed() -> None:
    """A devotion was published, unpublished, edited or removed: retire every cached page
    and fragment (call it once the change is committed)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()  # the rest of this request reads the new generation
    if not settings.MANNA_CACHE_URL:
        stamp = Path(_stamp())
        stamp.parent.mkdir(parents=True, exist_ok=True)
        try:
            last = stamp.stat().st_mtime_ns
        except FileNotFoundError:
            stamp.touch()
            last = 0
        # Two changes within the file system's clock tick must still differ.
        now = max(time.time_ns(), last + 1)
        os.utime(stamp, ns=(now, now))
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, flushed): a fresh number
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _stamp() -> str:
    # A joined string, read on every request: building a Path each time cost a kept page 10%.
    return os.path.join(settings.DATA_DIR, STAMP)


@functools.cache
def code_version() -> str:
    """The package's Python code and templates, hashed (16 hex digits, once a process).
    Kept pages and fragments carry it in their keys: during a rolling upgrade a server
    never serves what another, running other code, built."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html") and "tests" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def shared(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """What `build()` makes, kept under `key` (every value that changes it) for this
    generation and this code: built once for everyone, not once per request. The value
    must not be changed by whoever gets it (a string, a tuple, a frozen dataclass): this
    process hands the same one to the next request."""
    full = cache_key("fragment", code_version(), generation(), *key)
    value = _fetched.get(full)
    if value is None:
        value = cache.get(full)
        if value is None:
            value = build()
            cache.set(full, value, FRAGMENT_SECONDS)
        _fetched.put(full, value)
    return value


class _Fetched:
    """The fragments this process used last, in its own memory, most recent last. A kept
    fragment never changes under its key (the key holds the generation, the code and
    every value that changes it), so a request takes it from here: with no unpickling, and
    with a shared cache no round trip to Redis. Keys no page asks for again (an old
    generation) are forgotten as new ones come."""

    SIZE = 256

    def __init__(self) -> None:
        self._values: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            if len(self._values) > self.SIZE:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_fetched = _Fetched()


def forget_fetched() -> None:
    """Forget the fragments this process holds in memory (with cache.clear(), in tests)."""
    _fetched.clear()


def anonymous_cache(
    view: Callable[..., HttpResponse] | None = None, *, cookies: tuple[str, ...] = ()
) -> Any:
    """Mark a page as one the page cache may keep for anonymous readers (PageCache keeps
    and serves it). `cookies` names the cookies the page varies on (a visitor's remembered
    depth): `@anonymous_cache` or `@anonymous_cache(cookies=...)`."""
    if view is None:
        return lambda view: anonymous_cache(view, cookies=cookies)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not _personal(request):
            response.manna_page_varies_on = cookies
        return response

    return wrapper


class PageCache:
    """The page cache, first of the middleware: a kept page is answered before any other
    middleware or view runs (its headers are those they gave it when it was kept). Every
    request's generation is read here, once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            return self._answer(request)
        finally:
            _request_memo.reset(token)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.MANNA_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or _personal_cookies(request):
            return self.get_response(request)
        try:
            # The host is part of the page (absolute links, the site's name in feeds).
            address = f"{request.get_host()}{request.get_full_path()}"
        except DisallowedHost:
            return self.get_response(request)  # answered by the usual refusal
        now = f"{code_version()}.{generation()}"
        varies_on = cache.get(cache_key("page-varies", now, address))
        if varies_on is not None:
            kept = cache.get(_page_key(now, address, request, varies_on))
            if kept is not None:
                request.manna_kept_page = True
                return kept
        response = self.get_response(request)
        varies_on = getattr(response, "manna_page_varies_on", None)
        user = getattr(request, "user", None)
        if (
            varies_on is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (user is not None and user.is_authenticated)
        ):
            cache.set_many(
                {
                    cache_key("page-varies", now, address): varies_on,
                    _page_key(now, address, request, varies_on): response,
                },
                seconds,
            )
        return response


def _page_key(now: str, address: str, request: HttpRequest, varies_on: tuple[str, ...]) -> str:
    varied = ":".join(request.COOKIES.get(name, "") for name in varies_on)
    return cache_key("page", now, address, varied)


def cache_key(*parts: Any) -> str:
    """The parts joined; hashed when long or odd (an address may hold anything a visitor
    typed, and a cache key must be short and plain)."""
    key = ":".join(str(part) for part in parts)
    if len(key) > 200 or not key.isprintable() or " " in key:
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return f"{parts[0]}:{digest}"
    return key


def _personal_cookies(request: HttpRequest) -> bool:
    """Whether the request carries a cookie that may make the page this person's."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _personal(request: HttpRequest) -> bool:
    """Whether the page may differ for this person."""
    return request.user.is_authenticated or _personal_cookies(request)

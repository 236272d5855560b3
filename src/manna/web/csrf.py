"""The CSRF token a page's forms carry: Django's, masked afresh for each page as Django
masks it, with the mask's 32 characters drawn from one read of the system's randomness.

Django draws them one `secrets.choice` at a time, 32 system calls: 45 µs a page on this
machine, about 5% of a signed-in page. The token is the same kind (the mask, then the
secret shifted by it, in CSRF_ALLOWED_CHARS), so Django's CsrfViewMiddleware checks it as
its own (tested). A request with no secret yet gets one from Django's get_token, which
also sets the cookie."""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
_SPAN = len(CSRF_ALLOWED_CHARS)
_EVEN = 256 - 256 % _SPAN  # bytes below this fall evenly on the characters


def masked_token(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token returns, drawn faster."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)  # a new secret, and its cookie
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie's year renewed
    mask = _random_indices(CSRF_SECRET_LENGTH)
    cipher = (
        CSRF_ALLOWED_CHARS[(_INDEX[c] + m) % _SPAN] for c, m in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + "".join(cipher)


def _random_indices(count: int) -> list[int]:
    """`count` positions in CSRF_ALLOWED_CHARS, each equally likely (a byte at or above
    _EVEN is thrown away, so none is favoured)."""
    found: list[int] = []
    while len(found) < count:
        found += [byte % _SPAN for byte in os.urandom(count) if byte < _EVEN]
    return found[:count]


def csrf(request: HttpRequest) -> dict[str, object]:
    """The template context's `csrf_token` (settings: after Django's own, which it
    replaces), worked out only when a page asks for it."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}

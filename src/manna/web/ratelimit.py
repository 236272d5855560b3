"""Rate limits per account and per IP address, counted in the database.

The counters live in the database rather than in each server process's memory, so a
limit holds across every worker. A limit is "count/seconds" (settings.MANNA_RATE_LIMITS);
the count is kept per fixed window of that many seconds.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from manna.markup.text import counted
from manna.web.models import RateCounter


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, *, name: str) -> Limit:
        try:
            count, seconds = (int(part) for part in text.split("/"))
        except ValueError:
            raise ValueError(
                f'rate limit {name}="{text}": write it as count/seconds, e.g. "5/60"'
            ) from None
        if count < 1 or seconds < 1:
            raise ValueError(f'rate limit {name}="{text}": count and seconds must be at least 1')
        return cls(count, seconds)


class RateLimited(Exception):
    """Too many requests; `retry_after` is the number of seconds until the next window."""

    def __init__(self, action: str, retry_after: int) -> None:
        self.action = action
        self.retry_after = retry_after
        minutes = (
            counted(retry_after, "second")
            if retry_after < 120
            else counted(retry_after // 60, "minute")
        )
        super().__init__(f"Too many attempts in a short time. Please try again in {minutes}.")


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, or with MANNA_PROXY_HOPS trusted proxies in
    front, the address the outermost trusted proxy saw."""
    hops = settings.MANNA_PROXY_HOPS
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def check_rate(action: str, request: HttpRequest, *, who: str = "") -> None:
    """Count one attempt at `action` for this client's IP address and for `who` (an
    account id or an email address, when known); raise RateLimited when over a limit."""
    hit(f"{action}-ip", client_ip(request))
    if who:
        hit(action, who)


def hit(name: str, subject: str, *, now: float | None = None) -> None:
    limit = Limit.parse(settings.MANNA_RATE_LIMITS[name], name=name)
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    # Subjects are hashed: the table never holds an email address or IP in the clear.
    digest = hashlib.sha256(identity(subject).encode()).hexdigest()[:32]
    key = f"{name}:{digest}"
    hits = _increment(key, window)
    if hits > limit.count:
        retry_after = max(1, int((window + 1) * limit.seconds - now))
        raise RateLimited(name.removesuffix("-ip"), retry_after)


def identity(subject: str) -> str:
    """The one form every spelling of a subject counts under: " Ruth@Example.org " and
    "ruth@example.org" are one account to a form that strips and folds case, so they are
    one subject to its limit."""
    return unicodedata.normalize("NFKC", subject).strip().casefold()


def _increment(key: str, window: int) -> int:
    counters = RateCounter.objects.filter(key=key, window=window)
    if not counters.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window=window, hits=1)
            RateCounter.objects.filter(key=key, window__lt=window).delete()
            return 1
        except IntegrityError:  # another request created it first
            counters.update(hits=F("hits") + 1)
    return counters.values_list("hits", flat=True).get()


def too_many(
    request: HttpRequest, template: str, context: Mapping[str, object], error: RateLimited
) -> HttpResponse:
    """The form again, with what was typed, the reason, a 429 and Retry-After."""
    response = render(request, template, {**context, "rate_error": str(error)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response

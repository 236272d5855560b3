"""Small helpers the site's views share."""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

# A database id as people and forms send it: ASCII digits only ("²" is a digit to
# str.isdigit and not to int), and no more than a 64-bit column holds.
_ID = re.compile(r"[0-9]{1,18}")


def object_id(value: object) -> int | None:
    """`value` as a database id, or None when it cannot be one."""
    text = str(value).strip()
    return int(text) if _ID.fullmatch(text) else None


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data on a POST (even an empty one, which must show its errors), None on
    a GET. (`request.POST or None` would treat an empty POST as a GET.)"""
    return request.POST if request.method == "POST" else None


def see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST, the browser GETs `url` (a reload does not send the form again)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's script asked for JSON (the same view answers a plain form)."""
    return "application/json" in request.headers.get("Accept", "")


def on_site(request: HttpRequest, target: str) -> bool:
    """Whether `target` is a path on this site: never another site ("//evil", "/\\evil",
    "https://evil") and never a bare word, which redirect() would take for a view's name."""
    return (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def account_mark(user: object, purpose: str) -> str:
    """An opaque mark of an account for one `purpose` (what a browser keeps under it: the
    journal's unsent drafts, the pages kept offline): stable, never its id, and different
    from one purpose to another."""
    return _mark(purpose, str(user.pk), settings.SECRET_KEY)  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=4096)
def _mark(purpose: str, pk: str, secret_key: str) -> str:
    """Worked out once per account and purpose (a signed-in page asks one to three times;
    Django derives the key afresh each time): the key is part of what it is made from."""
    return salted_hmac(purpose, pk, secret=secret_key).hexdigest()[:32]

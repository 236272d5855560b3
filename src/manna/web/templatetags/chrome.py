"""`{% site_header %}`: base.html's header. It is the same for everyone with the same name,
roles and waiting count (and for every anonymous reader), so it is rendered once a process
for each and the request's CSRF token put in: its thirty-odd template nodes had been
rendered again on every page."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from manna.web.kept import filled, stand_in
from manna.web.templatetags.forms import csrf_input

register = template.Library()

_TOKEN = stand_in("csrf-token")


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> SafeString:
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    me = context.get("me")
    kept = _header(
        get_script_prefix(),
        str(context.get("site_name", "")),
        signed_in,
        str(me.display_name) if signed_in and me is not None else "",
        bool(context.get("i_write")),
        bool(context.get("i_moderate")),
        int(context.get("replies_waiting") or 0),
    )
    if not signed_in:  # no form: the token is never asked for (asking would set its cookie)
        return mark_safe(kept)  # noqa: S308 - our template's HTML
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, no secret
        return filled(kept, {csrf_input(_TOKEN): ""})  # no token: no input, as Django's tag
    return filled(kept, {_TOKEN: str(token)})


@functools.lru_cache(maxsize=4096)
def _header(
    script_prefix: str,  # the links' prefix: part of what the header is
    site_name: str,
    signed_in: bool,
    display_name: str,
    i_write: bool,
    i_moderate: bool,
    replies_waiting: int,
) -> str:
    context = {
        "site_name": site_name,
        "signed_in": signed_in,
        "display_name": display_name,
        "i_write": i_write,
        "i_moderate": i_moderate,
        "replies_waiting": replies_waiting,
        "csrf_token": _TOKEN,
    }
    return render_to_string("_header.html", context)

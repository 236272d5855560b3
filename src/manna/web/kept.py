"""HTML kept for many readers, each reader's own values put in as it is served (a CSRF
token, a form's fresh ids): the HTML is built once with a stand-in where each value goes.

A whole page can be kept the same way, its reader's own parts left as holes: rendered with
SKELETON in its context, each tag that writes a reader's part (`{% site_header %}`,
`{% replies %}`...) writes the stand-in `hole(name)` instead; `holes_filled` puts the
reader's parts in.

A stand-in is NUL (the site refuses it in anything a person sends) around a name and a
mark derived from SECRET_KEY: the same in every process and on every machine sharing the
cache (a fragment one builds, another fills), and not one anybody could type."""

from __future__ import annotations

import html

from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe


def stand_in(name: str) -> str:
    mark = salted_hmac("manna.web.kept", name).hexdigest()[:16]
    return f"\x00{name}-{mark}\x00"


# The stand-in for the reader's CSRF token, wherever kept HTML has a form.
CSRF_TOKEN = stand_in("csrf-token")


class AnyoneSignedIn:
    """The viewer kept HTML for signed-in readers is rendered for: signed in, and no one in
    particular (no account has pk 0: nothing on the page is theirs)."""

    is_authenticated = True
    pk = 0


ANYONE_SIGNED_IN = AnyoneSignedIn()


def filled(kept: str, values: dict[str, str]) -> SafeString:
    """`kept` with each stand-in replaced by its value, escaped."""
    for stand, value in values.items():
        kept = kept.replace(stand, html.escape(value))
    return mark_safe(kept)  # noqa: S308 - our templates' HTML, every value escaped


# In a template's context: render the page's skeleton, the readers' own parts left as holes.
SKELETON = "manna_skeleton"


def hole(name: str) -> SafeString:
    """Where a reader's own part of a kept page goes."""
    return mark_safe(stand_in(f"hole-{name}"))  # noqa: S308 - NUL and hex digits


def holes_filled(kept: str, parts: dict[str, str]) -> SafeString:
    """`kept` with each hole replaced by its part: HTML our templates wrote, as it is."""
    for name, part in parts.items():
        kept = kept.replace(hole(name), part)
    return mark_safe(kept)  # noqa: S308 - our templates' HTML

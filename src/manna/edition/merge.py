"""The edition to many subscribers, as a mail merge: each devotion's message is built once
per depth (as saved), as the bytes the mail server receives, with stand-ins where the
messages differ (the address, the links' token, Date, Message-ID); each subscriber's
message is those bytes with their own filled in. Building a MIME message with Python's
email package took most of a worker's time per edition (profiled: `make bench-edition`).

Only where the stand-ins come out of the encoding whole (a body with a line too long for
8 bits is quoted-printable, and a stand-in may be split): else `merged` returns None and
the message is built for that subscriber as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.message import DNS_NAME, sanitize_address

from manna.devotions.models import Devotion
from manna.edition import tokens
from manna.edition.models import Subscriber
from manna.edition.render import cache_key
from manna.edition.services import edition_message

TO = "manna-merge-to@example.invalid"
TOKEN = "manna-merge-token"  # noqa: S105 - a stand-in, not a secret
DATE = "Thu, 01 Jan 1970 00:00:00 -0000"
MESSAGE_ID = "<manna-merge-message-id@example.invalid>"


@dataclass(frozen=True, slots=True)
class Merged:
    sender: str
    to: str
    data: bytes


@dataclass(frozen=True, slots=True)
class _Form:
    sender: str
    data: bytes | None  # None: the stand-ins did not come out whole


_FORMS: dict[tuple[object, ...], _Form] = {}
_KEEP = 64


def merged(
    subscriber: Subscriber, devotion: Devotion, *, message_id: str | None = None
) -> Merged | None:
    """This subscriber's edition of `devotion` as the mail server receives it (with
    `message_id`, else a new one)."""
    if not subscriber.email.isascii():  # its header must be encoded: built as any other
        return None
    form = _form(devotion, subscriber.depth)
    if form.data is None:
        return None
    data = (
        form.data.replace(TO.encode(), subscriber.email.encode())
        .replace(TOKEN.encode(), tokens.manage_token(subscriber).encode())
        .replace(DATE.encode(), formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode())
        .replace(MESSAGE_ID.encode(), (message_id or make_msgid(domain=DNS_NAME)).encode())
    )
    return Merged(form.sender, sanitize_address(subscriber.email, "utf-8"), data)


def _form(devotion: Devotion, depth: str) -> _Form:
    key = (
        *cache_key(devotion, depth),
        settings.MANNA_EDITION_FROM,
        settings.MANNA_EDITION_REPLY_TO,
    )
    form = _FORMS.get(key)
    if form is None:
        form = _build(devotion, depth)
        if len(_FORMS) >= _KEEP:
            _FORMS.clear()
        _FORMS[key] = form
    return form


def _build(devotion: Devotion, depth: str) -> _Form:
    stand_in = Subscriber(pk=0, email=TO, depth=depth)
    message = edition_message(
        stand_in, devotion, token=TOKEN, headers={"Date": DATE, "Message-ID": MESSAGE_ID}
    )
    sender = sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET)
    data = message.message().as_bytes(linesep="\r\n")
    expected = {
        TO: 1,
        DATE: 1,
        MESSAGE_ID: 1,
        # the List-Unsubscribe header, and the links in both parts
        TOKEN: 1 + message.body.count(TOKEN) + message.alternatives[0][0].count(TOKEN),
    }
    whole = all(data.count(s.encode()) == n for s, n in expected.items())
    return _Form(sender, data if whole else None)

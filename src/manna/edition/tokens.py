"""The signed links of a subscription, made and read in one place: the confirmation (valid
for a week) and the preferences link every email carries (valid as long as the address is
the subscriber's)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from manna.edition.models import Subscriber

CONFIRM_SALT = "manna.edition.confirm"
MANAGE_SALT = "manna.edition.manage"
CONFIRM_DAYS = 7


def _token(subscriber: Subscriber, salt: str) -> str:
    # The address is part of the token: a link for an address changed since stops working.
    return signing.dumps({"id": subscriber.pk, "email": subscriber.email}, salt=salt)


def confirm_url(subscriber: Subscriber) -> str:
    return settings.MANNA_SITE_URL + reverse(
        "subscribe_confirm", args=[_token(subscriber, CONFIRM_SALT)]
    )


def manage_token(subscriber: Subscriber) -> str:
    """The token of the subscriber's preferences and unsubscribe links."""
    return _token(subscriber, MANAGE_SALT)


def manage_url(subscriber: Subscriber, token: str | None = None) -> str:
    token = token or manage_token(subscriber)
    return settings.MANNA_SITE_URL + reverse("subscription", args=[token])


def unsubscribe_url(subscriber: Subscriber, token: str | None = None) -> str:
    """The one-click link (RFC 8058): a POST there unsubscribes, no form, no session."""
    token = token or manage_token(subscriber)
    return settings.MANNA_SITE_URL + reverse("subscription_unsubscribe", args=[token])


def subscriber_from(token: str, *, confirming: bool) -> Subscriber:
    """The subscriber a link names; signing.BadSignature (SignatureExpired) when the link
    is not one of ours, is too old, or names an address no longer the subscriber's."""
    salt = CONFIRM_SALT if confirming else MANAGE_SALT
    max_age = CONFIRM_DAYS * 86_400 if confirming else None
    data = signing.loads(token, salt=salt, max_age=max_age)
    found = Subscriber.objects.filter(pk=data.get("id"), email=data.get("email")).first()
    if found is None:
        raise signing.BadSignature("no such subscriber")
    return found

"""The signed unsubscribe token, made and read in one place (emails put it in links;
services read it back when a link is opened)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "manna.accounts.unsubscribe"  # kept: links already sent still work


def unsubscribe_url(user: AbstractBaseUser, kind: str) -> str:
    token = signing.dumps({"id": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT)
    return settings.MANNA_SITE_URL + reverse("unsubscribe", args=[token])


def unsubscribe_data(token: str) -> dict[str, Any]:
    """What an unsubscribe token says; raises signing.BadSignature when it is not one."""
    data: dict[str, Any] = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return data

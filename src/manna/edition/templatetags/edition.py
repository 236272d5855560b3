"""`{% edition_status %}`: the account page's section on the daily email (the accounts app
shows it without importing the edition)."""

from __future__ import annotations

from typing import Any

from django import template

from manna.edition import tokens
from manna.edition.models import Subscriber

register = template.Library()


@register.inclusion_tag("edition/_account.html", takes_context=True)
def edition_status(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    subscriber = Subscriber.objects.filter(user=user).first() if user.is_authenticated else None
    receiving = subscriber is not None and subscriber.unsubscribed is None
    return {
        "subscriber": subscriber,
        "receiving": receiving,
        "manage": tokens.manage_url(subscriber) if receiving and subscriber else "",
        "csrf_token": context.get("csrf_token"),
    }

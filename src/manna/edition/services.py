"""Writes: subscribing (double opt-in), confirming, preferences, unsubscribing."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from manna.accounts import emails
from manna.accounts.services import clean_time_zone
from manna.devotions.depth import DEPTHS
from manna.devotions.models import Devotion
from manna.edition import tokens
from manna.edition.models import Subscriber
from manna.edition.render import render_edition

UNCONFIRMED_DAYS = tokens.CONFIRM_DAYS  # an address never confirmed is forgotten after this


def clean_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            f'"{email[:80]}" is not an email address; write one such as ruth@example.org.'
        ) from None
    return email


def clean_send_at(text: str) -> dt.time:
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        return dt.time(hour, minute)
    except ValueError:
        raise ValidationError(
            f'"{text[:20]}" is not a time of day; write it as HH:MM, e.g. 06:00 or 21:30.'
        ) from None


def clean_depth(depth: str) -> str:
    if depth not in DEPTHS:
        raise ValidationError(f'"{depth[:20]}" is not a depth; choose glimpse, walk or study.')
    return depth


def subscribe(*, email: str, depth: str, send_at: dt.time, time_zone: str) -> None:
    """Ask for the edition at this address. Whatever the address's state, the page says
    the same ("check your inbox"): a new or unconfirmed one is sent the confirmation link,
    a confirmed one a note that nothing changed with its preferences link. Nothing is sent
    an edition until the link is opened."""
    forget_unconfirmed()
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"depth": depth, "send_at": send_at, "time_zone": time_zone},
        )
        if subscriber.confirmed is None or subscriber.unsubscribed is not None:
            # Unconfirmed, or back after unsubscribing: the new choices, confirmed again.
            Subscriber.objects.filter(pk=subscriber.pk).update(
                depth=depth,
                send_at=send_at,
                time_zone=time_zone,
                confirmed=None,
                unsubscribed=None,
                paused=False,
            )
            message = emails.subscription_confirmation(email, link=tokens.confirm_url(subscriber))
        else:
            message = emails.subscription_already(
                email,
                link=tokens.manage_url(subscriber),
                unsubscribe=tokens.unsubscribe_url(subscriber),
            )
    message.send()


def confirm(subscriber: Subscriber) -> None:
    if subscriber.confirmed is None:
        subscriber.confirmed = timezone.now()
        subscriber.save(update_fields=["confirmed"])


def update_preferences(
    subscriber: Subscriber, *, depth: str, send_at: dt.time, time_zone: str, paused: bool
) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(
        depth=clean_depth(depth),
        send_at=send_at,
        time_zone=clean_time_zone(time_zone),
        paused=paused,
    )
    subscriber.refresh_from_db()


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.unsubscribed is None:
        subscriber.unsubscribed = timezone.now()
        subscriber.save(update_fields=["unsubscribed"])


def forget_unconfirmed(now: dt.datetime | None = None) -> int:
    """Delete addresses never confirmed within UNCONFIRMED_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=UNCONFIRMED_DAYS)
    deleted, _ = Subscriber.objects.filter(confirmed=None, created__lt=cutoff).delete()
    return deleted


def list_id() -> str:
    """The edition's List-Id: the site's name and host ("Manna <edition.example.org>")."""
    host = urlsplit(settings.MANNA_SITE_URL).hostname or "localhost"
    return f"{settings.MANNA_SITE_NAME} <edition.{host}>"


def edition_message(subscriber: Subscriber, devotion: Devotion) -> EmailMessage:
    """The devotion as this subscriber receives it: at their depth, with their links."""
    links = {
        "manage": tokens.manage_url(subscriber),
        "unsubscribe": tokens.unsubscribe_url(subscriber),
    }
    rendered = render_edition(devotion, depth=subscriber.depth, links=links)
    return emails.edition(
        subscriber.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        unsubscribe=links["unsubscribe"],
        list_id=list_id(),
    )


def send_test(*, devotion: Devotion, address: str, depth: str) -> None:
    """The edition of `devotion` at `depth`, sent to `address` (an author's test): the
    links in it are a test's (they name no subscriber)."""
    address = clean_email(address)
    clean_depth(depth)
    stand_in = Subscriber(pk=0, email=address, depth=depth)
    message = edition_message(stand_in, devotion)
    message.subject = f"[Test] {message.subject}"
    message.send()

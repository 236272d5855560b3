"""Writes: subscribing (double opt-in), confirming, preferences, unsubscribing."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from manna.accounts import emails
from manna.accounts.selectors import profile_of
from manna.accounts.services import clean_time_zone, email_preferences_update
from manna.devotions.depth import DEPTHS
from manna.devotions.models import Devotion
from manna.edition import tokens
from manna.edition.models import Delivery, Subscriber
from manna.edition.render import render_edition

log = logging.getLogger(__name__)

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


def site_host() -> str:
    """The host of MANNA_SITE_URL, as the edition's ids name the site."""
    return urlsplit(settings.MANNA_SITE_URL).hostname or "localhost"


def list_id() -> str:
    """The edition's List-Id: the site's name and host ("Manna <edition.example.org>")."""
    return f"{settings.MANNA_SITE_NAME} <edition.{site_host()}>"


def edition_message(
    subscriber: Subscriber,
    devotion: Devotion,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """The devotion as this subscriber receives it: at their depth, with their links
    (`token`: the links' token, else the subscriber's own; `headers`: more headers)."""
    token = token or tokens.manage_token(subscriber)
    links = {
        "manage": tokens.manage_url(subscriber, token),
        "unsubscribe": tokens.unsubscribe_url(subscriber, token),
    }
    rendered = render_edition(devotion, depth=subscriber.depth, links=links)
    return emails.edition(
        subscriber.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        unsubscribe=links["unsubscribe"],
        list_id=list_id(),
        headers=headers,
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


# --- moving a list in and out ---

CSV_FIELDS = ["email", "depth", "send_at", "time_zone", "consented", "confirmed", "state"]


def subscribers_export(out: TextIO) -> int:
    """Every subscriber as a CSV row (CSV_FIELDS); returns how many."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    count = 0
    for s in Subscriber.objects.order_by("created", "pk"):
        state = (
            "unsubscribed"
            if s.unsubscribed
            else "bouncing"
            if s.bouncing
            else ("paused" if s.paused else "active" if s.confirmed else "unconfirmed")
        )
        writer.writerow(
            {
                "email": s.email,
                "depth": s.depth,
                "send_at": s.send_at.strftime("%H:%M"),
                "time_zone": s.time_zone,
                "consented": s.created.isoformat(timespec="seconds"),
                "confirmed": s.confirmed.isoformat(timespec="seconds") if s.confirmed else "",
                "state": state,
            }
        )
        count += 1
    return count


@dataclass(slots=True)
class ImportResult:
    added: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)  # "line 4: ..."


def subscribers_import(source: TextIO, *, confirmed: bool) -> ImportResult:
    """Subscribers from a CSV with an `email` column (and optionally depth, send_at,
    time_zone, consented: the date they agreed). Without `confirmed` each new address is
    sent the confirmation link (nothing else until it is opened); with it, they are taken
    as confirmed at their `consented` date (which each row must then give), and that is
    logged. An address already here is left as it is."""
    result = ImportResult()
    reader = csv.DictReader(source)
    if reader.fieldnames is None or "email" not in reader.fieldnames:
        result.problems.append("line 1: the first line must name the columns, among them email")
        return result
    for line, row in enumerate(reader, start=2):
        try:
            email = clean_email(row.get("email") or "")
            depth = clean_depth(row.get("depth") or "walk")
            send_at = clean_send_at(row.get("send_at") or "06:00")
            time_zone = clean_time_zone(row.get("time_zone") or "UTC")
            consented = _consented(row.get("consented") or "", required=confirmed)
        except ValidationError as err:
            result.problems.append(f"line {line}: {' '.join(err.messages)}")
            continue
        if Subscriber.objects.filter(email=email).exists():
            result.already += 1
            continue
        if confirmed:
            Subscriber.objects.create(
                email=email, depth=depth, send_at=send_at, time_zone=time_zone, confirmed=consented
            )
            log.info("subscriber %s imported as confirmed (consented %s)", email, consented)
        else:
            subscribe(email=email, depth=depth, send_at=send_at, time_zone=time_zone)
        result.added += 1
    return result


def _consented(text: str, *, required: bool) -> dt.datetime | None:
    if not text.strip():
        if required:
            raise ValidationError(
                "consented is empty: an address imported as confirmed needs the date it "
                "agreed (YYYY-MM-DD)"
            )
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f'consented "{text[:30]}" is not a date; write YYYY-MM-DD') from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def edition_counts(devotion: Devotion) -> dict[str, int]:
    """What happened to a devotion's edition: sent, waiting, failed, and of its
    recipients those bouncing now and those who unsubscribed since it was sent."""
    states = dict(
        Delivery.objects.filter(devotion=devotion)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    sent = Delivery.objects.filter(devotion=devotion, state=Delivery.SENT)
    return {
        "sent": states.get(Delivery.SENT, 0),
        "waiting": states.get(Delivery.PENDING, 0) + states.get(Delivery.SENDING, 0),
        "failed": states.get(Delivery.FAILED, 0),
        "bouncing": Subscriber.objects.filter(deliveries__devotion=devotion, bouncing=True)
        .distinct()
        .count(),
        "unsubscribed_since": sent.filter(subscriber__unsubscribed__gt=F("sent")).count(),
    }


def account_subscribe(*, user: AbstractBaseUser) -> Subscriber:
    """A signed-in reader's one click: the edition at their account's address, depth and
    time zone (06:00 unless they chose an hour before). Confirmed at once when the account's
    address is; else the confirmation link is sent, as to anyone."""
    profile = profile_of(user)
    email = clean_email(user.email)
    existing = Subscriber.objects.filter(email=email).first()
    proven = profile.email_verified or (existing is not None and existing.confirmed is not None)
    if not proven:  # the address is not known to be theirs: the emailed link decides
        subscribe(
            email=email, depth=profile.depth, send_at=dt.time(6, 0), time_zone=profile.time_zone
        )
        Subscriber.objects.filter(email=email).update(user=user)
        return Subscriber.objects.get(email=email)
    subscriber, _ = Subscriber.objects.update_or_create(
        email=email,
        defaults={
            "user": user,
            "depth": profile.depth,
            "time_zone": profile.time_zone,
            "unsubscribed": None,
            "paused": False,
        },
    )
    if subscriber.confirmed is None:
        subscriber.confirmed = timezone.now()
        subscriber.save(update_fields=["confirmed"])
    return subscriber


def account_emails_update(
    *,
    user: AbstractBaseUser,
    edition: bool,
    send_at: dt.time,
    depth: str,
    paused: bool,
    remind_by_email: bool,
    notify_answers: bool,
    notify_devotion_replies: bool,
) -> Subscriber | None:
    """Save the page of an account's emails: the edition (started, changed or stopped; in
    the account's time zone) and the account's other emails. Returns the subscription."""
    email_preferences_update(
        user=user,
        notify_answers=notify_answers,
        notify_devotion_replies=notify_devotion_replies,
        remind_by_email=remind_by_email,
    )
    subscriber = Subscriber.objects.filter(user=user).first()
    if not edition:
        if subscriber is not None:
            unsubscribe(subscriber)
        return subscriber
    if subscriber is None or subscriber.unsubscribed is not None:
        subscriber = account_subscribe(user=user)
    update_preferences(
        subscriber,
        depth=depth,
        send_at=send_at,
        time_zone=profile_of(user).time_zone,
        paused=paused,
    )
    return subscriber


def follow_account_time_zone(*, user: AbstractBaseUser, time_zone: str) -> None:
    """An account's subscription comes at its hour in the account's time zone."""
    Subscriber.objects.filter(user=user).update(time_zone=time_zone)

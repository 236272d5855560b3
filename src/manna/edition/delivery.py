"""Sending the edition: each subscriber's at their local hour, once.

`plan(now)` makes one Delivery row for each (subscriber, devotion) whose local hour has come
(the unique constraint makes planning twice harmless); `send_due(now)` claims due rows one by
one with a conditional update (two senders never claim the same row, on SQLite or
PostgreSQL), sends them over one SMTP connection and marks each as it is handed over. A row
whose sender died is claimed again when its lease runs out. Editions missed while the site
was down go out late, once, within CATCH_UP of their hour.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db.models import F

from manna.devotions.models import Devotion
from manna.devotions.selectors import in_day_order
from manna.edition.merge import merged
from manna.edition.models import Delivery, Subscriber
from manna.edition.services import edition_message, site_host
from manna.queue.transport import Refusal, refusal, transport

CATCH_UP = dt.timedelta(hours=36)  # an edition missed for longer than this is let go
LEASE = dt.timedelta(minutes=10)  # a claim older than this belonged to a sender that died
BOUNCE_LIMIT = 3  # permanent refusals before an address is "bouncing"
MAX_ATTEMPTS = 6  # temporary failures before a delivery is given up
BACKOFF = dt.timedelta(minutes=5)  # doubled after each temporary failure


@dataclass(slots=True)
class Report:
    planned: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


def plan(now: dt.datetime) -> int:
    """Make the deliveries whose hour has come; returns how many were new."""
    new = _unplanned(now)
    # ignore_conflicts: another sender planning the same pair at this moment wins it.
    Delivery.objects.bulk_create(
        [Delivery(subscriber=s, devotion=d, due=due) for s, d, due in new],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(new)


def _unplanned(now: dt.datetime) -> list[tuple[Subscriber, Devotion, dt.datetime]]:
    """The due editions with no Delivery yet: one query for those planned already, not
    one failing insert each (the worker plans every minute)."""
    due = list(due_editions(now))
    devotions = {devotion.pk for _, devotion, _ in due}
    planned = set(
        Delivery.objects.filter(devotion__in=devotions).values_list("subscriber_id", "devotion_id")
    )
    return [(s, d, when) for s, d, when in due if (s.pk, d.pk) not in planned]


def due_editions(now: dt.datetime) -> Iterator[tuple[Subscriber, Devotion, dt.datetime]]:
    """(subscriber, devotion, the moment it was due) for each edition whose local hour has
    come within CATCH_UP, for a day since the subscriber confirmed: every slot of that day."""
    subscribers = Subscriber.objects.filter(
        confirmed__isnull=False, paused=False, bouncing=False, unsubscribed__isnull=True
    )
    days: dict[dt.date, list[Devotion]] = {}
    site_today = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    for subscriber in subscribers.iterator():
        zone = zoneinfo.ZoneInfo(subscriber.time_zone)
        local_today = now.astimezone(zone).date()
        for day in (local_today - dt.timedelta(days=1), local_today):
            due = dt.datetime.combine(day, subscriber.send_at, tzinfo=zone)
            if not (subscriber.confirmed <= due <= now and now - due <= CATCH_UP):
                continue
            if day > site_today:  # never a devotion the site has not published yet
                continue
            if day not in days:
                published = Devotion.objects.filter(status=Devotion.PUBLISHED, date=day)
                days[day] = list(in_day_order(published))
            for devotion in days[day]:
                yield subscriber, devotion, due


def send_due(now: dt.datetime, *, limit: int = 1000) -> Report:
    """Send what is due, at most `limit`, over one connection; returns what happened.

    Several senders work through the same due rows at once: each takes the earliest ones,
    subscriber by subscriber in its own shuffled order (a subscriber's in slot order), and
    passes over a row another sender claimed first, so each carries on until it has sent
    `limit` or nothing due is left."""
    report = Report()
    Delivery.objects.filter(state=Delivery.SENDING, claimed__lt=now - LEASE).update(
        state=Delivery.PENDING
    )
    candidates = (
        Delivery.objects.filter(state=Delivery.PENDING, due__lte=now)
        .select_related("subscriber")
        .order_by("due", "pk")
    )
    devotions: dict[int, Devotion] = {}
    pause = 1 / settings.MANNA_EDITION_RATE if settings.MANNA_EDITION_RATE else 0
    connection = None
    done = 0
    try:
        while done < limit:
            rows = list(candidates[: 2 * (limit - done)])
            if not rows:
                break
            for delivery in _shuffled_by_subscriber(rows):
                if not _claim(delivery, now):
                    continue
                if delivery.devotion_id not in devotions:
                    devotions[delivery.devotion_id] = Devotion.objects.get(pk=delivery.devotion_id)
                delivery.devotion = devotions[delivery.devotion_id]
                if connection is None:
                    connection = transport()
                    connection.open()
                _send_one(delivery, connection, now, report)
                done += 1
                if pause:
                    time.sleep(pause)
                if done >= limit:
                    break
    finally:
        if connection is not None:
            connection.close()
    return report


def _shuffled_by_subscriber(rows: list[Delivery]) -> list[Delivery]:
    by_subscriber: dict[int, list[Delivery]] = {}
    for row in rows:
        by_subscriber.setdefault(row.subscriber_id, []).append(row)
    groups = list(by_subscriber.values())
    random.shuffle(groups)
    return [row for group in groups for row in group]


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    """Whether this sender wins the delivery: of two senders, one updates the row and the
    other finds it taken."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.PENDING).update(
            state=Delivery.SENDING, claimed=now
        )
    )


def _send_one(delivery: Delivery, connection: Any, now: dt.datetime, report: Report) -> None:
    subscriber, devotion = delivery.subscriber, delivery.devotion
    message_id = _message_id(delivery)
    try:
        raw = merged(subscriber, devotion, message_id=message_id) if _smtp(connection) else None
        if raw is not None:  # the mail merge's bytes, straight to the server
            connection.connection.sendmail(raw.sender, [raw.to], raw.data)
        else:
            message = edition_message(subscriber, devotion, headers={"Message-ID": message_id})
            message.connection = connection
            message.send()
    except Exception as err:
        outcome = refusal(err)
        if outcome is None:  # not the mail server's answer: a bug, tried again later
            outcome = Refusal(permanent=False, error=f"{type(err).__name__}: {err}"[:300])
        if outcome.permanent:
            _refused(delivery, outcome.error, report)
        else:
            _later(delivery, outcome.error, now, report)
        return
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.SENT, sent=now, error="")
    report.sent += 1
    report.lines.append(f"sent {delivery.devotion.slug} to {delivery.subscriber.email}")


def _message_id(delivery: Delivery) -> str:
    """The same for every try of one delivery: the one message a worker that died may
    have handed over already is, sent again, the same message (RFC 5322), and mail
    clients that know its id show it once."""
    return f"<edition.{delivery.devotion_id}.{delivery.subscriber_id}@{site_host()}>"


def _smtp(connection: Any) -> bool:
    """An open connection of Django's SMTP backend (the merge needs its smtplib client)."""
    return isinstance(connection, SMTPBackend) and connection.connection is not None


def _refused(delivery: Delivery, error: str, report: Report) -> None:
    """A permanent refusal (5xx): the delivery ends; the address counts one bounce more."""
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.FAILED, error=error)
    Subscriber.objects.filter(pk=delivery.subscriber_id).update(bounces=F("bounces") + 1)
    Subscriber.objects.filter(pk=delivery.subscriber_id, bounces__gte=BOUNCE_LIMIT).update(
        bouncing=True
    )
    report.failed += 1
    report.lines.append(f"refused for {delivery.subscriber.email}: {error}")


def _later(delivery: Delivery, error: str, now: dt.datetime, report: Report) -> None:
    """A temporary failure: tried again later, each wait twice the one before."""
    attempts = delivery.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.FAILED, attempts=attempts, error=error
        )
        report.failed += 1
        return
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.PENDING,
        attempts=attempts,
        due=now + BACKOFF * 2 ** (attempts - 1),
        error=error,
    )
    report.retried += 1
    report.lines.append(f"will retry {delivery.subscriber.email}: {error}")


def send_editions(now: dt.datetime, *, dry_run: bool = False) -> Report:
    """Plan, then send everything due at `now` (for cron, tests and catching up)."""
    if dry_run:
        report = Report()
        for subscriber, devotion, due in _unplanned(now):
            report.planned += 1
            when = f"{due:%Y-%m-%d %H:%M %Z}"
            report.lines.append(f"would send {devotion.slug} to {subscriber.email} ({when})")
        return report
    planned = plan(now)
    report = Report(planned=planned)
    while True:
        batch = send_due(now)
        report.sent += batch.sent
        report.retried += batch.retried
        report.failed += batch.failed
        report.lines += batch.lines
        if batch.sent + batch.retried + batch.failed == 0:
            return report

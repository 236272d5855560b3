"""The outbox: every email but the edition is saved here, then sent by a worker, once.

`save(message)` writes the row (in the caller's transaction: an email about something that
rolled back is never sent) and queues its sending when the transaction commits. `send(pk)`
claims the row with a conditional update (two workers never send one email) and hands it to
the mail server. `send_due(now)` is the sweep every worker runs each minute: retries whose
wait is over, claims of workers that died, and rows whose queueing was lost (Redis down).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from manna.queue.models import OutgoingEmail
from manna.queue.transport import refusal, transport

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)  # a claim older than this belonged to a worker that died
MAX_ATTEMPTS = 6  # temporary failures before an email is given up
BACKOFF = dt.timedelta(minutes=1)  # doubled after each temporary failure
SWEEP_AFTER = dt.timedelta(seconds=30)  # a new row its own task has not sent by then
KEEP = dt.timedelta(days=30)  # the record of a sent or failed email, without its words


def save(message: EmailMessage) -> OutgoingEmail:
    """Keep `message` in the outbox and queue its sending once the caller's transaction
    commits."""
    if message.attachments:
        raise ValueError("an email with attachments cannot be queued; Manna sends none")
    alternatives = getattr(message, "alternatives", [])
    row = OutgoingEmail.objects.create(
        due=timezone.now(),
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        alternatives=[[str(content), mimetype] for content, mimetype in alternatives],
    )
    from manna.queue.tasks import send_email  # the tasks module imports this one

    transaction.on_commit(lambda: _queue(send_email, row.pk))
    return row


def _queue(task: object, pk: int) -> None:
    from manna.queue.engine import submit

    try:
        submit(task, pk)
    except Exception:  # the queue is down: the sweep sends it (the row is safe)
        log.exception("could not queue email %s; the next sweep sends it", pk)


def message_of(row: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def claim(pk: int, now: dt.datetime) -> OutgoingEmail | None:
    """The row, if this worker wins it (one conditional update; None if another did)."""
    if not OutgoingEmail.objects.filter(pk=pk, state=OutgoingEmail.PENDING, due__lte=now).update(
        state=OutgoingEmail.SENDING, claimed=now
    ):
        return None
    return OutgoingEmail.objects.get(pk=pk)


def send(pk: int, *, connection: object = None, now: dt.datetime | None = None) -> str:
    """Send one email if it is still waiting; returns what happened (sent, retry, failed,
    or taken: another worker has it or sent it)."""
    now = now or timezone.now()
    row = claim(pk, now)
    if row is None:
        return "taken"
    message = message_of(row)
    message.connection = connection or transport()
    try:
        message.send()
    except Exception as err:
        outcome = refusal(err)
        if outcome is None:  # a bug, not the mail server: kept and reported, tried later
            log.exception("email %s could not be built or sent", pk)
            return _later(row, f"{type(err).__name__}: {err}"[:300], now)
        if outcome.permanent:
            return _failed(row, outcome.error)
        return _later(row, outcome.error, now)
    OutgoingEmail.objects.filter(pk=pk).update(
        state=OutgoingEmail.SENT, sent=now, error="", body="", alternatives=[]
    )
    return "sent"


def _failed(row: OutgoingEmail, error: str) -> str:
    OutgoingEmail.objects.filter(pk=row.pk).update(
        state=OutgoingEmail.FAILED, error=error, body="", alternatives=[]
    )
    log.warning("email %s to %s refused: %s", row.pk, ", ".join(row.to), error)
    return "failed"


def _later(row: OutgoingEmail, error: str, now: dt.datetime) -> str:
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=row.pk).update(attempts=attempts)
        return _failed(row, error)
    OutgoingEmail.objects.filter(pk=row.pk).update(
        state=OutgoingEmail.PENDING,
        attempts=attempts,
        due=now + BACKOFF * 2 ** (attempts - 1),
        error=error,
    )
    return "retry"


def send_due(now: dt.datetime, *, fresh_too: bool = False) -> dict[str, int]:
    """The sweep: free claims whose worker died, send what waits (retries whose time has
    come, rows their own task did not send: `fresh_too`, those just saved as well), forget
    old records; counts by outcome."""
    OutgoingEmail.objects.filter(state=OutgoingEmail.SENDING, claimed__lt=now - LEASE).update(
        state=OutgoingEmail.PENDING
    )
    OutgoingEmail.objects.filter(
        state__in=(OutgoingEmail.SENT, OutgoingEmail.FAILED), created__lt=now - KEEP
    ).delete()
    waiting = OutgoingEmail.objects.filter(state=OutgoingEmail.PENDING, due__lte=now)
    if not fresh_too:
        waiting = waiting.filter(created__lte=now - SWEEP_AFTER)
    waiting = waiting.order_by("due")
    counts: dict[str, int] = {}
    pks = list(waiting.values_list("pk", flat=True)[:1000])
    if not pks:
        return counts
    with transport() as connection:
        for pk in pks:
            outcome = send(pk, connection=connection, now=now)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts

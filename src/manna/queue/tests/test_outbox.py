"""Every email through the outbox: saved with what made it, sent once by a worker, kept
when the mail server is down, never sent for a transaction that rolled back."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.utils import timezone
from huey.storage import RedisStorage, SqliteStorage

from manna.queue import outbox
from manna.queue.engine import storage_for
from manna.queue.models import OutgoingEmail
from manna.queue.tests.conftest import LOCMEM

pytestmark = pytest.mark.django_db(transaction=True)


class Refusing:
    """A mail server that answers every message with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __call__(self, *args, **kwargs):
        return self

    def open(self):
        return True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def send_messages(self, messages):
        raise self.error


def test_an_email_is_saved_then_sent_once_when_the_transaction_commits(queued):
    message = EmailMultiAlternatives(
        "Hello",
        "Words.",
        "site@example.org",
        ["ann@example.org"],
        reply_to=["r@example.org"],
        headers={"List-Id": "Manna <edition.example.org>"},
    )
    message.attach_alternative("<p>Words.</p>", "text/html")
    with transaction.atomic():
        message.send()
        row = OutgoingEmail.objects.get()
        assert (row.state, mail.outbox) == (OutgoingEmail.PENDING, [])  # not before commit
    row.refresh_from_db()
    assert row.state == OutgoingEmail.SENT
    assert (row.body, row.alternatives, row.to) == ("", [], ["ann@example.org"])  # words gone
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email, sent.to, sent.reply_to) == (
        "Hello",
        "Words.",
        "site@example.org",
        ["ann@example.org"],
        ["r@example.org"],
    )
    assert sent.extra_headers == {"List-Id": "Manna <edition.example.org>"}
    assert sent.alternatives[0][:2] == ("<p>Words.</p>", "text/html")
    assert outbox.send(row.pk) == "taken"  # a second worker finds it sent
    assert len(mail.outbox) == 1


def test_an_email_of_a_transaction_that_rolled_back_is_never_sent(queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Hello", "Words.", None, ["ann@example.org"])
        raise RuntimeError("the reply was not saved after all")
    assert (OutgoingEmail.objects.count(), mail.outbox) == (0, [])


def test_a_temporary_refusal_is_tried_again_after_a_wait_then_sent(queued, monkeypatch):
    busy = Refusing(smtplib.SMTPResponseException(451, b"Try again later"))
    monkeypatch.setattr("manna.queue.outbox.transport", busy)
    send_mail("Hello", "Words.", None, ["ann@example.org"])
    row = OutgoingEmail.objects.get()
    assert (row.state, row.attempts, row.error) == ("pending", 1, "451 Try again later")
    assert row.due > timezone.now() + dt.timedelta(seconds=50)
    monkeypatch.undo()
    assert outbox.send_due(timezone.now()) == {}  # not before its wait is over
    assert outbox.send_due(row.due + dt.timedelta(seconds=1)) == {"sent": 1}
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_a_permanent_refusal_ends_it_and_too_many_temporary_ones_too(queued, monkeypatch):
    monkeypatch.setattr(
        "manna.queue.outbox.transport",
        Refusing(smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})),
    )
    send_mail("Hello", "Words.", None, ["x@example.org"])
    row = OutgoingEmail.objects.get()
    assert (row.state, row.error, row.body) == ("failed", "550 No such user", "")
    monkeypatch.setattr("manna.queue.outbox.transport", Refusing(ConnectionRefusedError(111, "x")))
    send_mail("Again", "Words.", None, ["y@example.org"])
    row = OutgoingEmail.objects.get(subject="Again")
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        outbox.send_due(row.due + dt.timedelta(days=1))
        row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)


def test_a_mail_server_that_is_down_loses_nothing(queued, settings):
    settings.MANNA_EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    send_mail("Hello", "Words.", None, ["ann@example.org"])
    row = OutgoingEmail.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    settings.MANNA_EMAIL_TRANSPORT = LOCMEM  # the server is back
    assert outbox.send_due(row.due + dt.timedelta(seconds=1)) == {"sent": 1}
    assert len(mail.outbox) == 1


def test_the_queue_being_down_loses_nothing_the_sweep_sends_it(queued, monkeypatch):
    def down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("manna.queue.engine.submit", down)
    send_mail("Hello", "Words.", None, ["ann@example.org"])
    assert (OutgoingEmail.objects.get().state, mail.outbox) == ("pending", [])
    later = timezone.now() + outbox.SWEEP_AFTER
    assert outbox.send_due(later) == {"sent": 1}
    assert len(mail.outbox) == 1


def test_a_claim_of_a_worker_that_died_is_taken_again_after_its_lease(queued, monkeypatch):
    monkeypatch.setattr("manna.queue.engine.submit", lambda *args: None)  # not sent at once
    send_mail("Hello", "Words.", None, ["ann@example.org"])
    row = OutgoingEmail.objects.get()
    now = timezone.now() + dt.timedelta(minutes=1)
    assert outbox.claim(row.pk, now) is not None  # and then the worker died
    assert outbox.claim(row.pk, now) is None  # nobody else takes it meanwhile
    assert outbox.send_due(now + dt.timedelta(minutes=5)) == {}
    assert outbox.send_due(now + outbox.LEASE + dt.timedelta(seconds=1)) == {"sent": 1}
    assert len(mail.outbox) == 1


def test_old_records_are_forgotten(queued):
    send_mail("Hello", "Words.", None, ["ann@example.org"])
    outbox.send_due(timezone.now() + outbox.KEEP + dt.timedelta(days=1))
    assert OutgoingEmail.objects.count() == 0


def test_the_queue_url_names_the_engine(tmp_path):
    assert storage_for("", tmp_path) == (
        SqliteStorage,
        {"filename": str(tmp_path / "queue.sqlite3"), "timeout": 30},
    )
    assert storage_for("redis://127.0.0.1:6379/2", tmp_path) == (
        RedisStorage,
        {"url": "redis://127.0.0.1:6379/2"},
    )
    assert storage_for("immediate", tmp_path) == (None, {})
    with pytest.raises(ImproperlyConfigured, match=r"MANNA_QUEUE_URL='amqp://x'.*redis://"):
        storage_for("amqp://x", tmp_path)

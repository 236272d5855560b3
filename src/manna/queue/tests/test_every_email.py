"""Every kind of email Manna sends goes through the outbox: the account's address
confirmation, Django's password reset, the subscription's confirmation, the reminders, and
the emails about replies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from manna.accounts.models import Profile
from manna.accounts.services import account_create
from manna.community.tests.conftest import PASSWORD
from manna.practice.reminders import send_reminders
from manna.queue.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)


def through_the_outbox(subject_start: str) -> None:
    """One email with this subject was saved in the outbox, then sent (and its words
    forgotten)."""
    [row] = OutgoingEmail.objects.filter(subject__startswith=subject_start)
    assert (row.state, row.body) == (OutgoingEmail.SENT, "")
    assert [m.subject for m in mail.outbox if m.subject.startswith(subject_start)] == [row.subject]


def test_signing_up_and_resetting_a_password(queued, client):
    client.post(
        "/account/signup/",
        {
            "display_name": "Ann",
            "email": "ann@example.org",
            "password": PASSWORD,
            "time_zone": "UTC",
        },
    )
    through_the_outbox("Confirm your email address")
    client.post("/account/password/reset/", {"email": "ann@example.org"})
    through_the_outbox("Reset your Manna password")


def test_subscribing_to_the_edition(queued, client):
    client.post(
        "/subscribe/",
        {"email": "ann@example.org", "depth": "walk", "send_at": "06:00", "time_zone": "UTC"},
    )
    through_the_outbox("Confirm your subscription")


def test_a_practice_reminder(queued, site_store):
    user = account_create(email="ruth@example.org", password=PASSWORD, display_name="Ruth")
    Profile.objects.filter(user=user).update(remind_by_email=True, time_zone="UTC")
    sent = send_reminders(dt.datetime(2026, 11, 24, 6, 35, tzinfo=dt.UTC))
    assert [d.kind for d in sent] == ["morning"]
    through_the_outbox("Manna: your morning session")


def test_commands_from_cron_send_what_they_queued_without_a_worker(queued, site_store, monkeypatch):
    from manna.site import site_send_reminders

    monkeypatch.setattr("manna.queue.engine.submit", lambda *args: None)  # no worker runs
    user = account_create(email="ruth@example.org", password=PASSWORD, display_name="Ruth")
    Profile.objects.filter(user=user).update(remind_by_email=True, time_zone="UTC")
    lines = site_send_reminders(now=dt.datetime(2026, 11, 24, 6, 35, tzinfo=dt.UTC))
    assert len(lines) == 1
    through_the_outbox("Manna: your morning session")

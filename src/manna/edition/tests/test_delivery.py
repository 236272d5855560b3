"""Sending the edition at each subscriber's hour, once, to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from click.testing import CliRunner

from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.edition import delivery
from manna.edition.models import Delivery, Subscriber

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(text: str, zone=dt.UTC) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


@pytest.fixture
def day(site_store):
    for slug, slot in (("dawn", "morning"), ("night", "evening")):
        result = devotion_save_text(
            text=devotion_text("Body.", slug=slug, title=slug.title(), slot=slot)
        )
        assert result.devotion is not None


def subscriber(email, zone="Europe/London", send_at=dt.time(6, 30), **extra):
    return Subscriber.objects.create(
        email=email,
        time_zone=zone,
        send_at=send_at,
        confirmed=at("2026-11-01 00:00"),
        **extra,
    )


def test_each_subscriber_gets_the_days_editions_at_their_hour_once(day, smtp_sink):
    subscriber("ruth@example.org")  # 06:30 London
    subscriber("boaz@example.org", zone="America/New_York")  # 06:30 New York: 11:30 UTC
    report = delivery.send_editions(at("2026-11-24 06:31"))
    assert (report.planned, report.sent) == (2, 2)  # Ruth's morning and evening devotions
    assert sorted(str(m["To"]) for m in smtp_sink.messages) == ["ruth@example.org"] * 2
    assert {str(m["Subject"]) for m in smtp_sink.messages} == {
        "Dawn (Exodus 33:12-23)",
        "Night (Exodus 33:12-23)",
    }
    first = smtp_sink.messages[0]
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first.get_body(preferencelist=("html",)) is not None
    assert first.get_body(preferencelist=("plain",)) is not None
    # run again, and later: nothing twice; Boaz's hour comes
    assert delivery.send_editions(at("2026-11-24 06:40")).sent == 0
    later = delivery.send_editions(at("2026-11-24 11:31"))
    assert later.sent == 2
    assert len(smtp_sink.messages) == 4
    assert Delivery.objects.filter(state=Delivery.SENT).count() == 4


def test_not_before_the_hour_nor_for_the_unconfirmed_paused_or_unsubscribed(day, smtp_sink):
    subscriber("ruth@example.org")
    subscriber("paused@example.org", paused=True)
    subscriber("gone@example.org", unsubscribed=at("2026-11-20 00:00"))
    Subscriber.objects.create(email="waiting@example.org", send_at=dt.time(6, 30))
    assert delivery.send_editions(at("2026-11-24 06:29")).sent == 0
    assert delivery.send_editions(at("2026-11-24 06:30")).sent == 2
    assert {str(m["To"]) for m in smtp_sink.messages} == {"ruth@example.org"}


def test_editions_missed_while_the_site_was_down_go_out_late_once(day, smtp_sink):
    subscriber("ruth@example.org")
    # down from 06:00 until 02:00 the next night: the day's editions go out then, once
    report = delivery.send_editions(at("2026-11-25 02:00"))
    assert report.sent == 2
    assert delivery.send_editions(at("2026-11-25 02:05")).sent == 0


def test_a_sender_that_died_leaves_its_claim_to_the_next_one(day, smtp_sink):
    subscriber("ruth@example.org")
    delivery.plan(at("2026-11-24 06:31"))
    claimed = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=claimed.pk).update(
        state=Delivery.SENDING, claimed=at("2026-11-24 06:31")
    )
    # within the lease the claim is respected: only the other one goes
    assert delivery.send_due(at("2026-11-24 06:35")).sent == 1
    # after it, the row is claimed again and sent: nothing lost, nothing twice
    assert delivery.send_due(at("2026-11-24 06:45")).sent == 1
    assert len(smtp_sink.messages) == 2
    assert delivery.send_due(at("2026-11-24 07:00")).sent == 0


def test_a_permanent_refusal_counts_a_bounce_and_three_stop_it(day, smtp_sink):
    ruth = subscriber("ruth@example.org")
    smtp_sink.refuse["ruth@example.org"] = "550 No such user"
    report = delivery.send_editions(at("2026-11-24 06:31"))
    assert (report.sent, report.failed) == (0, 2)
    ruth.refresh_from_db()
    assert (ruth.bounces, ruth.bouncing) == (2, False)
    assert Delivery.objects.filter(state=Delivery.FAILED, error__startswith="550").count() == 2
    devotion_save_text(text=devotion_text("Body.", slug="next", title="Next", date="2026-11-25"))
    delivery.send_editions(at("2026-11-25 06:31"))
    ruth.refresh_from_db()
    assert ruth.bounces == 3 and ruth.bouncing and not ruth.active
    # bouncing: nothing more is planned for the address
    devotion_save_text(text=devotion_text("Body.", slug="after", title="After", date="2026-11-26"))
    assert delivery.send_editions(at("2026-11-26 06:31")).planned == 0


def test_a_temporary_failure_is_tried_again_later(day, smtp_sink):
    subscriber("ruth@example.org")
    smtp_sink.refuse["ruth@example.org"] = "451 Try again later"
    report = delivery.send_editions(at("2026-11-24 06:31"))
    assert (report.sent, report.retried) == (0, 2)
    del smtp_sink.refuse["ruth@example.org"]
    assert delivery.send_editions(at("2026-11-24 06:33")).sent == 0  # not before the wait
    assert delivery.send_editions(at("2026-11-24 06:37")).sent == 2


def test_a_mail_server_that_is_down_loses_nothing(day, settings):
    subscriber("ruth@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with pytest.raises(OSError):
        delivery.send_editions(at("2026-11-24 06:31"))
    assert Delivery.objects.filter(state=Delivery.SENDING).count() == 1  # claimed, not lost
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_editions(at("2026-11-24 06:45")).sent == 2  # after the lease


def test_manna_send_editions_dry_run_lists_what_is_due(day):
    from manna.cli import main

    subscriber("ruth@example.org")
    result = CliRunner().invoke(main, ["send-editions", "--now", "2026-11-24T06:31Z", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "would send dawn to ruth@example.org (2026-11-24 06:30 GMT)",
        "would send night to ruth@example.org (2026-11-24 06:30 GMT)",
        "2 to send",
    ]
    assert not Delivery.objects.exists()


def test_the_worker_sends_what_is_due(day):
    from django.core import mail

    from manna.cli import main
    from manna.site import site_worker

    subscriber("ruth@example.org")
    lines = list(site_worker(once=True, clock=lambda: at("2026-11-24 06:31")))
    assert lines == ["sent dawn to ruth@example.org", "sent night to ruth@example.org"]
    assert len(mail.outbox) == 2
    assert list(site_worker(once=True, clock=lambda: at("2026-11-24 06:40"))) == []
    result = CliRunner().invoke(main, ["worker", "--once"])  # now: nothing due
    assert result.exit_code == 0, result.output


def test_the_plan_queues_every_batch_whatever_other_tasks_wait(
    day, settings, tmp_path, monkeypatch
):
    # Two workers starting together each queue the minute's sweep, plan and reminders: a
    # plan that counted those as batches queued none, and the edition waited a minute.
    from manna.edition import tasks
    from manna.queue.engine import queue, submit
    from manna.queue.tasks import sweep_outbox

    settings.MANNA_QUEUE_URL, settings.DATA_DIR = "", tmp_path  # the real SQLite queue
    monkeypatch.setattr("django.utils.timezone.now", lambda: at("2026-11-24 06:31"))
    for i in range(150):
        subscriber(f"reader{i}@example.org")  # two devotions each: 300 deliveries
    for _ in range(3):
        submit(sweep_outbox)
    assert tasks.plan_editions.call_local() == 3
    assert (tasks.batches_queued(), queue().pending_count()) == (3, 6)
    assert tasks.plan_editions.call_local() == 0  # those three are enough


def test_the_mail_merge_gives_each_subscriber_the_message_built_for_them(day, monkeypatch):
    from email import message_from_bytes, policy

    from django.core import signing

    # Both messages' signed links are made in the same second, as a clock could tick
    # between the two builds (the links' timestamps would then differ, not the messages).
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1xa6Pq")

    from manna.devotions.models import Devotion
    from manna.edition import merge
    from manna.edition.services import edition_message

    devotion = Devotion.objects.get(slug="dawn")
    ruth, naomi = subscriber("ruth@example.org"), subscriber("naomi@example.org", depth="study")
    seen = set()
    for reader in (ruth, naomi, ruth):
        raw = merge.merged(reader, devotion)
        merged = message_from_bytes(raw.data, policy=policy.default)
        built = message_from_bytes(
            edition_message(reader, devotion).message().as_bytes(linesep="\r\n"),
            policy=policy.default,
        )
        for header in (
            "To",
            "From",
            "Reply-To",
            "Subject",
            "List-Id",
            "List-Unsubscribe",
            "List-Unsubscribe-Post",
        ):
            assert merged[header] == built[header], header
        for kind in ("plain", "html"):
            assert merged.get_body((kind,)).get_content() == built.get_body((kind,)).get_content()
        assert raw.to == reader.email and merge.TOKEN not in raw.data.decode()
        assert "1970" not in merged["Date"]
        seen.add(merged["Message-ID"])
    assert len(seen) == 3  # each message its own id

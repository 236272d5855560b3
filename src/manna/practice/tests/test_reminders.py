"""Practice settings, the private calendar feed and email reminders."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from click.testing import CliRunner
from django.core import mail

from manna.accounts.models import Profile
from manna.accounts.services import unsubscribe
from manna.practice import services
from manna.practice.models import ReminderSent, Rhythm
from manna.practice.plans import book_plan
from manna.practice.reminders import reminders_due, send_reminders
from manna.practice.tests.conftest import at, move

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"morning": "25:00"}, "Enter a time of day as hours and minutes, from 00:00 to 23:59"),
        ({"morning": "6.30am"}, "Enter a time of day as hours and minutes"),
        ({"morning": "15:00"}, "Choose a morning time from 04:00 to before 14:00 (got 15:00)"),
        ({"evening": "09:00"}, "Choose an evening time from 14:00 to before 04:00"),
        ({"minutes": "0"}, "greater than or equal to 1"),
        ({"minutes": "600"}, "less than or equal to 240"),
    ],
)
def test_impossible_settings_are_refused_clearly(reader, signed_in, data, message):
    form = {"morning": "06:30", "evening": "21:00", "minutes": "20", **data}
    response = signed_in(reader).post("/practice/settings/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Rhythm.objects.get(user=reader).minutes == 20


def test_settings_are_saved(reader, signed_in):
    form = {"morning": "05:45", "evening": "00:30", "minutes": "30", "remind_by_email": "on"}
    response = signed_in(reader).post("/practice/settings/", form)
    assert response.status_code == 303
    rhythm = Rhythm.objects.get(user=reader)
    assert (rhythm.morning, rhythm.evening, rhythm.minutes) == (dt.time(5, 45), dt.time(0, 30), 30)
    assert Profile.objects.get(user=reader).remind_by_email is True


def test_an_impossible_time_zone_is_refused_on_the_account_page(reader, signed_in):
    response = signed_in(reader).post(
        "/account/", {"display_name": "Ruth", "time_zone": "Europe/Atlantis"}
    )
    assert response.status_code == 400
    assert "is not a time zone Manna knows" in response.content.decode().replace("&quot;", '"')


# --- the calendar feed ----------------------------------------------------------------------


def _feed(client, reader):
    token = services.rhythm_of(reader).calendar_token
    return client.get(f"/practice/calendar/{token}.ics")


def test_the_calendar_feed_has_the_times_in_the_readers_zone_and_the_readings(
    reader, client, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 12:00"))
    move(reader, "America/New_York")
    services.plan_start(user=reader, plan=book_plan("Ruth", 4), start=dt.date(2026, 11, 24))
    response = _feed(client, reader)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    calendar = icalendar.Calendar.from_ical(response.content)
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["America/New_York"]
    events = calendar.walk("VEVENT")
    sessions = [e for e in events if "RRULE" in e]
    assert [str(e["SUMMARY"]) for e in sessions] == ["Morning session", "Evening session"]
    morning = sessions[0].decoded("DTSTART")
    assert (morning.hour, morning.minute, str(morning.tzinfo)) == (6, 30, "America/New_York")
    assert sessions[0].decoded("DURATION") == dt.timedelta(minutes=20)
    assert sessions[0].walk("VALARM")
    readings = [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events if "RRULE" not in e]
    assert readings == [(dt.date(2026, 11, 24 + i), f"Ruth {i + 1}") for i in range(4)]


def test_a_renewed_calendar_address_revokes_the_old_one(reader, signed_in, client):
    old = services.rhythm_of(reader).calendar_token
    assert client.get(f"/practice/calendar/{old}.ics").status_code == 200
    signed_in(reader).post("/practice/settings/calendar/")
    assert client.get(f"/practice/calendar/{old}.ics").status_code == 404
    assert _feed(client, reader).status_code == 200
    assert client.get("/practice/calendar/guess.ics").status_code == 404


# --- email reminders ------------------------------------------------------------------------


@pytest.fixture
def reminded(reader):
    Profile.objects.filter(user=reader).update(remind_by_email=True)
    move(reader, "Europe/London")
    return reader


def test_a_reminder_is_sent_once_when_its_time_comes(reminded, settings):
    assert send_reminders(at("2026-11-24 06:29")) == []
    sent = send_reminders(at("2026-11-24 06:35"))
    assert [(d.kind, d.day) for d in sent] == [("morning", dt.date(2026, 11, 24))]
    assert send_reminders(at("2026-11-24 06:50")) == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Manna: your morning session"
    assert message.to == ["ruth@example.org"]
    assert "http://127.0.0.1:8000/practice/session/morning/" in message.body
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rsplit("/", 2)[-2]
    unsubscribe(token)
    assert Profile.objects.get(user=reminded).remind_by_email is False
    assert send_reminders(at("2026-11-24 21:05")) == []


def test_no_reminder_after_the_window_or_once_the_session_began(reminded):
    assert send_reminders(at("2026-11-24 08:00")) == []  # 06:30 was 90 minutes ago
    services.session_start(user=reminded, kind="evening", now=at("2026-11-24 20:55"))
    assert send_reminders(at("2026-11-24 21:01")) == []
    assert not ReminderSent.objects.exists()


def test_reminders_follow_daylight_saving(reminded):
    move(reminded, "America/New_York")
    # 06:30 in New York is 11:30 UTC before the spring change and 10:30 UTC after it.
    assert [d.at for d in reminders_due(at("2026-03-07 11:31"))] == [at("2026-03-07 11:30")]
    assert [d.at for d in reminders_due(at("2026-03-09 10:31"))] == [at("2026-03-09 10:30")]


def test_an_evening_after_midnight_belongs_to_the_evening_before(reminded):
    services.rhythm_update(
        user=reminded,
        morning=dt.time(6, 30),
        evening=dt.time(0, 30),
        minutes=20,
        remind_by_email=True,
    )
    due = reminders_due(at("2026-11-25 00:31"))
    assert [(d.kind, d.day) for d in due] == [("evening", dt.date(2026, 11, 24))]


def test_a_plan_reading_is_in_the_reminder(reminded):
    services.plan_start(user=reminded, plan=book_plan("Jude", 1), start=dt.date(2026, 11, 24))
    send_reminders(at("2026-11-24 06:31"))
    assert "Today's reading: Jude." in mail.outbox[0].body


def test_the_command_lists_and_sends(reminded):
    from manna.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["send-reminders", "--dry-run", "--now", "2026-11-24T06:31Z"])
    assert result.exit_code == 0, result.output
    assert "would send: morning reminder for ruth@example.org (2026-11-24" in result.output
    assert "1 reminder due." in result.output
    assert mail.outbox == []
    result = runner.invoke(main, ["send-reminders", "--now", "2026-11-24T06:31Z"])
    assert "1 reminder sent." in result.output and len(mail.outbox) == 1
    result = runner.invoke(main, ["send-reminders", "--now", "yesterday"])
    assert result.exit_code == 2
    assert '--now "yesterday" is not a date and time' in result.output


def test_the_reminder_carries_the_devotion_at_the_readers_depth(reminded, site_store):
    from manna.conftest import SAMPLE
    from manna.devotions.services import devotion_import_paths

    devotion_import_paths(paths=[SAMPLE])
    Profile.objects.filter(user=reminded).update(depth="glimpse")
    send_reminders(at("2026-11-24 06:31"))
    body = mail.outbox[0].body
    assert "Show Me Your Glory (Exodus 33:12-23), as a glimpse:" in body
    assert "Moses asks to see God’s glory, and God gives him what he can bear" in body
    assert "Going deeper" not in body and "<" not in body.split("as a glimpse:")[1]

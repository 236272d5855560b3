"""Sessions, their server-side timer, the reader's day, and the rhythm calendar,
including daylight saving, the date line and sessions that run past midnight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from manna.conftest import SAMPLE
from manna.practice import clock, selectors, services
from manna.practice.models import Session
from manna.practice.tests.conftest import at, move

pytestmark = pytest.mark.django_db


# --- the reader's day and hour --------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "zone", "day", "kind"),
    [
        ("2026-11-24 06:30", "UTC", "2026-11-24", "morning"),
        ("2026-11-24 13:59", "UTC", "2026-11-24", "morning"),
        ("2026-11-24 14:00", "UTC", "2026-11-24", "evening"),
        ("2026-11-24 23:59", "UTC", "2026-11-24", "evening"),
        # After midnight and before 04:00 is still the evening before.
        ("2026-11-25 00:30", "UTC", "2026-11-24", "evening"),
        ("2026-11-25 03:59", "UTC", "2026-11-24", "evening"),
        ("2026-11-25 04:00", "UTC", "2026-11-25", "morning"),
        # The same moment is a different day on either side of the date line.
        ("2026-11-24 18:00", "Pacific/Auckland", "2026-11-25", "morning"),  # 07:00 NZDT
        ("2026-11-24 18:00", "Pacific/Honolulu", "2026-11-24", "morning"),  # 08:00 HST
        ("2026-11-24 18:00", "America/New_York", "2026-11-24", "morning"),  # 13:00 EST
    ],
)
def test_practice_day_and_kind(moment, zone, day, kind):
    assert clock.practice_day(at(moment), zone) == dt.date.fromisoformat(day)
    assert clock.kind_at(at(moment), zone) == kind


def test_a_time_that_does_not_exist_happens_just_after_the_change():
    # New York springs forward at 02:00 on 8 March 2026: 02:30 does not exist.
    assert clock.at_local(dt.date(2026, 3, 8), dt.time(2, 30), "America/New_York") == at(
        "2026-03-08 07:30"
    )  # 03:30 EDT
    # The day before, 02:30 EST is 07:30 UTC; the day after, 02:30 EDT is 06:30 UTC.
    assert clock.at_local(dt.date(2026, 3, 7), dt.time(2, 30), "America/New_York") == at(
        "2026-03-07 07:30"
    )
    assert clock.at_local(dt.date(2026, 3, 9), dt.time(2, 30), "America/New_York") == at(
        "2026-03-09 06:30"
    )


def test_a_time_that_happens_twice_happens_the_first_time():
    # New York falls back at 02:00 on 1 November 2026: 01:30 happens twice.
    assert clock.at_local(dt.date(2026, 11, 1), dt.time(1, 30), "America/New_York") == at(
        "2026-11-01 05:30"
    )  # 01:30 EDT, not 01:30 EST (06:30 UTC)


def test_an_unknown_zone_falls_back_to_utc():
    assert clock.practice_day(at("2026-11-24 06:00"), "Mars/Olympus") == dt.date(2026, 11, 24)


# --- the timer ------------------------------------------------------------------------------


def test_start_pause_resume_finish_counts_only_the_running_time(reader):
    start = at("2026-11-24 06:30")
    session = services.session_start(user=reader, kind="morning", now=start)
    assert session.state() == "running"
    assert session.planned == 20 * 60
    session = services.session_pause(session=session, now=start + dt.timedelta(minutes=5))
    assert (session.state(), session.elapsed) == ("paused", 300)
    # Paused for ten minutes: nothing counts.
    assert session.seconds(start + dt.timedelta(minutes=15)) == 300
    session = services.session_resume(session=session, now=start + dt.timedelta(minutes=15))
    assert session.remaining(start + dt.timedelta(minutes=20)) == 15 * 60 - 300
    session = services.session_finish(session=session, now=start + dt.timedelta(minutes=27))
    assert (session.state(), session.elapsed) == ("finished", 17 * 60)
    # Finishing again, or pausing a finished session, changes nothing.
    again = services.session_finish(session=session, now=start + dt.timedelta(hours=2))
    assert again.elapsed == 17 * 60 and again.finished == start + dt.timedelta(minutes=27)
    assert services.session_pause(session=again, now=start + dt.timedelta(hours=3)).elapsed == 1020


def test_starting_twice_carries_on_the_same_session(reader):
    first = services.session_start(user=reader, kind="morning", now=at("2026-11-24 06:30"))
    second = services.session_start(user=reader, kind="morning", now=at("2026-11-24 06:40"))
    assert first.pk == second.pk
    assert second.running_since == at("2026-11-24 06:30")
    assert Session.objects.count() == 1


def test_the_length_follows_the_readers_setting(reader):
    services.rhythm_update(
        user=reader,
        morning=dt.time(7, 0),
        evening=dt.time(21, 0),
        minutes=45,
        remind_by_email=False,
    )
    session = services.session_start(user=reader, kind="evening", now=at("2026-11-24 20:00"))
    assert session.planned == 45 * 60


def test_a_session_begun_before_midnight_and_finished_after_stays_on_its_day(reader):
    move(reader, "Europe/London")
    session = services.session_start(user=reader, kind="evening", now=at("2026-11-24 23:50"))
    session = services.session_finish(session=session, now=at("2026-11-25 00:15"))
    assert session.day == dt.date(2026, 11, 24)
    assert session.elapsed == 25 * 60
    weeks = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 11, 25), now=at("2026-11-25 00:16")
    )
    days = {d.date: d for d in weeks[0].days}
    assert days[dt.date(2026, 11, 24)].evening is True
    assert days[dt.date(2026, 11, 25)].evening is False


def test_the_timer_survives_a_reload_and_a_closed_tab(reader, signed_in, monkeypatch):
    from django.utils import timezone

    client = signed_in(reader)
    now = [at("2026-11-24 06:30")]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    response = client.post(reverse("practice_session_action", args=["morning", "start"]))
    assert response.status_code == 303
    now[0] = at("2026-11-24 06:37:30")  # the tab was closed; the reader comes back
    page = client.get(reverse("practice_session", args=["morning"]))
    assert page.context["state"] == "running"
    assert page.context["remaining_text"] == "12:30"
    assert 'data-remaining="750"' in page.content.decode()
    client.post(reverse("practice_session_action", args=["morning", "pause"]))
    now[0] = at("2026-11-24 09:00")
    page = client.get(reverse("practice_session", args=["morning"]))
    assert (page.context["state"], page.context["remaining_text"]) == ("paused", "12:30")
    response = client.post(reverse("practice_session_action", args=["morning", "finish"]))
    assert response.status_code == 303
    assert Session.objects.get().elapsed == 450


def test_a_timer_button_sends_the_journal_text_with_it_into_one_entry(
    reader, signed_in, site_store
):
    """Typing, then pressing Start at once (before any autosave, or with no script):
    the text goes with the button, into the session's entry, which the page reopens."""
    import uuid

    from manna.practice.models import JournalEntry

    client = signed_in(reader)
    uid = uuid.uuid4()
    fields = {
        "owner": selectors.journal_owner(reader),
        "uid": str(uid),
        "version": "0",
        "writer": "tab-1",
        "kind": "morning",
        "devotion": "",
        "body": "Typed just before Start.",
    }
    response = client.post(reverse("practice_session_action", args=["morning", "start"]), fields)
    assert response.status_code == 303
    entry = JournalEntry.objects.get(user=reader)
    assert (entry.uid, entry.body, entry.session) == (
        uid,
        "Typed just before Start.",
        Session.objects.get(),
    )
    page = client.get(reverse("practice_session", args=["morning"]))
    form = page.context["form"]
    assert (form["uid"].value(), form["body"].value()) == (str(uid), "Typed just before Start.")
    # Pause with more text, from the version the page had: the same entry, not a second one.
    fields.update(body="Typed just before Start. And before Pause.", version="1")
    client.post(reverse("practice_session_action", args=["morning", "pause"]), fields)
    assert list(JournalEntry.objects.values_list("uid", "body")) == [
        (uid, "Typed just before Start. And before Pause.")
    ]
    assert Session.objects.get().state() == "paused"


def test_a_timer_button_with_another_accounts_text_saves_nothing_and_says_why(reader, signed_in):
    from manna.practice.models import JournalEntry

    client = signed_in(reader)
    fields = {"owner": "someone-else", "uid": "00000000-0000-4000-8000-000000000001"}
    fields |= {"version": "0", "writer": "t", "kind": "morning", "devotion": "", "body": "x"}
    response = client.post(
        reverse("practice_session_action", args=["morning", "start"]), fields, follow=True
    )
    assert JournalEntry.objects.count() == 0
    assert Session.objects.get().state() == "running"  # the timer still does what was asked
    assert "another account was signed in on this browser" in response.content.decode()


def test_timer_actions_refuse_what_is_not_a_timer_action(reader, signed_in):
    client = signed_in(reader)
    assert client.post("/practice/session/noon/start/").status_code == 404
    assert client.post("/practice/session/morning/rewind/").status_code == 404
    # Pausing a session that was never started: nothing to pause.
    assert client.post("/practice/session/morning/pause/").status_code == 404
    assert client.get("/practice/session/morning/start/").status_code == 405


def test_the_session_page_brings_the_devotion_practice_and_plan_reading(
    reader, signed_in, site_store, monkeypatch
):
    from django.utils import timezone

    from manna.devotions.services import devotion_import_paths
    from manna.practice.plans import book_plan

    devotion_import_paths(paths=[SAMPLE])
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 07:00"))
    services.plan_start(user=reader, plan=book_plan("Jude", 1), start=dt.date(2026, 11, 24))
    page = signed_in(reader).get("/practice/session/morning/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Show Me Your Glory" in html or "show-me-your-glory" in html
    assert "Spend at least 20 minutes at the beginning and at the end of the day" in html
    assert 'Your reading: <a href="/bible/kjv/Jude/1/">Jude</a>' in html  # to the reader
    assert "Now unto him that is able to keep you from falling" in html  # Jude 24, KJV


# --- rhythm ---------------------------------------------------------------------------------


def _keep(user, kind, moment, minutes=20):
    session = services.session_start(user=user, kind=kind, now=moment)
    return services.session_finish(session=session, now=moment + dt.timedelta(minutes=minutes))


def test_five_of_seven_mornings(reader):
    move(reader, "Europe/London")
    monday = dt.date(2026, 11, 16)
    for offset in (0, 1, 2, 4, 6):  # not Thursday, not Saturday
        _keep(reader, "morning", at(f"{monday + dt.timedelta(days=offset)} 07:00"))
    _keep(reader, "evening", at("2026-11-18 21:00"))
    weeks = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 11, 24), now=at("2026-11-24 12:00")
    )
    last_week = weeks[1]
    assert last_week.start == monday
    assert (last_week.mornings, last_week.evenings, last_week.counted) == (5, 1, 7)
    this_week = weeks[0]
    assert this_week.counted == 2  # Monday and Tuesday have begun
    assert len(weeks) == 2  # from the week the reader's history begins


def test_the_rhythm_begins_where_the_readers_history_begins(reader):
    from django.contrib.auth import get_user_model

    move(reader, "Europe/London")
    User = get_user_model()
    User.objects.filter(pk=reader.pk).update(date_joined=at("2026-11-25 10:00"))  # a Wednesday
    reader.refresh_from_db()
    [week] = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 11, 27), now=at("2026-11-27 12:00")
    )
    assert [d.before for d in week.days] == [True, True, False, False, False, False, False]
    assert week.counted == 3  # Wednesday to Friday: not the days before, not those to come
    User.objects.filter(pk=reader.pk).update(date_joined=at("2025-01-01 10:00"))
    reader.refresh_from_db()
    weeks = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 11, 27), now=at("2026-11-27 12:00")
    )
    assert len(weeks) == selectors.RHYTHM_WEEKS


def test_the_rhythm_page_says_one_as_one(reader, signed_in, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    get_user_model().objects.filter(pk=reader.pk).update(date_joined=at("2026-11-23 08:00"))
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 12:00"))
    _keep(reader, "evening", at("2026-11-23 21:00"))
    page = signed_in(reader).get("/practice/rhythm/").content.decode()
    assert "This week: 0 mornings and 1 evening kept." in page
    assert "0 of 2 mornings, 1 of 2 evenings" in page


def test_a_started_but_unfinished_session_counts_only_once_its_time_is_given(reader):
    session = services.session_start(user=reader, kind="morning", now=at("2026-11-24 06:30"))
    assert not session.kept(at("2026-11-24 06:45"))
    assert session.kept(at("2026-11-24 06:50"))  # twenty minutes given, even without Finish


def test_daylight_saving_weeks_keep_every_morning_on_its_own_day(reader):
    move(reader, "America/New_York")
    # 06:30 local across the spring change (Sunday 8 March 2026).
    for day in range(2, 9):
        local = dt.datetime(2026, 3, day, 6, 30, tzinfo=clock.zone("America/New_York"))
        _keep(reader, "morning", local.astimezone(dt.UTC))
    days = {s.day for s in Session.objects.filter(user=reader)}
    assert days == {dt.date(2026, 3, d) for d in range(2, 9)}
    week = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 3, 8), now=at("2026-03-09 00:00"), weeks=1
    )[0]
    assert (week.mornings, week.counted) == (7, 7)


def test_flying_across_the_date_line_erases_nothing(reader):
    move(reader, "Pacific/Auckland")
    # Tuesday 24 November, 07:00 in Auckland (18:00 UTC on the 23rd).
    auckland = _keep(reader, "morning", at("2026-11-23 18:00"))
    # The reader flies east to Honolulu, landing on Monday 23 November local time, and
    # keeps a Monday evening there (21:00 HST is 07:00 UTC on the 24th).
    move(reader, "Pacific/Honolulu")
    _keep(reader, "evening", at("2026-11-24 07:00"))
    # Then lives Tuesday morning a second time (07:00 HST): it is the Tuesday morning
    # already kept in Auckland, which stays exactly as it was.
    again = services.session_start(user=reader, kind="morning", now=at("2026-11-24 17:00"))
    assert again.pk == auckland.pk and again.finished == auckland.finished
    kept = sorted((s.day, s.kind, s.time_zone) for s in Session.objects.filter(user=reader))
    assert kept == [
        (dt.date(2026, 11, 23), "evening", "Pacific/Honolulu"),
        (dt.date(2026, 11, 24), "morning", "Pacific/Auckland"),
    ]
    week = selectors.rhythm_weeks(
        user=reader, today=dt.date(2026, 11, 24), now=at("2026-11-25 00:00"), weeks=1
    )[0]
    monday, tuesday = week.days[:2]
    assert (monday.morning, monday.evening, tuesday.morning) == (False, True, True)
    # Flying back west skips a calendar day; that day is simply empty, nothing moves.
    move(reader, "Pacific/Auckland")
    _keep(reader, "morning", at("2026-11-25 18:00"))  # Thursday 26th, 07:00 NZDT
    days = sorted(s.day for s in Session.objects.filter(user=reader))
    assert days == [dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 26)]


def test_the_rhythm_page_says_how_many_and_never_counts_a_streak(reader, signed_in, monkeypatch):
    from django.utils import timezone

    for day in (16, 17, 18, 20, 22):
        _keep(reader, "morning", at(f"2026-11-{day} 07:00"))
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 12:00"))
    html = signed_in(reader).get("/practice/rhythm/").content.decode()
    assert "5 of 7 mornings, 0 of 7 evenings" in html
    assert "0 of 2 mornings" in html  # this week so far
    assert "streak" not in html.lower()
    home = signed_in(reader).get("/practice/").content.decode()
    assert "0 of 2 mornings · 0 of 2 evenings" in home


def test_the_session_page_says_todays_devotion_only_on_its_day(
    reader, signed_in, site_store, monkeypatch
):
    from django.utils import timezone

    from manna.devotions.services import devotion_import_paths

    devotion_import_paths(paths=[SAMPLE])
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 07:00"))
    html = signed_in(reader).get("/practice/session/morning/").content.decode()
    assert "Today’s devotion: <a" in html
    monkeypatch.setattr(timezone, "now", lambda: at("2026-12-05 07:00"))
    later = signed_in(reader).get("/practice/session/morning/").content.decode()
    assert "Today’s devotion" not in later
    assert (
        "The latest devotion <small>(Tuesday 24 November; none is published for today)</small>"
        in later
    )


def test_the_evening_session_brings_the_evening_devotion(
    reader, signed_in, site_store, monkeypatch
):
    from django.utils import timezone

    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    devotion_save_text(text=devotion_text("Dawn.", slug="dawn", title="At Dawn", slot="morning"))
    devotion_save_text(text=devotion_text("Night.", slug="night", title="By Night", slot="evening"))
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 20:00"))
    evening = signed_in(reader).get("/practice/session/evening/").content.decode()
    assert '<a href="/devotions/night/">By Night</a>' in evening
    morning = signed_in(reader).get("/practice/session/morning/").content.decode()
    assert '<a href="/devotions/dawn/">At Dawn</a>' in morning

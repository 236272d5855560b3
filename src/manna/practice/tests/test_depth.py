"""Growth in depth: the invitation, declining it, the session page and deepening plans."""

from __future__ import annotations

import datetime as dt

import pytest

from manna.accounts.models import Profile
from manna.conftest import SAMPLE
from manna.practice import depth, selectors, services
from manna.practice.models import Session
from manna.practice.plans import book_plan
from manna.practice.tests.conftest import at

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
NOW = at("2026-11-24 12:00")


def keep(user, days_back: int, kind: str = "morning") -> Session:
    moment = at(
        f"{TODAY - dt.timedelta(days=days_back)} {'07:00' if kind == 'morning' else '21:00'}"
    )
    session = services.session_start(user=user, kind=kind, now=moment)
    return services.session_finish(session=session, now=moment + dt.timedelta(minutes=20))


def test_sessions_record_the_depth_they_were_kept_at(reader):
    Profile.objects.filter(user=reader).update(depth="glimpse")
    reader.profile.refresh_from_db()
    assert keep(reader, 0).depth == "glimpse"


def test_no_invitation_before_the_rhythm_is_steady(reader, settings):
    settings.MANNA_DEPTH_GROWTH = "10/21"
    for back in range(9):
        keep(reader, back)
    assert depth.invitation_for(reader, NOW, TODAY) is None


def test_ten_sessions_in_three_weeks_bring_an_invitation_one_step_deeper(reader, settings):
    settings.MANNA_DEPTH_GROWTH = "10/21"
    for back in range(5):
        keep(reader, back)
        keep(reader, back, "evening")
    keep(reader, 25)  # outside the window: not counted
    invitation = depth.invitation_for(reader, NOW, TODAY)
    assert invitation == depth.Invitation("walk", "study", 10, 10, 21)
    # Sessions kept at another depth do not count towards this one.
    Profile.objects.filter(user=reader).update(depth="glimpse")
    reader.profile.refresh_from_db()
    assert depth.invitation_for(reader, NOW, TODAY) is None


def test_a_study_reader_is_not_invited_further(reader, settings):
    settings.MANNA_DEPTH_GROWTH = "1/21"
    Profile.objects.filter(user=reader).update(depth="study")
    reader.profile.refresh_from_db()
    keep(reader, 0)
    assert depth.invitation_for(reader, NOW, TODAY) is None


def test_the_invitation_says_why_never_changes_the_depth_and_can_wait(
    reader, signed_in, site_store, settings, monkeypatch
):
    from django.utils import timezone

    from manna.devotions.services import devotion_import_paths

    devotion_import_paths(paths=[SAMPLE])
    settings.MANNA_DEPTH_GROWTH = "2/7"
    keep(reader, 0)
    keep(reader, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client = signed_in(reader)
    html = client.get("/devotions/show-me-your-glory/").content.decode()
    assert (
        "You have kept 2 sessions at the walk depth in the last\n  7 days (the invitation comes "
        "after 2 in\n  7 days)" in html
    )
    assert '<input type="hidden" name="depth" value="study">' in html
    assert '<button type="submit" class="button">Read as study</button>' in html
    assert Profile.objects.get(user=reader).depth == "walk"  # only an invitation
    response = client.post("/practice/depth/not-now/", {"next": "/devotions/show-me-your-glory/"})
    assert response.status_code == 303 and response["Location"] == "/devotions/show-me-your-glory/"
    assert "Read as study" not in client.get("/devotions/show-me-your-glory/").content.decode()
    # Asked again once the rule's days have passed.
    later = TODAY + dt.timedelta(days=8)
    keep(reader, -7)
    keep(reader, -8)
    assert depth.invitation_for(reader, at(f"{later} 12:00"), later) is not None


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_the_not_now_form_only_returns_to_this_site(reader, signed_in, target):
    response = signed_in(reader).post("/practice/depth/not-now/", {"next": target})
    assert response["Location"] == "/"


def test_the_session_page_shows_the_devotion_at_the_readers_depth(
    reader, signed_in, site_store, monkeypatch
):
    from django.utils import timezone

    from manna.devotions.services import devotion_import_paths

    devotion_import_paths(paths=[SAMPLE])
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 07:00"))
    Profile.objects.filter(user=reader).update(depth="glimpse")
    page = signed_in(reader).get("/practice/session/morning/")
    assert page.context["depth"] == "glimpse"
    assert "The devotion as a glimpse (1 min)" in page.content.decode()
    assert "Going deeper" not in page.context["devotion_card"]
    Profile.objects.filter(user=reader).update(depth="study")
    page = signed_in(reader).get("/practice/session/morning/")
    assert "Going deeper" in page.context["devotion_card"]


def test_the_session_pages_devotion_card_is_built_once_per_depth_and_retired_by_an_edit(
    reader, make_user, signed_in, site_store, monkeypatch, settings, tmp_path
):
    from django.utils import timezone

    from manna.devotions.models import Devotion
    from manna.devotions.services import devotion_import_paths
    from manna.practice.views import sessions
    from manna.web.cache import pages_changed

    settings.DATA_DIR = tmp_path  # this test's own generation
    devotion_import_paths(paths=[SAMPLE])
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 07:00"))
    built = []
    build = sessions._devotion_card_html

    def counted(pk, depth, is_today):
        built.append(depth)
        return build(pk, depth, is_today)

    monkeypatch.setattr(sessions, "_devotion_card_html", counted)
    other = make_user("other")
    for person in (reader, other):
        Profile.objects.filter(user=person).update(depth="walk")
        assert signed_in(person).get("/practice/session/morning/").status_code == 200
    assert built == ["walk"]  # once for both readers
    Profile.objects.filter(user=other).update(depth="study")
    signed_in(other).get("/practice/session/morning/")
    assert built == ["walk", "study"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:  # kept: the devotion is not read
        signed_in(other).get("/practice/session/morning/")
    tables = [q["sql"].partition(" FROM ")[2].split(" ")[0] for q in queries.captured_queries]
    assert '"devotions_devotion"' not in tables
    assert built == ["walk", "study"]
    Devotion.objects.update(title="Edited")
    pages_changed()  # as saving a devotion does, on commit
    page = signed_in(reader).get("/practice/session/morning/")
    assert built == ["walk", "study", "walk"]
    assert "Edited" in page.content.decode()


def test_a_plan_can_start_at_glimpse_and_deepen(reader, signed_in, site_store, monkeypatch):
    from django.utils import timezone

    enrollment = services.plan_start(
        user=reader, plan=book_plan("Mark", 9), start=TODAY, deepen=True
    )
    depths = list(enrollment.readings.values_list("depth", flat=True))
    assert depths == ["glimpse"] * 3 + ["walk"] * 3 + ["study"] * 3
    plain = services.plan_start(user=reader, plan=book_plan("Jude", 1), start=TODAY)
    assert plain.readings.get().depth == ""
    plain.readings.update(done_on=TODAY)
    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 07:00"))
    page = signed_in(reader).get("/practice/session/morning/")
    assert page.context["depth"] == "glimpse"  # the plan's day, not the reader's walk
    # Re-spread keeps the deepening: the end of the plan is still study.
    enrollment.readings.filter(due__lte=TODAY).update(due=TODAY - dt.timedelta(days=1))
    services.plan_respread(enrollment=enrollment, today=TODAY)
    assert list(enrollment.readings.order_by("due").values_list("depth", flat=True))[-1] == "study"


def test_the_plan_form_offers_deepening(reader, signed_in, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    response = signed_in(reader).post(
        "/practice/plans/",
        {"kind": "book", "book": "Ruth", "days": "4", "start": "2026-11-24", "deepen": "on"},
    )
    assert response.status_code == 303
    assert selectors.plan_reading_for(reader, TODAY).depth == "glimpse"

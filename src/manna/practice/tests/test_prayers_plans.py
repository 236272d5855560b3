"""The prayer list and following reading plans (the generator itself: test_plans.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manna.practice import selectors, services
from manna.practice.models import PlanEnrollment, PlanReading, Prayer
from manna.practice.plans import book_plan, built_in_plan, plan_over
from manna.practice.tests.conftest import at
from manna.scripture import Reference, parse_osis

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 24)


@pytest.fixture
def now(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 12:00"))


# --- prayers --------------------------------------------------------------------------------


def test_a_prayer_from_request_to_answer(reader, signed_in, now):
    client = signed_in(reader)
    response = client.post(
        "/practice/prayers/", {"request": "For Anna", "person": "Anna", "category": "Family"}
    )
    assert response.status_code == 303
    prayer = Prayer.objects.get()
    assert (prayer.day, prayer.person, prayer.category) == (DAY, "Anna", "Family")
    client.post(f"/practice/prayers/{prayer.pk}/", {"action": "update", "text": "Surgery Friday"})
    assert [u.text for u in prayer.updates.all()] == ["Surgery Friday"]
    response = client.post(
        f"/practice/prayers/{prayer.pk}/",
        {"action": "answer", "answered_on": "2026-11-28", "answer": "Home and well"},
    )
    assert response.status_code == 303
    prayer.refresh_from_db()
    assert (prayer.answered_on, prayer.answer) == (dt.date(2026, 11, 28), "Home and well")
    assert not selectors.prayers_open(user=reader).exists()
    page = client.get("/practice/prayers/answered/").content.decode()
    assert "November 2026" in page and "Home and well" in page
    client.post(f"/practice/prayers/{prayer.pk}/", {"action": "reopen"})
    assert list(selectors.prayers_open(user=reader)) == [prayer]


def test_answered_prayers_are_grouped_by_month_newest_first(reader):
    for request, asked, answered in (
        ("a", DAY, dt.date(2026, 12, 3)),
        ("b", DAY, dt.date(2026, 12, 1)),
        ("c", dt.date(2026, 1, 5), dt.date(2026, 2, 1)),
    ):
        prayer = services.prayer_add(user=reader, request=request, day=asked)
        services.prayer_answer(prayer=prayer, day=answered, note="")
    months = selectors.prayers_answered(user=reader)
    assert [(m.month, [p.request for p in m.prayers]) for m in months] == [
        (dt.date(2026, 12, 1), ["a", "b"]),
        (dt.date(2026, 2, 1), ["c"]),
    ]


def test_prayer_errors_are_explained(reader, signed_in, now):
    client = signed_in(reader)
    response = client.post("/practice/prayers/", {"request": "   "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    prayer = services.prayer_add(user=reader, request="For rain", day=DAY)
    response = client.post(
        f"/practice/prayers/{prayer.pk}/", {"action": "answer", "answered_on": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "An answer comes after the request: it was made on 24 November 2026" in (
        response.content.decode()
    )
    response = client.post(
        f"/practice/prayers/{prayer.pk}/", {"action": "answer", "answered_on": "31/11/2026"}
    )
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    assert client.post(f"/practice/prayers/{prayer.pk}/", {"action": "sing"}).status_code == 404


def test_a_prayer_can_be_edited_and_is_deleted_only_once_confirmed(reader, signed_in, now):
    client = signed_in(reader)
    prayer = services.prayer_add(user=reader, request="For rain", day=DAY, person="Ann")
    page = client.get(f"/practice/prayers/{prayer.pk}/").content.decode()
    assert "Edit this prayer" in page and "For rain</textarea>" in page
    response = client.post(
        f"/practice/prayers/{prayer.pk}/",
        {
            "action": "edit",
            "request": "For rain, and for the harvest",
            "person": "",
            "category": "Land",
        },
    )
    assert response.status_code == 303
    prayer.refresh_from_db()
    assert (prayer.request, prayer.person, prayer.category) == (
        "For rain, and for the harvest",
        "",
        "Land",
    )
    response = client.post(
        f"/practice/prayers/{prayer.pk}/", {"action": "edit", "request": "  ", "person": ""}
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    # Deleting: the prayer's page links to a question; only its answer deletes.
    assert client.post(f"/practice/prayers/{prayer.pk}/", {"action": "delete"}).status_code == 404
    confirm = client.get(f"/practice/prayers/{prayer.pk}/delete/").content.decode()
    assert "Delete this prayer?" in confirm and "For rain, and for the harvest" in confirm
    assert Prayer.objects.filter(pk=prayer.pk).exists()
    response = client.post(f"/practice/prayers/{prayer.pk}/delete/")
    assert (response.status_code, response["Location"]) == (303, "/practice/prayers/")
    assert not Prayer.objects.filter(pk=prayer.pk).exists()


def test_prayers_are_private(make_user, signed_in):
    owner = make_user("ruth")
    prayer = services.prayer_add(user=owner, request="Mine", day=DAY)
    client = signed_in(make_user("mod", role="moderator"))
    assert client.get(f"/practice/prayers/{prayer.pk}/").status_code == 404
    assert client.post(f"/practice/prayers/{prayer.pk}/", {"action": "edit"}).status_code == 404
    assert client.post(f"/practice/prayers/{prayer.pk}/delete/").status_code == 404
    assert "Mine" not in client.get("/practice/prayers/").content.decode()
    assert Prayer.objects.filter(pk=prayer.pk).exists()


# --- plans ----------------------------------------------------------------------------------


def test_start_a_built_in_plan_any_day(reader, signed_in, now):
    response = signed_in(reader).post(
        "/practice/plans/", {"kind": "built-in", "built_in": "gospels-30", "start": "2026-12-01"}
    )
    assert response.status_code == 303
    enrollment = PlanEnrollment.objects.get()
    readings = list(enrollment.readings.all())
    plan = built_in_plan("gospels-30")
    assert [r.label for r in readings] == list(plan.labels)
    assert readings[0].due == dt.date(2026, 12, 1) and readings[-1].due == dt.date(2026, 12, 30)


def test_each_plan_reading_leads_to_the_reader(reader, signed_in, now, site_store):
    client = signed_in(reader)
    response = client.post(
        "/practice/plans/",
        {"kind": "range", "reading": "John 1-3", "days": "3", "start": "2026-12-01"},
    )
    assert response.status_code == 303, response.content.decode()
    enrollment = PlanEnrollment.objects.get()
    page = client.get(f"/practice/plans/{enrollment.pk}/").content.decode()
    assert '<a href="/bible/kjv/John/1/">John 1</a>' in page
    assert '<a href="/bible/kjv/John/3/">John 3</a>' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "book", "book": "Exodis", "days": "10"}, "did you mean Exodus?"),
        ({"kind": "book", "book": "Jude", "days": "5"}, "1 chapter cannot fill 5 days"),
        ({"kind": "book", "book": "Mark"}, "Say in how many days"),
        ({"kind": "range", "reading": "John 30", "days": "3"}, "John has 21 chapters"),
        ({"kind": "range", "reading": "", "days": "3"}, "write the passages to read"),
        ({"kind": "built-in", "built_in": "nope"}, "Select a valid choice"),
        ({"kind": "file"}, "choose the plan file to upload"),
    ],
)
def test_a_plan_that_cannot_be_made_says_why(reader, signed_in, now, data, message):
    response = signed_in(reader).post("/practice/plans/", {"start": "2026-11-24", **data})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"')
    assert not PlanEnrollment.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2040-01-01"])
def test_a_plan_starts_within_ten_years_of_today(reader, signed_in, now, start):
    data = {"kind": "built-in", "built_in": "gospels-30", "start": start}
    response = signed_in(reader).post("/practice/plans/", data)
    assert response.status_code == 400
    assert "Start within ten years of today: between" in response.content.decode()
    assert not PlanEnrollment.objects.exists()


def test_a_malformed_plan_upload_gives_the_line_and_the_reason(reader, signed_in, now):
    upload = SimpleUploadedFile("plan.csv", b"day,reading\n1,John 1\n2,Jonn 2\n")
    response = signed_in(reader).post(
        "/practice/plans/", {"kind": "file", "file": upload, "start": "2026-11-24"}
    )
    assert response.status_code == 400
    assert "line 3: " in response.content.decode()
    assert not PlanEnrollment.objects.exists()


def test_an_uploaded_plan_is_followed(reader, signed_in, now):
    upload = SimpleUploadedFile("Advent.json", b'["Isaiah 9", "Isaiah 11", "Luke 1"]')
    response = signed_in(reader).post(
        "/practice/plans/", {"kind": "file", "file": upload, "start": "2026-11-29"}
    )
    assert response.status_code == 303
    enrollment = PlanEnrollment.objects.get()
    assert enrollment.name == "Advent"
    assert [(str(r.due), r.label) for r in enrollment.readings.all()] == [
        ("2026-11-29", "Isaiah 9"),
        ("2026-11-30", "Isaiah 11"),
        ("2026-12-01", "Luke 1"),
    ]


def _behind_plan(user):
    """Mark 1-10 in 10 days from 20 November; the first two days read, then nothing."""
    enrollment = services.plan_start(
        user=user, plan=book_plan("Mark", 10), start=dt.date(2026, 11, 20)
    )
    for reading in enrollment.readings.filter(number__lte=2):
        services.reading_mark(reading=reading, done=True, day=reading.due)
    return enrollment


def test_behind_a_plan_the_page_offers_three_ways(reader, signed_in, now):
    enrollment = _behind_plan(reader)
    view = selectors.plan_view(enrollment=enrollment, today=DAY)
    assert (view.behind, view.done, view.total, view.ends) == (2, 2, 10, dt.date(2026, 11, 29))
    html = signed_in(reader).get(f"/practice/plans/{enrollment.pk}/").content.decode()
    assert "2 readings from earlier days" in html
    for label in ("Catch up", "Re-spread", "Push the end"):
        assert label in html


def test_catch_up_brings_missed_readings_to_today(reader):
    enrollment = _behind_plan(reader)
    assert services.plan_catch_up(enrollment=enrollment, today=DAY) == 2
    view = selectors.plan_view(enrollment=enrollment, today=DAY)
    assert [r.number for r in view.today] == [3, 4, 5]
    assert (view.behind, view.ends) == (0, dt.date(2026, 11, 29))


def test_push_moves_the_rest_and_the_end(reader):
    enrollment = _behind_plan(reader)
    assert services.plan_push(enrollment=enrollment, today=DAY) == 2
    view = selectors.plan_view(enrollment=enrollment, today=DAY)
    assert view.behind == 0 and view.ends == dt.date(2026, 12, 1)
    assert [(r.number, r.due) for r in view.today] == [(3, DAY)]


def test_respread_shares_what_is_left_up_to_the_same_end(reader):
    enrollment = _behind_plan(reader)
    left = {
        v for r in enrollment.readings.filter(done_on=None) for v in parse_osis(r.osis).verses()
    }
    days = services.plan_respread(enrollment=enrollment, today=DAY)
    assert days == 6  # 24 to 29 November
    readings = list(enrollment.readings.filter(done_on=None))
    assert [r.due for r in readings] == [DAY + dt.timedelta(days=i) for i in range(6)]
    assert {v for r in readings for v in parse_osis(r.osis).verses()} == left
    assert enrollment.readings.filter(done_on__isnull=False).count() == 2
    # Balanced like a new plan over the same chapters.
    fresh = plan_over("x", Reference.single(min(left), max(left)), 6)
    assert [r.verses for r in readings] == list(fresh.verses)


def test_mark_done_and_undo(reader, signed_in, now):
    enrollment = _behind_plan(reader)
    reading = enrollment.readings.get(number=5)
    client = signed_in(reader)
    client.post(f"/practice/readings/{reading.pk}/done/", {"done": "1"})
    reading.refresh_from_db()
    assert reading.done_on == DAY
    client.post(f"/practice/readings/{reading.pk}/done/", {"done": "0"})
    reading.refresh_from_db()
    assert reading.done_on is None


def test_plans_are_private(make_user, signed_in):
    enrollment = _behind_plan(make_user("ruth"))
    reading = enrollment.readings.first()
    client = signed_in(make_user("boss", role="admin"))
    assert client.get(f"/practice/plans/{enrollment.pk}/").status_code == 404
    assert client.post(f"/practice/plans/{enrollment.pk}/push/").status_code == 404
    assert client.post(f"/practice/readings/{reading.pk}/done/", {"done": "1"}).status_code == 404
    assert PlanReading.objects.filter(done_on__isnull=False).count() == 2


def test_stop_keeps_the_history(reader, signed_in, now):
    enrollment = _behind_plan(reader)
    response = signed_in(reader).post(f"/practice/plans/{enrollment.pk}/stop/")
    assert response.status_code == 303
    enrollment.refresh_from_db()
    assert enrollment.active is False and enrollment.readings.count() == 10
    assert selectors.plan_reading_for(reader, DAY) is None

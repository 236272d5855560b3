"""The author's desk: who may use it, the explicit actions, the preview, revisions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from manna.accounts.models import Role
from manna.devotions.models import Devotion, Revision
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def author(make_user, signed_in, site_store):
    return signed_in(make_user("ruth", role=Role.AUTHOR))


def text(**meta):
    meta.setdefault("date", "2026-12-10")
    return devotion_text("Moses asks (see v.2).", **meta)


def save(client, source, action, url="/write/new/", **extra):
    return client.post(url, {"source": source, "action": action, **extra})


def test_the_desk_is_for_authors(client, make_user, signed_in, site_store):
    assert client.get("/write/")["Location"].startswith("/account/signin/")
    reader = signed_in(make_user("naomi"))
    denied = reader.get("/write/")
    assert denied.status_code == 403
    assert "The desk is for authors" in denied.content.decode()
    assert 'href="/write/"' not in reader.get("/archive/").content.decode()


def test_an_author_has_a_write_link_and_an_empty_desk(author):
    html = author.get("/archive/").content.decode()
    assert '<a href="/write/">Write</a>' in html
    desk = author.get("/write/").content.decode()
    assert "Nothing written yet" in desk


def test_save_draft_writes_the_status_and_nothing_goes_public(author, client):
    response = save(author, text(), "draft")
    assert response.status_code == 303
    devotion = Devotion.objects.get()
    assert devotion.status == "draft" and "status: draft" in devotion.source
    assert author.get("/write/").content.decode().count("<td>Draft</td>") == 1
    client.logout()
    assert client.get(devotion.get_absolute_url()).status_code == 404


def test_schedule_publishes_on_its_day_not_before(author, client, monkeypatch):
    save(author, text(), "draft")
    devotion = Devotion.objects.get()
    response = save(
        author,
        devotion.source,
        "schedule",
        url="/write/show-me-your-glory/",
        schedule_on="2026-12-10",
        base_revision=devotion.revisions.first().pk,
    )
    assert response.status_code == 303
    devotion.refresh_from_db()
    assert (devotion.status, devotion.date) == ("published", dt.date(2026, 12, 10))
    listing = author.get("/write/?state=scheduled").content.decode()
    assert "Scheduled for Thursday 10 December (from midnight, UTC)" in listing
    client.logout()
    assert client.get(devotion.get_absolute_url()).status_code == 404
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 10))
    assert client.get(devotion.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("day", ["2026-12-02", "2026-11-30", ""])
def test_a_schedule_must_be_after_today(author, day):
    response = save(author, text(), "schedule", schedule_on=day)
    assert response.status_code == 400
    html = response.content.decode()
    assert "choose a day after today (Wednesday 2 December) to schedule it" in html
    assert "Moses asks (see v.2)." in html  # the text is kept
    assert not Devotion.objects.exists()


def test_publish_now_brings_a_later_date_to_today(author):
    save(author, text(), "publish")
    devotion = Devotion.objects.get()
    assert (devotion.status, devotion.date) == ("published", TODAY)
    assert "date: 2026-12-02" in devotion.source


def test_unpublish_makes_it_a_draft(author):
    save(author, text(date="2026-12-01"), "publish")
    devotion = Devotion.objects.get()
    save(author, devotion.source, "unpublish", url="/write/show-me-your-glory/")
    devotion.refresh_from_db()
    assert devotion.status == "draft"


def test_a_failed_save_keeps_the_text_and_shows_the_problem_at_its_line(author):
    broken = text().replace("passage: Exodus 33:12-23", "passage: Exodus 41:2")
    response = save(author, broken, "draft")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not saved; your text is kept below." in html
    assert re.search(r'data-line="3" data-column="\d+">line 3</a>: .*Exodus has 40 chapters', html)
    assert "passage: Exodus 41:2" in html


def test_the_preview_renders_before_any_save(author):
    response = author.post("/write/preview/", {"source": text()})
    assert response.status_code == 200
    html = response.content.decode()
    # "see v.2" is Exodus 33:2, previewed as a card with its text
    assert 'data-osis="Exod.33.2"' in html and 'class="ref-preview"' in html
    assert "And I will send an angel before thee" in html
    assert 'class="problem-error"' not in html and 'class="problem-warning"' not in html
    assert "As a glimpse" in html and "As a walk" in html and "As a study" in html
    assert not Devotion.objects.exists()
    # the Preview button without JavaScript does the same, in the editor
    page = save(author, text(), "preview").content.decode()
    assert 'data-osis="Exod.33.2"' in page and not Devotion.objects.exists()


def test_every_save_keeps_a_revision_and_any_can_be_restored(author):
    save(author, text(), "draft")
    devotion = Devotion.objects.get()
    first = devotion.revisions.get()
    edited = devotion.source.replace("Moses asks", "Moses pleads")
    save(author, edited, "draft", url="/write/show-me-your-glory/", base_revision=first.pk)
    assert devotion.revisions.count() == 2
    history = author.get("/write/show-me-your-glory/history/").content.decode()
    assert '<span class="diff-removed">- Moses asks (see v.2).</span>' in history
    assert '<span class="diff-added">+ Moses pleads (see v.2).</span>' in history
    restored = author.post(f"/write/show-me-your-glory/history/{first.pk}/restore/")
    assert restored.status_code == 303
    devotion.refresh_from_db()
    assert "Moses asks" in devotion.source
    assert [r.how for r in devotion.revisions.all()] == [
        Revision.RESTORE,
        Revision.DESK,
        Revision.DESK,
    ]


def test_two_authors_never_silently_overwrite_each_other(author, make_user, signed_in, client):
    save(author, text(), "draft")
    devotion = Devotion.objects.get()
    opened, original = devotion.revisions.first().pk, devotion.source
    # another author saves first
    from manna.desk.services import desk_save

    other = make_user("boaz", role=Role.ADMIN)
    desk_save(
        user=other,
        text=devotion.source.replace("asks", "begs"),
        action="draft",
        devotion=devotion,
        base_revision=opened,
    )
    response = save(
        author,
        original.replace("asks", "prays"),
        "draft",
        url="/write/show-me-your-glory/",
        base_revision=opened,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "boaz@example.org saved this devotion (" in html and "after you opened it" in html
    assert "Moses prays" in html  # kept in the editor, not saved
    devotion.refresh_from_db()
    assert "Moses begs" in devotion.source


def test_staff_see_a_banner_and_an_edit_link_on_the_devotion(author, client):
    save(author, text(), "draft")
    html = author.get("/devotions/show-me-your-glory/").content.decode()
    assert '<strong class="state state-draft">Draft</strong>: readers do not see it.' in html
    assert '<a href="/write/show-me-your-glory/">Edit</a>' in html


def test_an_author_edits_their_own_not_anothers(author, make_user, signed_in, client):
    from manna.desk.services import desk_save

    other = make_user("boaz", role=Role.AUTHOR)
    desk_save(user=other, text=text(slug="boaz-writes", date="2026-12-11"), action="draft")
    assert author.get("/write/boaz-writes/").status_code == 403
    assert "boaz-writes" not in author.get("/write/").content.decode()


def test_an_authors_page_lists_the_devotions_their_account_writes(author, make_user, client):
    from manna.desk.services import desk_save

    save(author, text(date="2026-12-01", author="Ruth"), "publish")
    other = make_user("boaz", role=Role.AUTHOR)
    desk_save(
        user=other,
        text=text(slug="boaz-writes", date="2026-11-30", author="Ruth"),
        action="publish",
    )
    client.logout()
    page = client.get("/authors/ruth/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Ruth</h1>" in html and "/devotions/show-me-your-glory/" in html
    assert "/devotions/boaz-writes/" not in html  # the same name in its front matter: not hers
    devotion_page = client.get("/devotions/show-me-your-glory/").content.decode()
    assert '<a href="/authors/ruth/">Ruth</a> ·' in devotion_page
    assert client.get("/authors/nobody/").status_code == 404


def test_text_being_written_is_kept_on_the_server_and_offered_back(author, make_user, signed_in):
    save(author, text(), "draft")
    kept = author.post(
        "/write/autosave/", {"source": text() + "\nHalf a thought", "key": "show-me-your-glory"}
    )
    assert kept.status_code == 200 and set(kept.json()) == {"saved"}
    html = author.get("/write/show-me-your-glory/").content.decode()
    assert "was kept but not saved." in html and "Half a thought" in html
    # a save makes it the devotion's: nothing is offered any more
    devotion = Devotion.objects.get()
    save(
        author,
        text() + "\nHalf a thought",
        "draft",
        url="/write/show-me-your-glory/",
        base_revision=devotion.revisions.first().pk,
    )
    assert (
        "was kept but not saved." not in author.get("/write/show-me-your-glory/").content.decode()
    )
    # nobody else's devotion, and no nonsense key
    other = make_user("boaz", role=Role.AUTHOR)
    from manna.desk.services import desk_save

    desk_save(user=other, text=text(slug="boaz-writes", date="2026-12-11"), action="draft")
    assert author.post("/write/autosave/", {"source": "x", "key": "boaz-writes"}).status_code == 403
    assert author.post("/write/autosave/", {"source": "x", "key": "../x"}).status_code == 400


def test_schedule_picks_a_day_and_a_slot(author):
    save(author, text(), "schedule", schedule_on="2026-12-12", schedule_slot="evening")
    devotion = Devotion.objects.get()
    assert (devotion.date, devotion.slot) == (dt.date(2026, 12, 12), "evening")
    assert "slot: evening" in devotion.source
    refused = save(
        author,
        text(slug="other", title="Other"),
        "schedule",
        schedule_on="2026-12-12",
        schedule_slot="noon",
    )
    assert refused.status_code == 400
    assert (
        "slot &quot;noon&quot; is not one of this site&#x27;s slots (morning, evening)"
        in refused.content.decode()
    )

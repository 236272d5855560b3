import pytest
from django.contrib.auth.models import User

from manna.devotions.models import Devotion
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, site_store):
    client.force_login(User.objects.create_superuser("author", "a@example.org", "x"))
    return client


def test_the_editor_saves_and_links_to_the_rendered_devotion(author):
    response = author.post("/admin/devotions/devotion/add/", {"source": devotion_text("See v.2.")})
    assert response.status_code == 302
    devotion = Devotion.objects.get()
    page = author.get(f"/admin/devotions/devotion/{devotion.pk}/change/").content.decode()
    assert 'href="/devotions/show-me-your-glory/" target="_blank"' in page
    assert 'href="/bible/kjv/Exod/33/#v2"' not in page  # the body is shown on its own page
    assert (
        'href="/bible/kjv/Exod/33/#v2"' in author.get(devotion.get_absolute_url()).content.decode()
    )


def test_the_editor_keeps_the_text_and_lists_the_check_errors(author):
    text = devotion_text("See Exodus 41:2.")
    response = author.post("/admin/devotions/devotion/add/", {"source": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "line 7, column 5: &quot;Exodus 41:2&quot;: Exodus has 40 chapters" in page
    assert "See Exodus 41:2." in page  # nothing the author wrote is lost
    assert Devotion.objects.count() == 0


def test_a_taken_date_is_refused_in_the_editor(author):
    author.post("/admin/devotions/devotion/add/", {"source": devotion_text(slug="one")})
    response = author.post("/admin/devotions/devotion/add/", {"source": devotion_text(slug="two")})
    assert response.status_code == 200
    assert "2026-11-24 already has a devotion" in response.content.decode()


def test_readers_cannot_open_the_editor(client, site_store):
    client.force_login(User.objects.create_user("reader", password="x"))
    assert client.get("/admin/devotions/devotion/add/").status_code == 302  # to the admin login


def test_the_admin_list_says_scheduled_for_a_devotion_still_to_come(
    admin_client, site_store, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 20))
    devotion_save_text(text=devotion_text(date="2026-12-10"))
    html = admin_client.get("/admin/devotions/devotion/").content.decode()
    assert "Scheduled for 10 December 2026" in html

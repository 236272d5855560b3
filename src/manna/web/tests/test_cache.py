import pytest
from django.contrib.auth.models import User

from manna.devotions.models import Devotion
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings, site_store):
    from django.core.cache import cache

    cache.clear()
    settings.MANNA_PAGE_CACHE_SECONDS = 60
    devotion_save_text(text=devotion_text("First.", date="2020-01-01"))
    yield
    cache.clear()


def test_anonymous_readers_get_the_cached_page(client, cached):
    assert "First." in client.get("/devotions/show-me-your-glory/").content.decode()
    Devotion.objects.update(body_html="<p>Changed.</p>", walk_html="<p>Changed.</p>")
    assert "First." in client.get("/devotions/show-me-your-glory/").content.decode()


def test_signed_in_people_get_a_fresh_page(client, cached):
    client.get("/devotions/show-me-your-glory/")
    Devotion.objects.update(body_html="<p>Changed.</p>", walk_html="<p>Changed.</p>")
    client.force_login(User.objects.create_user("author", password="x"))
    assert "Changed." in client.get("/devotions/show-me-your-glory/").content.decode()


def test_errors_are_not_cached(client, cached):
    assert client.get("/devotions/later/").status_code == 404
    devotion_save_text(text=devotion_text("Later.", slug="later", date="2020-01-02"))
    assert client.get("/devotions/later/").status_code == 200


def test_each_host_has_its_own_cached_page(client, cached, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    client.get("/devotions/show-me-your-glory/", HTTP_HOST="a.example")
    Devotion.objects.update(body_html="<p>Changed.</p>", walk_html="<p>Changed.</p>")
    page = client.get("/devotions/show-me-your-glory/", HTTP_HOST="b.example").content.decode()
    assert "Changed." in page

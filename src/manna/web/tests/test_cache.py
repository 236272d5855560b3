"""The page cache, the shared fragments and the generation that retires them."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manna.conftest import settings_refused
from manna.devotions.models import Devotion
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.web import cache as pages

pytestmark = pytest.mark.django_db
PAGE = "/devotions/show-me-your-glory/"


@pytest.fixture
def cached(settings, site_store, tmp_path):
    settings.DATA_DIR = tmp_path  # the embedded default's stamp file
    settings.MANNA_PAGE_CACHE_SECONDS = 60
    devotion_save_text(text=devotion_text("First.", date="2020-01-01"))


def test_anonymous_readers_get_the_kept_page_without_the_view_running(client, cached):
    assert "First." in client.get(PAGE).content.decode()
    Devotion.objects.update(body_html="<p>Changed.</p>", walk_html="<p>Changed.</p>")
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(PAGE)
    assert "First." in kept.content.decode()
    assert queries.captured_queries == []
    # the headers the middleware gave it when it was kept
    assert kept["Content-Security-Policy"].startswith("default-src 'self'")
    assert kept["X-Frame-Options"] == "DENY"


def test_saving_a_devotion_retires_its_pages_at_once(
    client, cached, django_capture_on_commit_callbacks
):
    client.get(PAGE)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):  # once the save is committed
        devotion_save_text(text=devotion_text("Second.", date="2020-01-01"))
    assert "Second." in client.get(PAGE).content.decode()
    assert "Second." in client.get("/").content.decode()


def test_removing_a_devotion_retires_its_pages(client, cached, django_capture_on_commit_callbacks):
    assert client.get(PAGE).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Devotion.objects.get().delete()
    assert client.get(PAGE).status_code == 404


def test_signed_in_people_never_get_a_kept_page(client, cached):
    client.get(PAGE)
    client.force_login(User.objects.create_user("ruth", password="x"))
    page = client.get(PAGE)
    assert "ruth" in page.content.decode()  # their own header, not the anonymous page
    assert page["Manna-Owner"]


def test_errors_are_not_kept(client, cached):
    assert client.get("/devotions/later/").status_code == 404
    devotion_save_text(text=devotion_text("Later.", slug="later", date="2020-01-02"))
    assert client.get("/devotions/later/").status_code == 200


def test_each_host_has_its_own_kept_page(client, cached, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    client.get(PAGE, HTTP_HOST="a.example")
    Devotion.objects.update(body_html="<p>Changed.</p>", walk_html="<p>Changed.</p>")
    page = client.get(PAGE, HTTP_HOST="b.example").content.decode()
    assert "Changed." in page
    assert 'data-share="http://b.example/devotions/' in page


def test_a_disallowed_host_is_refused_not_kept(client, cached):
    assert client.get(PAGE, HTTP_HOST="evil.example").status_code == 400


def test_the_article_is_built_once_for_every_reader(client, cached, settings):
    settings.MANNA_PAGE_CACHE_SECONDS = 0  # no page cache: only the fragments
    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as again:
        page = client.get(PAGE).content.decode()
    assert len(again.captured_queries) < len(first.captured_queries)
    assert "First." in page
    # ...and each depth is its own
    assert "First." in client.get(PAGE + "?depth=study").content.decode()


def test_shared_builds_once_per_generation(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    built = []

    def build():
        built.append(1)
        return f"<p>{len(built)}</p>"

    assert pages.shared(("x", 1), build) == "<p>1</p>"
    assert pages.shared(("x", 1), build) == "<p>1</p>"
    assert pages.shared(("x", 2), build) == "<p>2</p>"
    pages.pages_changed()
    assert pages.shared(("x", 1), build) == "<p>3</p>"


def test_a_fragment_this_process_used_is_taken_from_its_memory(settings, tmp_path, monkeypatch):
    """No unpickling, and with Redis no round trip: a fragment never changes under its key."""
    settings.DATA_DIR = tmp_path
    assert pages.shared(("y",), lambda: "<p>kept</p>") == "<p>kept</p>"
    asked = []
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: asked.append(args))
    assert pages.shared(("y",), lambda: "<p>built again</p>") == "<p>kept</p>"
    assert asked == []
    monkeypatch.undo()
    for n in range(pages._Fetched.SIZE):  # as many other fragments: the first forgotten
        pages.shared(("z", n), lambda: "<p>other</p>")
    cache.delete(pages.cache_key("fragment", pages.code_version(), pages.generation(), "y"))
    assert pages.shared(("y",), lambda: "<p>built again</p>") == "<p>built again</p>"
    pages.pages_changed()  # a new generation: a new key, built afresh
    assert pages.shared(("y",), lambda: "<p>after</p>") == "<p>after</p>"


def test_the_embedded_generation_is_a_stamp_every_process_sees(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert pages.generation() == 0  # nothing changed yet
    pages.pages_changed()
    first = pages.generation()
    assert first == (tmp_path / "pages-changed").stat().st_mtime_ns
    pages.pages_changed()
    assert pages.generation() > first  # even within the clock's tick


def test_the_shared_generation_lives_in_redis(settings, redis_url):
    settings.MANNA_CACHE_URL = redis_url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    try:
        cache.delete(pages.GENERATION_KEY)
        first = pages.generation()  # made when missing: the time, never a number used before
        assert first > 0
        pages.pages_changed()
        # another server's connection to the same Redis sees the new generation
        other = caches.create_connection("default")
        assert other.get(pages.GENERATION_KEY) == first + 1 == pages.generation()
        cache.delete(pages.GENERATION_KEY)  # evicted or flushed
        pages.pages_changed()
        assert pages.generation() > first + 1
    finally:
        cache.clear()


def test_a_cache_url_that_is_not_redis_is_refused():
    assert "MANNA_CACHE_URL='memcached://x': leave it unset" in settings_refused(
        MANNA_CACHE_URL="memcached://x"
    )


def test_a_generation_that_cannot_move_on_is_logged_and_the_save_kept(
    client, cached, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    (tmp_path / "not-a-folder").write_text("")
    settings.DATA_DIR = tmp_path / "not-a-folder"  # the stamp cannot be written there
    with django_capture_on_commit_callbacks(execute=True):
        saved = devotion_save_text(text=devotion_text("Kept.", date="2020-01-01"))
    assert saved.devotion is not None
    assert Devotion.objects.get().body_html == "<p>Kept.</p>"
    assert "pages_changed" in caplog.text


def test_a_long_or_odd_address_is_kept_under_a_short_plain_key(client, cached, recwarn):
    long_query = "?x=" + "a" * 400
    for address in (PAGE + long_query, PAGE + "?x=%20%0a"):
        assert client.get(address).status_code == 200
        assert client.get(address).status_code == 200
    assert not [w for w in recwarn if "CacheKeyWarning" in type(w.message).__name__]
    key = pages.cache_key("page", 1, "host" + long_query)
    assert len(key) < 100 and key.startswith("page:")
    assert pages.cache_key("page", 1, "host/a") == "page:1:host/a"


def test_other_code_never_serves_what_this_code_built(client, cached, monkeypatch):
    """A rolling upgrade: a server with other templates builds its own pages and fragments."""
    assert pages.shared(("x",), lambda: "ours") == "ours"
    client.get(PAGE)
    Devotion.objects.update(body_html="<p>New code.</p>", walk_html="<p>New code.</p>")
    assert "New code." not in client.get(PAGE).content.decode()  # kept
    monkeypatch.setattr(pages, "code_version", lambda: "other-code")
    assert pages.shared(("x",), lambda: "theirs") == "theirs"
    assert "New code." in client.get(PAGE).content.decode()


def test_the_code_version_is_a_hash_of_the_package():
    version = pages.code_version()
    assert len(version) == 16 and int(version, 16) >= 0
    assert pages.code_version() is version  # once a process


def test_todays_devotion_is_found_once_a_generation_and_its_row_read_each_time(
    cached, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from manna.devotions.selectors import devotion_today

    today = dt.date(2020, 1, 2)
    assert devotion_today(today=today).slug == "show-me-your-glory"
    with CaptureQueriesContext(connection) as queries:
        found = devotion_today(today=today, light=True)
    assert found.slug == "show-me-your-glory"
    assert len(queries.captured_queries) == 1  # the row, by its id
    assert "CASE" not in queries.captured_queries[0]["sql"]  # not the day order again
    with django_capture_on_commit_callbacks(execute=True):  # a newer one is published
        devotion_save_text(text=devotion_text("Newer.", slug="newer", date="2020-01-02"))
    assert devotion_today(today=today).slug == "newer"
    assert devotion_today(today=dt.date(2020, 1, 1)).slug == "show-me-your-glory"
    assert devotion_today(today=dt.date(2019, 12, 31)) is None


def test_a_page_reads_the_generation_once_however_many_fragments_it_has(
    client, cached, settings, monkeypatch
):
    settings.MANNA_PAGE_CACHE_SECONDS = 0  # the article and the replies: two fragments
    reads = []
    read = pages._read_generation

    def counted() -> int:
        reads.append(1)
        return read()

    monkeypatch.setattr(pages, "_read_generation", counted)
    assert "First." in client.get(PAGE).content.decode()
    assert reads == [1]
    pages.generation()  # outside a request: read each time
    assert reads == [1, 1]

"""/search/: spellings folded, a typed reference's verses and the devotions citing it,
counts and pages."""

from __future__ import annotations

import re

import pytest

from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def devotions(site_store):
    saved = [
        devotion_save_text(text=devotion_text("Moses asks to see the glory.")),  # Exodus 33:12-23
        devotion_save_text(
            text=devotion_text(
                "Jacob slept at Beth-el and rendered to Cæsar.",
                title="The Ladder",
                date="2026-11-22",
                passage="Genesis 28:10-22",
            )
        ),
    ]
    assert all(s.devotion is not None for s in saved)
    return [s.devotion for s in saved]


def test_a_typed_reference_shows_its_verses_and_the_devotions_citing_it(client, devotions):
    html = client.get("/search/?q=Exodus+33:18").content.decode()
    assert '<h2><a href="/bible/kjv/Exod/33/#v18">Exodus 33:18</a></h2>' in html
    assert "I beseech thee, shew me thy glory." in html
    assert "Cited in 1 devotion:" in html
    assert '<a href="/devotions/show-me-your-glory/">Show Me Your Glory</a>' in html
    assert "verses match" not in html  # a reference alone is not searched for as words


def test_a_reference_no_devotion_cites_says_so(client, devotions):
    html = client.get("/search/?q=Jude+3").content.decode()
    assert "earnestly contend for the faith" in html
    assert "No devotion cites it yet." in html


@pytest.mark.parametrize("query", ["Bethel", "Beth-el", "Caesar", "Cæsar"])
def test_devotion_search_folds_spellings(client, devotions, query):
    html = client.get(f"/search/?q={query}").content.decode()
    assert '<a href="/devotions/the-ladder/">The Ladder</a>' in html
    assert "1 devotion mentions" in html


def test_results_are_counted_and_paged(client, site_store):
    first = client.get("/search/?q=faith").content.decode()
    assert "231 verses match; page 1." in first
    assert len(re.findall(r'<li><a href="/bible/kjv/', first)) == 20
    assert 'href="?q=faith&amp;translation=kjv&amp;page=2"' in first
    second = client.get("/search/?q=faith&page=2").content.decode()
    assert '<ol class="hits" start="21">' in second
    assert 'rel="prev" href="?q=faith&amp;translation=kjv&amp;page=1"' in second
    last = client.get("/search/?q=faith&page=12").content.decode()
    assert 'rel="next"' not in last and len(re.findall(r'<li><a href="/bible/kjv/', last)) == 11


def test_a_bad_page_says_what_a_page_is(client, site_store):
    response = client.get("/search/?q=faith&page=two")
    assert response.status_code == 400
    assert (
        "page: &quot;two&quot; is not a page number; give 1, 2, 3 ..." in response.content.decode()
    )


@pytest.mark.parametrize("page", ["²", "0", "10001", "-1", "1.5"])
def test_a_page_that_is_not_a_page_number_is_refused(client, site_store, page):
    assert client.get("/search/", {"q": "faith", "page": page}).status_code == 400


def test_on_postgresql_devotions_are_ranked_by_full_text_search(site_store):
    from django.db import connection

    from manna.devotions.selectors import devotion_search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full-text search (make test's second pass)")
    for slug, title, body, date in [
        ("in-the-text", "A Quiet Morning", "He loved the glory of the LORD.", "2026-11-20"),
        ("in-the-title", "Glory in the Cloud", "Another day.", "2026-11-18"),
        ("elsewhere", "Bread", "Nothing of it here.", "2026-11-21"),
    ]:
        saved = devotion_save_text(
            text=devotion_text(body, slug=slug, title=title, date=date, passage="Psalm 23")
        )
        assert saved.devotion is not None
    found = devotion_search(query="glory")
    # the title counts most (the older one first), then the newest of equal rank
    assert [d.slug for d in found] == ["in-the-title", "in-the-text"]
    assert [d.slug for d in devotion_search(query="love glory")] == ["in-the-text"]  # stems
    assert list(devotion_search(query="glory bread")) == []  # every word
    # The stored document (migration 0007) is what the search filters and ranks on, and its
    # GIN index is there for the planner (bench/search.py shows it read on 10,000 devotions).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'devotions_search_document'"
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith("USING gin (search_document)")
    plan = devotion_search(query="glory").explain()
    assert "(search_document @@ '''glori'''::tsquery)" in plan
    assert "ts_rank(devotions_devotion.search_document, '''glori'''::tsquery)" in plan

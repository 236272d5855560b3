"""What was stored before the allow-list is rendered again by the migrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from manna.community.tests.xss import injected_markup
from manna.devotions.tests.conftest import devotion_text
from manna.devotions.tests.test_author_html import MANNA_CLASSES, MANNA_IDS

BEFORE = [
    ("devotions", "0002_devotion_glimpse_derived_devotion_glimpse_html_and_more"),
    ("community", "0001_initial"),
    ("practice", "0004_session_reading_as_long_as_a_plan_reading"),
]
EVIL = '<form action="/admin/auth/user/1/change/"><button>Save</button></form>'


@pytest.mark.django_db(transaction=True)
def test_devotions_replies_and_journals_stored_before_are_cleaned(site_store):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="ruth@example.org")
    devotion = old.get_model("devotions", "Devotion").objects.create(
        slug="show-me-your-glory",
        title="Show Me Your Glory",
        date=dt.date(2026, 11, 24),
        passage="Exodus 33:12-23",
        passage_osis="Exod.33.12-Exod.33.23",
        translation="kjv",
        status="published",
        source=devotion_text(f"{EVIL}\n\nSee v. 18."),
        body_html=EVIL,
        walk_html=EVIL,
        glimpse_html=EVIL,
        passage_html="<p>passage</p>",
        plain_text="Save See v. 18.",
    )
    broken = old.get_model("devotions", "Devotion").objects.create(
        slug="broken",
        title="Broken",
        date=dt.date(2026, 11, 25),
        passage="Exodus 33:12-23",
        passage_osis="Exod.33.12-Exod.33.23",
        translation="kjv",
        source=devotion_text("Body", title="T" * 201),  # no longer passes the check
        body_html=EVIL,
        passage_html="",
        plain_text="Body <b>",
    )
    reply_evil = '\\` <a class="ref" href="https://evil.example/">John 3:16</a> `'
    old.get_model("community", "Reply").objects.create(
        devotion=devotion,
        author=user,
        body=reply_evil,
        body_html='<a class="ref" href="https://evil.example/">x</a>',
    )
    old.get_model("practice", "JournalEntry").objects.create(
        user=user,
        day=dt.date(2026, 11, 24),
        body=reply_evil,
        body_html='<a class="ref" href="https://evil.example/">x</a>',
        created=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
        updated=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from manna.community.models import Reply
    from manna.devotions.models import Devotion
    from manna.practice.models import JournalEntry

    saved = Devotion.objects.get(slug="show-me-your-glory")
    for html in (saved.body_html, saved.walk_html, saved.glimpse_html):
        assert injected_markup(html, classes=MANNA_CLASSES, ids=MANNA_IDS) == []
    assert 'data-osis="Exod.33.18"' in saved.body_html
    assert Devotion.objects.get(pk=broken.pk).body_html == "<p>Body &lt;b&gt;</p>"
    for html in (Reply.objects.get().body_html, JournalEntry.objects.get().body_html):
        assert "<a class" not in html and 'evil.example/"' not in html.split("&lt;")[0]

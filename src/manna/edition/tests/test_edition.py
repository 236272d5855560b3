"""The edition as an email: both parts, its links, its notes, its headers; the author's
test send and preview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from django.core import mail

from manna.accounts.models import Role
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.edition.models import Subscriber
from manna.edition.services import edition_message

pytestmark = pytest.mark.django_db

BODY = """
Moses pleads for the people (see v.13), and then asks for more.

> 18 And he said, I beseech thee, shew me thy glory.

## Prayer

Lord, show us your glory. Amen.
"""


@pytest.fixture
def devotion(site_store):
    result = devotion_save_text(text=devotion_text(BODY, theme="Wanting to see God."))
    assert result.devotion is not None
    return result.devotion


@pytest.fixture
def subscriber(db):
    return Subscriber.objects.create(email="ruth@example.org", depth="study")


def test_the_edition_has_a_text_and_an_html_part_with_absolute_links(devotion, subscriber):
    message = edition_message(subscriber, devotion)
    assert message.subject == "Show Me Your Glory (Exodus 33:12-23)"
    assert message.to == ["ruth@example.org"]
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    # no script, no style sheet, no remote picture; styles inline; light and dark
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert 'style="margin:0 0 1em 0;line-height:1.55;"' in html
    # a reference is a link with an absolute address and a numbered note with its words
    assert (
        '<a style="color:#8a4b0f;" href="http://127.0.0.1:8000/bible/kjv/Exod/33/#v13">v.13</a>'
        '<sup style="font-size:0.7em;">[1]</sup>'
    ) in html
    assert "Exodus 33:13</a>: Now therefore, I pray thee, if I have found grace" in html
    assert "ref-preview" not in html and 'class="' not in html
    assert (
        '<a href="http://127.0.0.1:8000/devotions/show-me-your-glory/" style="color:#8a4b0f;">Read on the site</a>'
        in html
    )
    # the passage's own text is in it
    assert "And Moses said unto the LORD, See, thou sayest unto me" in html
    text = message.body
    assert "Moses pleads for the people (see v.13 [1]), and then asks for more." in text
    assert "[1] Exodus 33:13: Now therefore, I pray thee" in text
    assert "Read on the site: http://127.0.0.1:8000/devotions/show-me-your-glory/" in text
    assert "<" not in re.sub(r"<[^>]*@[^>]*>", "", text)  # no markup in the text part


def test_the_edition_headers(devotion, subscriber, settings):
    settings.MANNA_EDITION_FROM = "Manna <daily@example.org>"
    settings.MANNA_EDITION_REPLY_TO = "pastor@example.org"
    message = edition_message(subscriber, devotion)
    assert message.from_email == "Manna <daily@example.org>"
    assert message.reply_to == ["pastor@example.org"]
    headers = message.extra_headers
    assert headers["List-Id"] == "Manna <edition.127.0.0.1>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(
        r"<(http://127\.0\.0\.1:8000/subscription/[^>]+/unsubscribe/)>", headers["List-Unsubscribe"]
    )
    assert url is not None and url.group(1) in message.body


def test_each_subscriber_gets_their_depth(devotion, subscriber):
    subscriber.depth = "glimpse"
    glimpse = edition_message(subscriber, devotion).body
    assert "You receive this as a glimpse" in glimpse
    assert "Moses pleads for the people" not in glimpse  # a glimpse: theme, key verse, prayer
    assert "Lord, show us your glory. Amen." in glimpse


def test_an_author_sends_a_test_and_previews_each_depth(devotion, client, make_user, signed_in):
    from manna.cli import main

    result = CliRunner().invoke(
        main, ["send-test", devotion.slug, "ruth@example.org", "--depth", "glimpse"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "sent the glimpse edition of show-me-your-glory to ruth@example.org\n"
    [message] = mail.outbox
    assert message.subject == "[Test] Show Me Your Glory (Exodus 33:12-23)"
    unknown = CliRunner().invoke(main, ["send-test", "nope", "ruth@example.org"])
    assert unknown.exit_code == 2 and "no devotion has the slug nope" in unknown.output
    assert client.get(f"/write/{devotion.slug}/email/").status_code == 403
    author = signed_in(make_user("ann", role=Role.AUTHOR))
    preview = author.get(f"/write/{devotion.slug}/email/?depth=study")
    assert preview.status_code == 200
    assert "You receive this as a study" in preview.content.decode()
    assert "default-src 'none'" in preview["Content-Security-Policy"]
    assert author.get(f"/write/{devotion.slug}/email/?depth=deep").status_code == 400


def test_the_authors_edition_page_sends_a_test_and_counts(devotion, make_user, signed_in):
    from django.utils import timezone

    from manna.edition.models import Delivery

    ann = make_user("ann", role=Role.AUTHOR)
    author = signed_in(ann)
    page = author.get(f"/write/{devotion.slug}/edition/").content.decode()
    assert f'href="/write/{devotion.slug}/email/?depth=glimpse"' in page
    sent = author.post(f"/write/{devotion.slug}/edition/test/", {"depth": "study"})
    assert sent.status_code == 303
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert "You receive this as a study" in mail.outbox[0].body
    # counts: only what the mail servers said
    gone = Subscriber.objects.create(email="gone@example.org", confirmed=timezone.now())
    kept = Subscriber.objects.create(
        email="kept@example.org", confirmed=timezone.now(), bouncing=True
    )
    now = timezone.now()
    Delivery.objects.create(
        subscriber=gone, devotion=devotion, due=now, state=Delivery.SENT, sent=now
    )
    Delivery.objects.create(subscriber=kept, devotion=devotion, due=now, state=Delivery.FAILED)
    Subscriber.objects.filter(pk=gone.pk).update(unsubscribed=now + dt.timedelta(hours=1))
    from manna.edition.services import edition_counts

    assert edition_counts(devotion) == {
        "sent": 1,
        "waiting": 0,
        "failed": 1,
        "bouncing": 1,
        "unsubscribed_since": 1,
    }
    from django.test import Client

    assert Client().get(f"/write/{devotion.slug}/edition/").status_code == 403  # visitors
    desk = author.get(f"/write/{devotion.slug}/").content.decode()
    assert f'<a href="/write/{devotion.slug}/edition/">The email edition</a>' in desk


def test_each_subscriber_gets_their_own_links_from_one_rendering(devotion, monkeypatch):
    from manna.edition import render

    calls = []
    original = render._render

    def counted(d, depth):
        calls.append(depth)
        return original(d, depth)

    monkeypatch.setattr(render, "_render", counted)
    render._RENDERED.clear()
    ruth = Subscriber.objects.create(email="ruth@example.org", depth="walk")
    boaz = Subscriber.objects.create(email="boaz@example.org", depth="walk")
    first, second = edition_message(ruth, devotion), edition_message(boaz, devotion)
    assert calls == ["walk"]  # rendered once for both
    assert first.extra_headers["List-Unsubscribe"] != second.extra_headers["List-Unsubscribe"]
    for message in (first, second):
        link = message.extra_headers["List-Unsubscribe"][1:-1]
        assert link in message.body and link in message.alternatives[0][0]
        assert "manna-link" not in message.body and "manna-link" not in message.alternatives[0][0]
    # a devotion saved again is rendered again
    devotion_save_text(
        text=devotion.source.replace("Moses pleads", "Moses begs"), devotion=devotion
    )
    devotion.refresh_from_db()
    assert "Moses begs" in edition_message(ruth, devotion).body
    assert calls == ["walk", "walk"]

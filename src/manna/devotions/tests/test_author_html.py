"""An author's devotion is sanitised like a reader's reply: with the format's own elements.

Before this, raw HTML in a devotion's body reached every reader, the feeds and the admin
preview: forms that made an admin click turn the author into a superuser, refreshes to
other sites, password forms and overlays.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from manna.community.tests.xss import DEVOTION_PAYLOADS, injected_markup, unsafe_markup
from manna.devotions.check import check_text
from manna.devotions.models import Devotion
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text
from manna.markup.sanitize import AUTHOR, READER, clean, finish, writer_text

# Every class and id Manna itself puts into a rendered body.
MANNA_CLASSES = {
    "ref", "ref-preview", "ref-preview-title", "depth-mark", "section", "section-questions",
    "section-practice", "section-prayer", "footnote", "footnote-ref", "footnote-backref",
    "glimpse-theme", "key-verse",
}  # fmt: skip
MANNA_IDS = ("fn:", "fnref:", "ref-", "at-")


def rendered(body: str, store) -> str:
    checked = check_text(devotion_text(body), store=store, default_translation="kjv")
    assert checked.rendered is not None, checked.problems
    return checked.rendered.body_html


def test_the_corpus_covers_what_authors_can_do():
    assert len(DEVOTION_PAYLOADS) >= 140
    assert injected_markup('<form action="/x"><input name=a></form>', classes=set()) == [
        "<form> element",
        "<input> element",
    ]
    assert injected_markup('<a class="ref" href="/bible/">x</a>', classes={"ref"}) == []
    assert injected_markup('<p id="main" class="overlay">x</p>', classes=set()) == [
        "<p id=main>",
        "<p class=overlay>",
    ]


@pytest.mark.parametrize("payload", DEVOTION_PAYLOADS)
def test_a_payload_in_a_devotion_renders_inert(payload, store):
    body = (
        f"Consider Exodus 33:18.\n\n{payload}\n\n::: study\nSee v. 20.\n:::\n\n## Prayer\n\nAmen."
    )
    html = rendered(body, store)
    assert injected_markup(html, classes=MANNA_CLASSES, ids=MANNA_IDS) == []


def test_the_formats_own_elements_survive(store):
    html = rendered(
        """
        # Heading

        *em* **strong** `code` <abbr title="Tetragrammaton">LORD</abbr> H<sub>2</sub>O

        | verse | word |
        |:------|-----:|
        | 18    | glory |

        A note.[^1]

        Term
        : Its definition.

        <details><summary>More</summary>Hidden.</details>

        ![A lamp](/static/manna/lamp.png "Title")

        [^1]: See John 1:14.
        """,
        store,
    )
    for kept in (
        "<h1>Heading</h1>",
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        '<abbr title="Tetragrammaton">LORD</abbr>',
        "<sub>2</sub>",
        '<th align="left">verse</th>',
        '<td align="right">glory</td>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"',
        '<li id="fn:1">',
        "<dt>Term</dt>",
        "<details><summary>More</summary>",
        '<img alt="A lamp" src="/static/manna/lamp.png" title="Title">',
        'data-osis="John.1.14"',
    ):
        assert kept in html
    assert "style=" not in html


def test_raw_html_keeps_its_text_and_loses_its_power(store):
    html = rendered(
        '<div class="overlay" style="position:fixed">Stay</div> <a href="https://example.org" '
        'onclick="x()">site</a> <a class="ref" href="https://evil.example">John 3:16</a>',
        store,
    )
    assert "<div>Stay</div>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html
    # A link the author made is never a reference link, and nothing is linked inside it.
    assert '<a href="https://evil.example" rel="noopener noreferrer">John 3:16</a>' in html


def test_a_reference_inside_an_attribute_is_not_linked_into_it(store):
    html = rendered(
        '[site](https://example.org "Romans 8:28") and [ref][r].\n\n'
        '[r]: https://example.org "Genesis 1:1"',
        store,
    )
    assert 'title="Romans 8:28"' in html
    assert 'title="Genesis 1:1"' in html
    assert "data-osis" not in html


def test_placeholder_characters_typed_by_an_author_are_text(store):
    html = rendered("Before \ue000a\ue001 and \ue010depth:study\ue011 after John 3:16.", store)
    assert "Before \ufffda\ufffd and \ufffddepth:study\ufffd after" in html


def test_writer_text_drops_bidi_controls_and_placeholders():
    assert writer_text("a\u202eb\u2066c\ue000") == "abc\ufffd"


def test_the_policies_differ_in_what_they_keep():
    html = '<h2 id="x">T</h2><table><tr><td>1</td></tr></table><a class="ref" href="/b">r</a>'
    assert clean(html, AUTHOR) == (
        "<h2>T</h2><table><tbody><tr><td>1</td></tr></tbody></table>"
        '<a href="/b" rel="noopener noreferrer">r</a>'
    )
    assert clean(html, READER) == 'T1<a href="/b" rel="nofollow ugc noopener noreferrer">r</a>'
    assert finish('<a class="ref evil" href="/b" onclick="x">r</a>', READER) == (
        '<a class="ref" href="/b">r</a>'
    )


@pytest.mark.django_db
def test_the_admin_never_shows_the_body_inside_its_form(client, site_store):
    admin = User.objects.create_superuser("admin", "admin@example.org", "x")
    text = devotion_text(
        '<button formaction="/admin/auth/user/1/change/">Save</button> Body text here.',
        status="draft",
    )
    result = devotion_save_text(text=text)
    devotion = result.devotion
    client.force_login(admin)
    page = client.get(f"/admin/devotions/devotion/{devotion.pk}/change/").content.decode()
    assert "Body text here" not in page.split("<textarea")[0]
    assert "formaction" not in page.replace("&quot;", '"').split("<textarea")[0]
    assert f'href="/devotions/{devotion.slug}/"' in page
    assert "a draft: only staff can open it" in page
    reader_page = client.get(f"/devotions/{devotion.slug}/").content.decode()
    assert "Body text here" in reader_page
    assert "formaction" not in reader_page


@pytest.mark.django_db
def test_every_payload_is_inert_on_the_page_and_in_the_feeds(client, site_store):
    for n, chunk in enumerate(range(0, len(DEVOTION_PAYLOADS), 20)):
        payloads = "\n\n".join(DEVOTION_PAYLOADS[chunk : chunk + 20])
        text = devotion_text(payloads, date=f"2026-11-{n + 1:02d}", slug=f"d{n}")
        assert devotion_save_text(text=text).devotion is not None
    assert Devotion.objects.count() >= 8
    for devotion in Devotion.objects.all():
        for depth in ("glimpse", "walk", "study"):
            fragment = devotion.html_at(depth)
            assert injected_markup(fragment, classes=MANNA_CLASSES, ids=MANNA_IDS) == []
        page = client.get(f"/devotions/{devotion.slug}/?depth=study").content.decode()
        assert unsafe_markup(page) == []
    for feed in ("/feeds/rss.xml", "/feeds/atom.xml"):
        response = client.get(feed)
        if response.status_code == 200:
            assert "<script" not in response.content.decode().replace("&lt;script", "")

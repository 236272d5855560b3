from __future__ import annotations

import re

import pytest

from manna.markup import count_links, render_reply
from manna.scripture import parse_reference

REL = ' rel="nofollow ugc noopener noreferrer"'


@pytest.fixture
def render(store):
    def run(text: str) -> str:
        context = parse_reference("Exodus 33:12-23")
        html = render_reply(text, store=store, translation="kjv", context=context).html
        return re.sub(r' aria-describedby="[^"]+"| id="[^"]+"', "", html)

    return run


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("*so* **much**", "<p><em>so</em> <strong>much</strong></p>"),
        ("> a quote", "<blockquote>\n<p>a quote</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("[site](https://example.org)", f'<p><a href="https://example.org"{REL}>site</a></p>'),
        (
            "![pic](https://example.org/a.png)",
            f'<p>!<a href="https://example.org/a.png"{REL}>pic</a></p>',
        ),
        ("<b>bold</b> & more", "<p>&lt;b&gt;bold&lt;/b&gt; &amp; more</p>"),
        ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
        ("# Heading", "Heading"),
        ("[x](javascript:alert(1))", f"<p><a{REL}>x</a></p>"),
    ],
)
def test_the_markdown_subset(render, text, html):
    assert render(text) == html


def test_references_are_linked_with_a_preview_and_relative_ones_use_the_passage(render):
    html = render("Compare v. 18 with John 1:14.")
    assert 'href="/bible/kjv/Exod/33/#v18" data-osis="Exod.33.18"' in html
    assert 'href="/bible/kjv/John/1/#v14" data-osis="John.1.14"' in html
    assert 'class="ref-preview" role="tooltip"' in html
    assert "the Word was made flesh" in html


def test_references_inside_code_and_link_targets_are_not_linked(render):
    assert "data-osis" not in render("`John 3:16` and [x](https://example.org/John/3:16)")


def test_links_to_other_sites_are_counted_but_references_are_not():
    html = (
        '<p><a class="ref" href="/bible/kjv/John/3/">John 3:16</a> '
        '<a href="https://a.example">a</a> http://b.example www.c.example</p>'
    )
    assert count_links(html) == 3


@pytest.mark.parametrize(
    "text",
    [
        '\\` <a class="ref" href="https://evil.example/">John 3:16</a> `',
        '\\`<a href="https://evil.example/">x</a>`',
        '`` ` `` <a class="ref" href="https://evil.example/">John 3:16</a>',
        '\\\\` <span class="ref-preview">fake</span> `',
    ],
)
def test_an_escaped_backtick_does_not_let_markup_through(render, text):
    html = render(text)
    assert "<a class" not in html and "<span" not in html  # what shows of it shows as text
    assert not re.search(r"<a\b[^>]*evil", html)


def test_every_link_to_another_site_is_counted(store):
    def links(text: str) -> int:
        return render_reply(text, store=store, translation="kjv", context=None).links

    assert links("[John 3:16](https://evil.example/a) and John 3:16") == 1
    assert links("<https://a.example> [b](//b.example) [c](mailto:c@example.org)") == 3
    assert links("[here](/devotions/x/) [top](#replies) John 3:16") == 0


def test_bidi_controls_and_placeholders_in_a_reply_are_not_kept(render):
    assert render("[\u202etxt.exe](https://a.example)") == (
        f'<p><a href="https://a.example"{REL}>txt.exe</a></p>'
    )
    assert render("odd \ue000a\ue001 text") == "<p>odd \ufffda\ufffd text</p>"

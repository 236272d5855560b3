from __future__ import annotations

import re

import pytest

from manna.community.render import count_links, render_reply
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

"""A post's HTML as Manna's Markdown, and the passage found in a title (pure)."""

from __future__ import annotations

from manna.wordpress.infer import passage_in_line, passage_in_title, sentence_case
from manna.wordpress.markdown import to_markdown


def test_classic_paragraphs_line_breaks_entities_and_emphasis():
    converted = to_markdown("One&nbsp;<em>two</em> &amp; <b>three</b>\nfour\n\n<i></i>Five")
    assert converted.markdown == "One *two* & **three**  \nfour\n\nFive\n"


def test_block_editor_comments_and_classes_leave_no_trace():
    html = (
        '<!-- wp:heading {"level":3} --><h3 class="wp-block-heading">Practice</h3>'
        "<!-- /wp:heading --><!-- wp:list --><ol><li>Pray</li><li>Rest</li></ol><!-- /wp:list -->"
    )
    assert to_markdown(html).markdown == "### Practice\n\n1. Pray\n2. Rest\n"


def test_shortcodes_converted_or_reported_never_shown():
    converted = to_markdown(
        '[embed]https://video.example.org/1[/embed] [audio mp3="https://a.example.org/x.mp3"]'
        ' [contact-form-7 id="3"] [sic]'
    )
    assert "https://video.example.org/1" in converted.markdown
    assert (
        "[Listen: https://a.example.org/x.mp3](https://a.example.org/x.mp3)" in converted.markdown
    )
    assert "contact-form" not in converted.markdown and "\\[sic\\]" in converted.markdown
    assert converted.problems == ["unknown shortcode [contact-form-7] was left out"]


def test_text_that_looks_like_markdown_stays_text():
    assert to_markdown("<p># not a heading, 2 * 3 = 6</p>").markdown == (
        "\\# not a heading, 2 \\* 3 = 6\n"
    )


def test_links_and_quotes_with_their_cite():
    html = '<p>See <a href="https://x.example.org/">this</a>.</p><blockquote><p>Be still</p><cite>Psalm 46:10</cite></blockquote>'
    assert to_markdown(html).markdown == (
        "See [this](https://x.example.org/).\n\n> Be still\n>\n> — Psalm 46:10\n"
    )


def test_the_passage_opens_or_closes_a_title():
    assert passage_in_title("EXODUS 33:12-23 The more we commune") == (
        "Exodus 33:12-23",
        "The more we commune",
    )
    assert passage_in_title("Be still - Psalm 46:10") == ("Psalm 46:10", "Be still")
    assert passage_in_title("Why John 3:16 matters so much") is None
    assert passage_in_title("A summer note") is None
    assert passage_in_line("Read: Psalm 23:1-6 (NIV)") == "Psalm 23:1-6"
    assert passage_in_line("We read John 3 and Romans 5 and much else besides today") is None


def test_capitals_restored_only_for_titles_in_capitals():
    assert sentence_case("THE LORD IS MY SHEPHERD, I SHALL NOT WANT") == (
        "The Lord is my shepherd, I shall not want"
    )
    assert sentence_case("Already Fine") == "Already Fine"


def test_attributed_quotations_become_the_formats_quotations():
    from manna.wordpress.infer import quotations

    markdown, notes = quotations(
        "> Fear not\n>\n> — Isaiah 43:1\n\n“Be still.” - Psalm 46:10\n\n"
        "> Just a quote\n\nA thought - with a dash"
    )
    assert markdown == (
        "> Isaiah 43:1 Fear not\n\n> Psalm 46:10 Be still.\n\n> Just a quote\n\n"
        "A thought - with a dash"
    )
    assert notes == [
        "the quotation of Isaiah 43:1 marked as one",
        "the quotation of Psalm 46:10 marked as one",
    ]


def test_sections_only_where_the_writing_makes_them_clear():
    from manna.wordpress.infer import sections

    markdown, _ = sections(
        "**Questions:** Where did you see God today?\n\nLord of all, keep us.\n\nAmen."
    )
    assert markdown == (
        "## Questions\n\nWhere did you see God today?\n\n## Prayer\n\nLord of all, keep us.\n\nAmen."
    )
    assert sections("Lord, what a day it was.\n\nWe rested.")[1] == []  # no Amen: no prayer

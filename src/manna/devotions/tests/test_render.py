import re

import pytest

from manna.devotions.format import parse
from manna.devotions.render import render
from manna.devotions.tests.conftest import devotion_text
from manna.markup import bible_url


@pytest.fixture
def rendered(store):
    def run(body, **meta):
        devotion = parse(devotion_text(body, **meta)).devotion
        return render(devotion, store=store, translation="kjv")

    return run


def links(html):
    return re.findall(r'<a class="ref" href="([^"]+)" data-osis="([^"]+)"[^>]*>([^<]*)<', html)


def test_relative_references_resolve_against_the_passage(rendered):
    result = rendered("See v.2. Read vv. 12-23. Then Isaiah 43:1. Note v. 5.")
    assert links(result.body_html) == [
        ("/bible/kjv/Exod/33/#v2", "Exod.33.2", "v.2"),
        ("/bible/kjv/Exod/33/?mark=12-23#v12", "Exod.33.12-Exod.33.23", "vv. 12-23"),
        ("/bible/kjv/Isa/43/#v1", "Isa.43.1", "Isaiah 43:1"),
        # after another passage is named, "v. 5" is that chapter's verse
        ("/bible/kjv/Isa/43/#v5", "Isa.43.5", "v. 5"),
    ]
    # joined by "and", verses are one reference with two ranges
    assert links(rendered("See v.2 and v.4.").body_html) == [
        ("/bible/kjv/Exod/33/#v2", "Exod.33.2,Exod.33.4", "v.2 and v.4")
    ]


def test_a_verse_quote_sets_the_verse_being_commented_on(rendered):
    result = rendered(
        """
        > 18 And he said, I beseech thee, shew me thy glory.

        Compare John 1:18, and see v.20.

        ## Questions

        Why v.19?
        """
    )
    assert links(result.body_html) == [
        ("/bible/kjv/Exod/33/#v18", "Exod.33.18", "18"),
        ("/bible/kjv/John/1/#v18", "John.1.18", "John 1:18"),
        # John 1:18 is named in passing ("Compare"): v.20 is the quoted verse's chapter's
        ("/bible/kjv/Exod/33/#v20", "Exod.33.20", "v.20"),
        # a new section discusses the devotion's passage again
        ("/bible/kjv/Exod/33/#v19", "Exod.33.19", "v.19"),
    ]
    assert [(q.reference.osis(), q.text, q.line) for q in result.quotes] == [
        ("Exod.33.18", "And he said, I beseech thee, shew me thy glory.", 7)
    ]


def test_a_passage_named_in_passing_is_not_what_later_verses_are_about(rendered):
    result = rendered(
        """
        "Fear not: for I have redeemed thee" (Isaiah 43:1). So in v.17 the LORD answers.

        God names himself (see Exodus 3:14); here too (see v13) he speaks.

        Read Isaiah 43:1, then v. 2.
        """
    )
    assert [osis for _, osis, _ in links(result.body_html)] == [
        "Isa.43.1",
        "Exod.33.17",
        "Exod.3.14",
        "Exod.33.13",
        "Isa.43.1",
        "Isa.43.2",  # named, not in passing: the next verse is its
    ]


def test_partial_verses_and_other_books(rendered):
    result = rendered("In him we are made full (Colossians 2:9-10a; 2 Cor 3:18).")
    assert [osis for _, osis, _ in links(result.body_html)] == ["Col.2.9-Col.2.10", "2Cor.3.18"]
    assert ">Colossians 2:9-10a</span>" in result.body_html  # the preview title keeps the part


def test_each_link_has_a_preview_of_its_text(rendered):
    html = rendered("See v.2.").body_html
    assert (
        '<span class="ref-preview" id="ref-1" role="tooltip"><span class="ref-preview-title">Exodus 33:2</span> '
        "And I will send an angel before thee;"
    ) in html
    assert 'aria-describedby="ref-1"' in html


def test_code_and_link_targets_are_not_linked(rendered):
    html = rendered("Write `John 3:16` or [this](https://example.org/John3:16).").body_html
    assert links(html) == []


def test_sections_are_recognised_by_their_headings(rendered):
    result = rendered("Intro.\n\n## Questions\n\nQ?\n\n## Practice\n\nDo.\n\n## Prayer\n\nAmen.")
    assert result.sections == ["questions", "practice", "prayer"]
    assert '<section class="section section-prayer">\n<h2>Prayer</h2>' in result.body_html


def test_the_passage_is_rendered_with_verse_numbers(rendered):
    html = rendered("x", passage="John 1:18").passage_html
    assert html.startswith(
        '<p class="passage-text"><span class="verse" id="passage-v1-18"><sup class="vn">18</sup>No man hath seen God'
    )


def test_impossible_references_are_problems_with_positions(rendered):
    result = rendered("Line one.\nSee Exodus 41:2 and v. 30, or Hezekiah 3:4.")
    assert [(p.line, p.column, p.message) for p in result.problems] == [
        (8, 5, '"Exodus 41:2": Exodus has 40 chapters'),
        (8, 21, '"v. 30": Exodus 33 has 23 verses'),
        (8, 31, 'unknown book "Hezekiah" in "Hezekiah 3:4" - did you mean Ezekiel?'),
    ]


def test_a_quoted_verse_outside_the_passage_is_a_problem(rendered):
    result = rendered("> 40 Then Moses said")
    assert [(p.line, p.message) for p in result.problems] == [
        (7, "verse 40 is not in the passage Exodus 33:12-23")
    ]


def test_bible_url_matches_the_reader_route():
    from django.urls import reverse

    from manna.scripture import verse_id

    assert (
        bible_url("kjv", verse_id(2, 33, 18))
        == reverse("bible_chapter", args=["kjv", "Exod", 33]) + "#v18"
    )


def test_a_verse_the_translation_lacks_is_not_linked(rendered):
    result = rendered("As Tobit 4:15 says, and as John 3:16 says.")
    assert [osis for _, osis, _ in links(result.body_html)] == ["John.3.16"]
    assert (
        '<span class="ref ref-absent" title="Not in the King James Version">Tobit 4:15</span>'
        in result.body_html
    )


def test_links_and_previews_are_in_the_translations_numbering(store):
    devotion = parse(devotion_text("The doxology of Romans 16:25-27.")).devotion
    html = render(devotion, store=store, translation="web").body_html
    [(href, osis, text)] = links(html)
    assert (href, osis, text) == (
        "/bible/web/Rom/14/?mark=24-26#v24",
        "Rom.16.25-Rom.16.27",
        "Romans 16:25-27",
    )
    assert '<span class="ref-preview-title">Romans 14:24-26</span> Now to him who is able' in html

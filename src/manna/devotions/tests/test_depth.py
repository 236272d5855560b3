"""Graded depth: the fences in the format, the body at each depth, the derived glimpse,
what `manna check` says, and the devotion page, its remembered depth and the feeds."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from manna.cli import main
from manna.devotions.check import check_text
from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

BODY = """
::: glimpse
GLIMPSE-ONE: Moses asks to see (v. 18).
:::

WALK-ONE: the boldest sentence in the chapter.

::: study
STUDY-ONE: kept in Exodus 34:5-7.
:::

WALK-TWO: the cleft of the rock (v. 22).

::: glimpse
## Prayer

GLIMPSE-TWO: show me your glory. Amen.
:::
"""


def render_of(store, body: str, **meta):
    checked = check_text(devotion_text(body, **meta), store=store, default_translation="kjv")
    return checked


def words_in(html: str) -> list[tuple[str, str]]:
    import re

    return re.findall(r"(GLIMPSE|WALK|STUDY)-(ONE|TWO)", html)


def test_each_depth_shows_its_own_and_the_shallower_parts(store):
    rendered = render_of(store, BODY).rendered
    shown = {
        d: ["-".join(w) for w in words_in(rendered.depth_html[d])] for d in rendered.depth_html
    }
    assert shown == {
        "glimpse": ["GLIMPSE-ONE", "GLIMPSE-TWO"],
        "walk": ["GLIMPSE-ONE", "WALK-ONE", "WALK-TWO", "GLIMPSE-TWO"],
        "study": ["GLIMPSE-ONE", "WALK-ONE", "STUDY-ONE", "WALK-TWO", "GLIMPSE-TWO"],
    }
    assert rendered.glimpse_derived is False
    # References inside blocks are linked and relative ones read in the passage.
    assert 'data-osis="Exod.33.18"' in rendered.depth_html["glimpse"]
    assert 'data-osis="Exod.34.5-Exod.34.7"' in rendered.depth_html["study"]
    assert "Exod.34.5" not in rendered.depth_html["walk"]
    # The prayer section is recognised inside a glimpse block, at every depth.
    assert rendered.sections == ["prayer"]
    assert 'class="section section-prayer"' in rendered.depth_html["glimpse"]
    # Each part carries a mark, numbered the same at every depth, to keep the place.
    assert '<span class="depth-mark" id="at-4" data-depth="walk"></span>' in (
        rendered.depth_html["glimpse"] + rendered.depth_html["walk"]
    )
    assert 'id="at-3" data-depth="study"' in rendered.depth_html["study"]
    assert 'id="at-3"' not in rendered.depth_html["walk"]
    assert (
        rendered.depth_words["glimpse"]
        < rendered.depth_words["walk"]
        < rendered.depth_words["study"]
    )


def test_a_walk_block_and_unmarked_text_are_the_same_depth(store):
    rendered = render_of(store, "::: walk\nWALK-ONE\n:::\n\nWALK-TWO").rendered
    assert words_in(rendered.depth_html["walk"]) == [("WALK", "ONE"), ("WALK", "TWO")]
    assert words_in(rendered.depth_html["glimpse"]) == []


def test_without_a_glimpse_one_is_derived_from_theme_key_verse_and_prayer(store):
    body = """
    > 18 And he said, I beseech thee, shew me thy glory.

    WALK-ONE.

    ## Prayer

    GLIMPSE-TWO: Amen.
    """
    checked = render_of(store, body, theme="God shows himself as we can bear it.")
    rendered = checked.rendered
    assert rendered.glimpse_derived is True
    glimpse = rendered.depth_html["glimpse"]
    assert '<p class="glimpse-theme">God shows himself as we can bear it.</p>' in glimpse
    assert (
        '<a href="/bible/kjv/Exod/33/#v18">Exodus 33:18</a> And he said, I beseech thee' in glimpse
    )
    assert "GLIMPSE-TWO" in glimpse and "WALK-ONE" not in glimpse
    notes = [(p.line, p.severity, p.message) for p in checked.problems]
    assert notes == [
        (
            7,
            "note",
            "no glimpse marked: Manna shows the theme, the key verse and the prayer "
            '(mark your own with "::: glimpse" ... ":::")',
        )
    ]


def test_the_key_verse_is_the_passages_first_when_nothing_is_quoted(store):
    glimpse = render_of(store, "Just prose.").rendered.depth_html["glimpse"]
    assert '<a href="/bible/kjv/Exod/33/#v12">Exodus 33:12</a> And Moses said' in glimpse


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        (
            "::: glimse\ntext\n:::",
            7,
            5,
            'unknown depth "glimse" - did you mean glimpse? Use "::: glimpse", "::: walk" or '
            '"::: study", and ":::" to close',
        ),
        (
            "text\n\n:::",
            9,
            1,
            '":::" closes no depth block - open one with "::: glimpse" or "::: study"',
        ),
        (
            "::: study\nsee John 1:1",
            7,
            5,
            'the study block opened here is not closed - add a line ":::"',
        ),
        (
            "::: study\nJohn 1:1\n::: glimpse\nx\n:::",
            9,
            5,
            'depth blocks do not nest: close the study block opened on line 7 with ":::" first',
        ),
    ],
)
def test_bad_depth_markup_is_an_error_with_its_line(store, body, line, column, message):
    problems = [p for p in render_of(store, body).problems if p.severity == "error"]
    assert [(p.line, p.column, p.message) for p in problems] == [(line, column, message)]


def test_check_warns_about_empty_depths_and_a_study_citing_nothing(store):
    problems = render_of(
        store, "::: glimpse\nAll of it.\n:::\n\n::: study\nNo references.\n:::"
    ).problems
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (6, "warning", "the walk adds nothing to the glimpse: unmarked text is the walk"),
        (
            11,
            "warning",
            "this study block cites nothing - a study shows where to read further "
            '("see Isaiah 6:1-8", "compare v. 20")',
        ),
    ]
    problems = render_of(store, "::: glimpse\nG.\n:::\n\nW.").problems
    assert [p.message for p in problems] == [
        'the study adds nothing to the walk: add a "::: study" block for readers who want '
        "the longer look"
    ]


def test_manna_check_prints_each_depths_words_and_minutes(store, write_devotion):
    path = write_devotion("a.md", BODY)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    words = render_of(store, BODY).rendered.depth_words
    assert result.stdout == (
        f"{path}: depths: glimpse {words['glimpse']} words (1 min), walk {words['walk']} words "
        f"(1 min), study {words['study']} words (1 min)\n"
    )


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def page(site_store, db):
    result = devotion_save_text(
        text=devotion_text(BODY, date="2025-01-06", slug="glory"), store=site_store
    )
    assert result.devotion is not None
    return "/devotions/glory/"


def test_the_page_at_each_depth(client, page):
    for depth, present, absent in (
        ("glimpse", ["GLIMPSE-ONE", "GLIMPSE-TWO"], ["WALK-ONE", "STUDY-ONE"]),
        ("walk", ["GLIMPSE-ONE", "WALK-ONE", "WALK-TWO"], ["STUDY-ONE"]),
        ("study", ["GLIMPSE-ONE", "WALK-ONE", "STUDY-ONE", "GLIMPSE-TWO"], []),
    ):
        html = client.get(page, {"depth": depth}).content.decode()
        assert all(word in html for word in present), depth
        assert not any(word in html for word in absent), depth
        assert f'data-depth="{depth}" aria-current="true"' in html


def test_the_control_shows_each_depths_reading_time_and_works_without_script(client, page):
    html = client.get(page).content.decode()
    for depth, label in (("glimpse", "Glimpse"), ("walk", "Walk"), ("study", "Study")):
        assert f'<a href="?depth={depth}" class="depth-link" data-depth="{depth}"' in html
        assert f'{label} <span class="depth-minutes">1 min</span>' in html


def test_an_unknown_depth_falls_back_quietly(client, page):
    response = client.get(page, {"depth": "deepest"})
    assert response.status_code == 200
    assert 'data-depth="walk" aria-current="true"' in response.content.decode()
    assert "manna_depth" not in response.cookies


def test_a_visitors_depth_is_remembered_in_a_cookie(client, page):
    response = client.get(page, {"depth": "study"})
    assert response.cookies["manna_depth"].value == "study"
    html = client.get(page).content.decode()  # no parameter: the cookie decides
    assert "STUDY-ONE" in html and 'data-depth="study" aria-current="true"' in html
    client.cookies["manna_depth"] = "nonsense"
    assert 'data-depth="walk" aria-current="true"' in client.get(page).content.decode()


def test_a_readers_depth_is_remembered_on_the_account(client, page, django_user_model):
    from manna.accounts.models import Profile
    from manna.accounts.services import account_create

    user = account_create(
        email="ruth@example.org", password="a long passphrase", display_name="Ruth"
    )
    client.force_login(user)
    html = client.get(page, {"depth": "glimpse"}).content.decode()
    # A GET shows the depth and offers to keep it; it never writes to the account (a
    # link or a picture on another site could send one).
    assert "WALK-ONE" not in html and "Keep glimpse as my depth" in html
    assert Profile.objects.get(user=user).depth == "walk"
    response = client.post("/practice/depth/", {"depth": "glimpse", "next": page})
    assert (response.status_code, response["Location"]) == (303, f"{page}?depth=glimpse")
    assert Profile.objects.get(user=user).depth == "glimpse"
    html = client.get(page).content.decode()
    assert "WALK-ONE" not in html and 'data-depth="glimpse" aria-current="true"' in html
    assert "Keep glimpse as my depth" not in html
    answer = client.post("/practice/depth/", {"depth": "deep"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json() == {
        "error": "Choose glimpse, walk or study."
    }
    assert client.post(
        "/practice/depth/", {"depth": "study"}, HTTP_ACCEPT="application/json"
    ).json() == {"depth": "study"}


def test_the_page_cache_keeps_depths_apart(client, page, settings):
    settings.MANNA_PAGE_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    assert "STUDY-ONE" not in client.get(page).content.decode()
    client.cookies["manna_depth"] = "study"
    assert "STUDY-ONE" in client.get(page).content.decode()
    cache.clear()


def test_feeds_take_a_depth(client, page):
    plain = client.get("/feeds/rss.xml").content.decode()
    assert "&lt;p&gt;" not in plain  # without a depth: the summary (here the plain text)
    glimpse = client.get("/feeds/rss.xml", {"depth": "glimpse"}).content.decode()
    assert "GLIMPSE-ONE" in glimpse and "WALK-ONE" not in glimpse
    study = client.get("/feeds/atom.xml", {"depth": "study"}).content.decode()
    assert "STUDY-ONE" in study

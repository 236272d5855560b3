import datetime as dt

import pytest

from manna.devotions.format import parse, slugify
from manna.devotions.tests.conftest import devotion_text


def messages(text):
    return [(p.line, p.column, p.severity, p.message) for p in parse(text).problems]


def test_a_complete_front_matter_is_read():
    text = devotion_text(
        "Hello.",
        slug="glory",
        theme="God shows himself.",
        translation="web",
        tags="[glory, presence]",
        series="Seeing God",
        author="Manna",
        summary="Moses asks.",
        status="draft",
    )
    parsed = parse(text)
    assert parsed.problems == []
    d = parsed.devotion
    assert (d.title, d.slug, d.date, d.passage.osis()) == (
        "Show Me Your Glory",
        "glory",
        dt.date(2026, 11, 24),
        "Exod.33.12-Exod.33.23",
    )
    assert (d.translation, d.tags, d.series, d.status, d.body, d.body_line) == (
        "web",
        ["glory", "presence"],
        "Seeing God",
        "draft",
        "\nHello.",
        14,  # the line after the closing "---"
    )


def test_the_slug_defaults_to_the_title():
    assert parse(devotion_text()).devotion.slug == "show-me-your-glory"
    assert slugify("God's Way: Day 1") == "gods-way-day-1"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "no front matter",
            [(1, 1, "error", 'missing front matter - start the file with a line "---"')],
        ),
        (
            "---\ntitle: x\n",
            [(1, 1, "error", 'front matter is not closed - add a line "---" after it')],
        ),
        (
            "---\ntitle: a: b\n---\n",
            [
                (
                    2,
                    9,
                    "error",
                    "front matter is not valid YAML: mapping values are not allowed here",
                )
            ],
        ),
        (
            "---\n- a\n---\n",
            [(2, 1, "error", "front matter must be `key: value` lines (title, passage, date)")],
        ),
    ],
)
def test_malformed_front_matter(text, expected):
    assert messages(text) == expected


def test_every_key_problem_is_reported_with_its_line():
    text = "---\ntitle: T\npassage: Exodus 41:1\ndate: 2026-13-01\nslug: Bad Slug\ncolour: red\nstatus: live\n---\n"
    assert messages(text) == [
        (3, 1, "error", 'passage "Exodus 41:1": Exodus has 40 chapters'),
        (
            4,
            1,
            "error",
            'date "2026-13-01" is not a date - write it as YYYY-MM-DD, e.g. 2026-11-24',
        ),
        (
            5,
            1,
            "error",
            'slug "Bad Slug" must be lower-case words joined by hyphens, e.g. show-me-your-glory',
        ),
        (
            6,
            1,
            "error",
            'unknown key "colour" - known keys: title, passage, date, slug, theme, translation, tags, series, author, summary, status, slot',
        ),
        (7, 1, "error", 'status "live" must be draft or published'),
    ]


def test_missing_required_keys():
    assert messages("---\ntheme: x\n---\n") == [
        (1, 1, "error", 'missing "title" - add a line like `title: Show Me Your Glory`'),
        (1, 1, "error", 'missing "passage" - add a line like `passage: Exodus 33:12-23`'),
        (1, 1, "error", 'missing "date" - add a line like `date: 2026-11-24`'),
    ]


def test_unknown_book_in_the_passage_suggests_one():
    problems = messages(devotion_text(passage="Exdous 33:12"))
    assert problems == [
        (3, 1, "error", 'passage "Exdous 33:12": unknown book "Exdous" - did you mean Exodus?')
    ]


BOMB = """---
title: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
passage: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
date: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
theme: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
summary: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
author: [*e,*e,*e,*e,*e,*e,*e,*e,*e]
---
"""


def test_anchors_and_aliases_are_refused_before_anything_expands():
    assert messages(BOMB) == [
        (
            2,
            8,
            "error",
            "front matter is not valid YAML: anchors and aliases (&name, *name) are not "
            "allowed in front matter - write each value out",
        )
    ]
    assert messages(devotion_text(theme="*x")) == [
        (
            5,
            8,
            "error",
            "front matter is not valid YAML: anchors and aliases (&name, *name) are not "
            "allowed in front matter - write each value out",
        )
    ]


def test_a_key_given_twice_is_refused_where_it_repeats():
    text = "---\ntitle: A\npassage: John 3:16\ntitle: B\ndate: 2026-11-24\n---\n"
    assert messages(text) == [
        (4, 1, "error", 'front matter is not valid YAML: "title" is given twice - keep one of them')
    ]


def test_every_length_the_database_holds_is_checked():
    text = devotion_text(
        title="T" * 201,
        theme="t" * 301,
        author="a" * 121,
        series="s" * 201,
        slug="s" * 81,
        tags="[" + "g" * 81 + "]",
    )
    assert [m[3] for m in messages(text)] == [
        "title is 201 characters long; it may have 200",
        "theme is 301 characters long; it may have 300",
        "author is 121 characters long; it may have 120",
        "series is 201 characters long; it may have 200",
        "slug is 81 characters long; it may have 80",
        f'the tag "{"g" * 57}..." is longer than 80 characters',
    ]


def test_messages_never_repeat_more_than_a_line_of_a_value():
    problems = messages(devotion_text(status="x" * 10_000, date="y" * 10_000))
    assert all(len(p[3]) < 160 for p in problems)
    assert problems[1][3] == f'status "{"x" * 57}..." must be draft or published'


def test_a_nul_character_is_refused_with_its_place():
    assert messages(devotion_text("Body\x00.")) == [
        (7, 5, "error", "the file holds a NUL character (\\0), which is not text - remove it")
    ]


def test_front_matter_keys_are_set_and_the_rest_kept():
    from manna.devotions.format import with_front_matter

    text = "---\ntitle: A\ndate: 2026-11-24\n# a comment\n---\n\nBody: with a colon.\n"
    assert with_front_matter(text, date="2026-12-10", status="draft") == (
        "---\ntitle: A\ndate: 2026-12-10\n# a comment\nstatus: draft\n---\n\nBody: with a colon.\n"
    )
    assert with_front_matter("no front matter", status="draft") == "no front matter"

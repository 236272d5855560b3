"""Reading plans: balanced by verses, chapters whole, every verse read once, in order."""

from __future__ import annotations

from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manna.practice.plans import (
    BUILT_IN,
    Chunk,
    PlanError,
    book_plan,
    built_in_plan,
    chunks_of,
    plan_from_file,
    plan_over,
    spread,
)
from manna.scripture import canon, parse_reference, versification

ENGLISH = versification("english")


def largest_shared_day(groups: list[list[Chunk]]) -> int:
    """The most verses on a day of two or more chapters (a long chapter alone is exempt)."""
    return max((sum(c.verses for c in g) for g in groups if len(g) > 1), default=0)


@pytest.mark.parametrize("key", BUILT_IN)
def test_every_built_in_plan_is_balanced_within_a_quarter_of_the_mean(key):
    plan = built_in_plan(key)
    mean = sum(plan.verses) / len(plan.verses)
    assert len(plan.days) == BUILT_IN[key][2]
    for day, verses, label in zip(plan.days, plan.verses, plan.labels, strict=True):
        single_chapter = len(chunks_of(day, ENGLISH)) == 1
        assert verses <= 1.25 * mean or single_chapter, (label, verses, mean)


def test_the_whole_bible_in_a_year_reads_every_verse_once_in_order():
    plan = built_in_plan("bible-year")
    protestant = [b for b in canon().books if b.testament in ("OT", "NT")]
    assert sum(plan.verses) == sum(
        ENGLISH.verse_count(b, c)
        for b in protestant
        for c in range(1, ENGLISH.chapter_count(b) + 1)
    )
    ranges = [r for day in plan.days for r in day.ranges]
    assert all(a.end < b.start for a, b in pairwise(ranges))
    assert plan.labels[:2] == ("Genesis 1-3", "Genesis 4-6")
    assert plan.labels[-1] == "Revelation 19-22"
    assert "Psalm 119" in plan.labels  # 176 verses: a day of its own


def test_book_plans_name_what_is_wrong():
    assert book_plan("Ruth", 2).labels == ("Ruth 1-2", "Ruth 3-4")
    with pytest.raises(PlanError, match="4 chapters cannot fill 5 days"):
        book_plan("Ruth", 5)
    with pytest.raises(PlanError, match='unknown book "Exodis" - did you mean Exodus'):
        book_plan("Exodis", 10)
    with pytest.raises(PlanError, match="at least one day"):
        book_plan("Ruth", 0)


def test_custom_ranges_keep_partial_chapters():
    plan = plan_over("Custom", "John 3:16-4:10", 2)
    assert plan.labels == ("John 3:16-36", "John 4:1-10")
    assert plan.verses == (21, 10)
    across = plan_over("Custom", "Ruth 4-1 Samuel 2", 1)
    assert across.labels == ("Ruth 4; 1 Samuel 1-2",)


def best_shared_day(weights: list[int], days: int) -> int:
    """By brute force: the smallest possible `largest_shared_day` over every split."""
    best = None
    n = len(weights)
    for cuts in combinations(range(1, n), days - 1):
        bounds = [0, *cuts, n]
        shared = [sum(weights[a:b]) for a, b in pairwise(bounds) if b - a > 1]
        worst = max(shared, default=0)
        best = worst if best is None else min(best, worst)
    return best or 0


def chunks(weights: list[int]) -> list[Chunk]:
    psalms = canon().by_osis["Ps"]
    return [Chunk(psalms, n + 1, 1, w) for n, w in enumerate(weights)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 120), min_size=1, max_size=11), st.data())
def test_spread_is_as_balanced_as_any_split_and_keeps_everything_in_order(weights, data):
    days = data.draw(st.integers(1, len(weights)))
    groups = spread(chunks(weights), days)
    assert len(groups) == days and all(groups)
    assert [c.verses for g in groups for c in g] == weights  # every chapter once, in order
    assert largest_shared_day(groups) == best_shared_day(weights, days)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["Genesis", "Psalms", "Mark", "Romans", "Isaiah 40-66", "John 1:19-12:50"]),
    st.integers(1, 30),
)
def test_custom_plans_cover_exactly_their_reading(reading, days):
    reference = parse_reference(reading)
    whole = chunks_of(reference, ENGLISH)
    if days > len(whole):
        with pytest.raises(PlanError):
            plan_over("p", reference, days)
        return
    plan = plan_over("p", reference, days)
    assert sum(plan.verses) == sum(c.verses for c in whole)
    assert [c for day in plan.days for c in chunks_of(day, ENGLISH)] == whole


def test_a_plan_file_in_csv_or_json():
    csv_plan = plan_from_file("Mine", "day,reading\n1,John 1\n2,John 2:1-11\n", json_format=False)
    assert csv_plan.labels == ("John 1", "John 2:1-11")
    assert csv_plan.verses == (51, 11)
    json_plan = plan_from_file(
        "Mine", '["Psalm 1", {"day": 2, "reading": "Psalm 2"}]', json_format=True
    )
    assert json_plan.labels == ("Psalm 1", "Psalm 2")


@pytest.mark.parametrize(
    ("text", "json_format", "message"),
    [
        ("1,John 1\n3,John 2\n", False, "line 2: day 3 where day 2 was expected"),
        (
            "1,John 1\n2,Exodis 2\n",
            False,
            'line 2: "Exodis 2": unknown book "Exodis" - did you mean Exodus?',
        ),
        ("1,John 1\n2,John 22\n", False, 'line 2: "John 22": John has 21 chapters'),
        ("1;John 1\n", False, "line 1: expected two fields, day and reading (found 1)"),
        ("one,John 1\n", False, 'line 1: the day "one" is not a number'),
        ("1\u00b2,John 1\n", False, 'line 1: the day "1\u00b2" is not a number'),
        ("9" * 400 + ",John 1\n", False, f'line 1: the day "{"9" * 37}..." is not a number'),
        ('[{"day": true, "reading": "John 1"}]', True, "item 1: the day True is not a number"),
        (
            "1," + "; ".join(f"Ps {n}:1" for n in range(1, 60)) + "\n",
            False,
            "line 1: the reading is 520 characters; a day's reading has at most 200",
        ),
        (
            '1,"Ps 119:' + ",".join(f"{3 * k + 1}-{3 * k + 2}" for k in range(33)) + '"\n',
            False,
            'day 1\'s reading ("Psalm 119:1-2, 4-5, 7-8, 10-11, 13-14...") names too many',
        ),
        ("", False, "the file has no readings"),
        ('["John 1",\n  oops]', True, "line 2: not valid JSON"),
        ('{"day": 1}', True, "the JSON must be a list"),
        ("[1]", True, "item 1: expected a reading"),
    ],
)
def test_a_malformed_plan_file_is_refused_with_the_line_and_the_reason(text, json_format, message):
    with pytest.raises(PlanError) as caught:
        plan_from_file("Bad", text, json_format=json_format)
    assert str(caught.value).startswith(message)

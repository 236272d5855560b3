import pytest
from hypothesis import given
from hypothesis import strategies as st

from manna.scripture import (
    InvalidReferenceError,
    Reference,
    VerseRange,
    books,
    parse_osis,
    parse_reference,
    verse_id,
    versification,
)

KJV_BOOKS = [b for b in books() if versification("kjv").has_book(b)]


def test_verse_ids_sort_in_canon_order():
    assert verse_id(2, 33, 12) == 2_033_012
    assert verse_id(1, 50, 26) < verse_id(2, 1, 1)


def test_values_are_frozen_and_hashable():
    a = parse_reference("John 3:16")
    b = parse_reference("Jn 3:16")
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1
    with pytest.raises(AttributeError):
        a.ranges = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, osis, human",
    [
        ("Colossians 2:9-10a", "Col.2.9-Col.2.10", "Colossians 2:9-10a"),
        ("Exodus 33:12-23", "Exod.33.12-Exod.33.23", "Exodus 33:12-23"),
        ("John 3:16, 18; 4:1-5", "John.3.16,John.3.18,John.4.1-John.4.5", "John 3:16, 18; 4:1-5"),
        ("Psalm 23", "Ps.23", "Psalm 23"),
        ("Ps 1-2", "Ps.1-Ps.2", "Psalms 1-2"),
        ("Jude 3", "Jude.1.3", "Jude 3"),
        ("John 3:16-4:2", "John.3.16-John.4.2", "John 3:16-4:2"),
        ("Genesis 50:26-Exodus 1:3", "Gen.50.26-Exod.1.3", "Genesis 50:26-Exodus 1:3"),
        ("Ruth", "Ruth.1-Ruth.4", "Ruth"),
        ("Obadiah; Jonah", "Obad.1,Jonah.1-Jonah.4", "Obadiah; Jonah"),
        # a single-chapter book in a run of chapters is named alone ("Philemon 1" is a verse)
        ("Philemon-Hebrews 13", "Phlm.1-Heb.13", "Philemon-Hebrews 13"),
        ("Colossians 4-Philemon", "Col.4-Phlm.1", "Colossians 4-Philemon"),
    ],
)
def test_osis_and_human_output(text, osis, human):
    ref = parse_reference(text)
    assert ref.osis() == osis
    assert ref.human() == human


def test_partial_verse_is_kept():
    r = parse_reference("Colossians 2:9-10a").ranges[0]
    assert (r.start_part, r.end_part) == ("", "a")


def test_parse_osis_round_trip():
    ref = parse_osis("Col.2.9-Col.2.10,Rom.1,Jude")
    assert ref.osis() == "Col.2.9-Col.2.10,Rom.1,Jude.1"
    assert len(ref.verse_set()) == 2 + 32 + 25


def test_ranges_must_run_forwards():
    with pytest.raises(InvalidReferenceError, match="comes after"):
        VerseRange(verse_id(1, 2, 1), verse_id(1, 1, 1))
    with pytest.raises(InvalidReferenceError, match="at least one verse"):
        Reference(())


@st.composite
def verse_ranges(draw):
    v11n = versification("kjv")
    b = draw(st.sampled_from(KJV_BOOKS))
    chapters = v11n.chapter_count(b)
    c1 = draw(st.integers(1, chapters))
    v1 = draw(st.integers(1, v11n.verse_count(b, c1)))
    c2 = draw(st.integers(c1, min(chapters, c1 + 2)))
    low = v1 if c2 == c1 else 1
    v2 = draw(st.integers(low, v11n.verse_count(b, c2)))
    return VerseRange(verse_id(b.number, c1, v1), verse_id(b.number, c2, v2))


@st.composite
def whole_books(draw):
    """A whole book, or a run of whole books ("Genesis 1-Deuteronomy 34")."""
    v11n = versification("kjv")
    first = draw(st.integers(0, len(KJV_BOOKS) - 1))
    last = KJV_BOOKS[draw(st.integers(first, min(first + 5, len(KJV_BOOKS) - 1)))]
    end = v11n.chapter_count(last)
    return VerseRange(
        verse_id(KJV_BOOKS[first].number, 1, 1),
        verse_id(last.number, end, v11n.verse_count(last, end)),
        whole_chapters=True,
    )


@given(st.lists(verse_ranges(), min_size=1, max_size=4))
def test_human_output_parses_back_to_the_same_reference(ranges):
    ref = Reference(tuple(ranges))
    assert parse_reference(ref.human(), options=_kjv()) == ref


@given(st.lists(st.one_of(verse_ranges(), whole_books()), min_size=1, max_size=4))
def test_whole_books_among_verses_parse_back_to_the_same_verses(ranges):
    ref = Reference(tuple(ranges))
    assert parse_reference(ref.human(), options=_kjv()).verse_set() == ref.verse_set()
    ref = Reference(tuple(ranges))
    assert parse_reference(ref.human(), options=_kjv()) == ref


@given(st.lists(verse_ranges(), min_size=1, max_size=4))
def test_osis_output_parses_back_to_the_same_verses(ranges):
    ref = Reference(tuple(ranges))
    assert parse_osis(ref.osis()).verse_set() == ref.verse_set()


def _kjv():
    from manna.scripture import ParseOptions

    return ParseOptions(versification="kjv")

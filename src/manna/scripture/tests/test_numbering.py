"""The numberings mapped to one another (data/numbering.toml), checked against the counts."""

import pytest

from manna.scripture import parse_reference
from manna.scripture.canon import available_versifications, canon, versification
from manna.scripture.numbering import PIVOT, convert, convert_reference, numbering
from manna.scripture.reference import split_id, verse_id


def vid(osis: str, chapter: int, verse: int) -> int:
    return verse_id(canon().book(osis).number, chapter, verse)


def named(ids: tuple[int, ...]) -> list[str]:
    out = []
    for i in ids:
        b, c, v = split_id(i)
        out.append(f"{canon().by_number[b].osis} {c}:{v}")
    return out


def every_verse(system: str):
    v11n = versification(system)
    for book in canon().books:
        for chapter in range(1, v11n.chapter_count(book) + 1):
            first = 0 if v11n.has_title(book, chapter) else 1
            for verse in range(first, v11n.verse_count(book, chapter) + 1):
                yield book, verse_id(book.number, chapter, verse)


@pytest.mark.parametrize("system", available_versifications())
def test_every_verse_lands_on_verses_that_exist_and_comes_back(system):
    n = numbering(system)
    pivot = versification(PIVOT)
    own = versification(system)
    for book, v in every_verse(system):
        for p in n.to_pivot(v):
            _, c, verse = split_id(p)
            assert pivot.has_verse(
                book if p // 1_000_000 == book.number else canon().by_number[p // 1_000_000],
                c,
                verse,
            ), named((v, p))
            assert v in n.from_pivot(p), named((v, p))
    for _, p in every_verse(PIVOT):
        for s in n.from_pivot(p):
            b, c, verse = split_id(s)
            assert own.has_verse(canon().by_number[b], c, verse), named((p, s))
            assert p in n.to_pivot(s), named((p, s))


@pytest.mark.parametrize("system", ["kjv", "nrsva", "mt"])
def test_lined_up_systems_leave_no_chapter_unaligned(system):
    assert numbering(system).unaligned == frozenset()


@pytest.mark.parametrize(
    ("source", "verse", "target", "expected"),
    [
        # Malachi 3:19-24 in Hebrew numbering is the KJV's 4:1-6.
        ("mt", ("Mal", 3, 19), "kjv", ["Mal 4:1"]),
        ("mt", ("Mal", 3, 24), "kjv", ["Mal 4:6"]),
        ("kjv", ("Mal", 4, 6), "mt", ["Mal 3:24"]),
        # Joel 2:28-3:21 is Hebrew 3:1-4:21.
        ("kjv", ("Joel", 2, 28), "mt", ["Joel 3:1"]),
        ("mt", ("Joel", 3, 1), "kjv", ["Joel 2:28"]),
        ("mt", ("Joel", 4, 21), "kjv", ["Joel 3:21"]),
        # Psalm titles are verses in Hebrew: 51's title is 1-2, its verse 1 is 3.
        ("mt", ("Ps", 51, 3), "kjv", ["Ps 51:1"]),
        ("kjv", ("Ps", 51, 0), "mt", ["Ps 51:1", "Ps 51:2"]),
        ("kjv", ("Ps", 3, 0), "mt", ["Ps 3:1"]),
        ("kjv", ("Ps", 3, 8), "mt", ["Ps 3:9"]),
        # A short title is the first words of Hebrew verse 1.
        ("mt", ("Ps", 23, 1), "kjv", ["Ps 23:0", "Ps 23:1"]),
        ("mt", ("Ps", 13, 6), "kjv", ["Ps 13:5", "Ps 13:6"]),
        # The Greek and Latin psalms: 22 is the Hebrew 23, 9 holds 9 and 10, 116 is 114-115.
        ("vulg", ("Ps", 22, 1), "kjv", ["Ps 23:0", "Ps 23:1"]),
        ("kjv", ("Ps", 10, 1), "vulg", ["Ps 9:22"]),
        ("kjv", ("Ps", 116, 10), "vulg", ["Ps 115:1"]),
        ("kjv", ("Ps", 147, 12), "vulg", ["Ps 147:1"]),
        ("vulg", ("Ps", 146, 1), "mt", ["Ps 147:1"]),
        # The NRSV divides the KJV's 3 John 14 in two, and ends Revelation 12 with 13:1a.
        ("kjv", ("3John", 1, 14), "nrsva", ["3John 1:14", "3John 1:15"]),
        ("nrsva", ("3John", 1, 15), "kjv", ["3John 1:14"]),
        ("nrsva", ("Rev", 12, 18), "kjv", ["Rev 13:1"]),
        # Nehemiah 4:1-6 is Hebrew 3:33-38; the KJV's 7:68 is not in the Hebrew.
        ("kjv", ("Neh", 4, 1), "mt", ["Neh 3:33"]),
        ("kjv", ("Neh", 4, 7), "mt", ["Neh 4:1"]),
        ("kjv", ("Neh", 7, 68), "mt", []),
        ("kjv", ("Neh", 7, 69), "mt", ["Neh 7:68"]),
        # Daniel 3 in the Vulgate holds the Greek additions; the KJV's 3:24 is its 3:91.
        ("kjv", ("Dan", 3, 24), "vulg", ["Dan 3:91"]),
        ("kjv", ("Dan", 4, 1), "vulg", ["Dan 3:98"]),
        ("vulg", ("Dan", 14, 1), "english", ["Bel 1:1"]),
        ("vulg", ("Dan", 3, 50), "english", []),  # not lined up verse by verse
        # Romans 16:25-27 stands where it stands in both.
        ("kjv", ("Rom", 16, 25), "vulg", ["Rom 16:25"]),
        # The deuterocanon: the KJV's Apocrypha lacks 2 Esdras 7:36-105.
        ("english", ("2Esd", 7, 106), "kjva", ["2Esd 7:36"]),
        ("english", ("2Esd", 7, 36), "kjva", []),
        ("kjva", ("PrMan", 1, 1), "nrsva", [f"PrMan 1:{v}" for v in range(1, 16)]),
        # A book the other numbering lacks has no counterpart.
        ("kjv", ("John", 3, 16), "mt", []),
    ],
)
def test_a_verse_in_another_numbering(source, verse, target, expected):
    assert named(convert(vid(*verse), source, target)) == expected


def test_whole_chapters_convert_with_their_title():
    psalm = parse_reference("Psalm 51")
    hebrew = convert_reference(psalm, "kjv", "mt")
    assert hebrew is not None and hebrew.osis() == "Ps.51"
    assert named((hebrew.ranges[0].start, hebrew.ranges[0].end)) == ["Ps 51:1", "Ps 51:21"]
    back = convert_reference(
        parse_reference(
            "Joel 3:1-5",
        ),
        "kjv",
        "mt",
    )
    assert back is not None and back.osis() == "Joel.4.1-Joel.4.5"
    across = convert_reference(parse_reference("Joel 2:30-3:2"), "kjv", "mt")
    assert across is not None and across.osis() == "Joel.3.3-Joel.4.2"


def test_a_reference_with_no_counterpart_converts_to_none():
    assert convert_reference(parse_reference("John 3:16"), "kjv", "mt") is None


@pytest.mark.parametrize(
    ("system", "lacking"),
    [
        ("mt", ["Neh 7:68"]),  # every other verse of the English Old Testament is in the Hebrew
        ("kjv", []),
        ("nrsva", []),
    ],
)
def test_every_verse_of_a_lined_up_system_has_a_counterpart(system, lacking):
    n = numbering(system)
    own = versification(system)
    assert [named((v,)) for _, v in every_verse(system) if not n.to_pivot(v)] == []
    missing = [
        named((p,))[0]
        for book, p in every_verse(PIVOT)
        if own.has_book(book) and not n.from_pivot(p)
    ]
    assert missing == lacking

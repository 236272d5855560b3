import pytest

from manna.scripture import book, books, versification
from manna.scripture.canon import available_versifications, canon, name_key
from manna.scripture.errors import InvalidReferenceError, UnknownBookError


def test_canon_has_the_66_books_and_the_deuterocanon():
    osis = [b.osis for b in books()]
    assert osis[:3] == ["Gen", "Exod", "Lev"]
    assert osis[65] == "Rev"
    for dc in [
        "Tob",
        "Jdt",
        "Wis",
        "Sir",
        "Bar",
        "1Macc",
        "2Macc",
        "EsthGr",
        "PrAzar",
        "Sus",
        "Bel",
    ]:
        assert book(dc).testament == "DC"
    assert [b.number for b in books()] == list(range(1, len(books()) + 1))


@pytest.mark.parametrize(
    "written, osis",
    [
        ("Ex", "Exod"),
        ("Exod.", "Exod"),
        ("Jn", "John"),
        ("1 Jn", "1John"),
        ("I John", "1John"),
        ("First John", "1John"),
        ("1st John", "1John"),
        ("1John", "1John"),
        ("III John", "3John"),
        ("Song of Songs", "Song"),
        ("Song of Solomon", "Song"),
        ("Canticles", "Song"),
        ("Ps", "Ps"),
        ("Pss", "Ps"),
        ("Psalm", "Ps"),
        ("Psalms", "Ps"),
        ("Phlm", "Phlm"),
        ("2 Cor", "2Cor"),
        ("II Corinthians", "2Cor"),
        ("Ecclesiasticus", "Sir"),
        ("Qoh", "Eccl"),
        ("Bel & the Dragon", "Bel"),
        ("1 Macc", "1Macc"),
        ("Second Kings", "2Kgs"),
    ],
)
def test_common_ways_of_writing_a_book(written, osis):
    assert book(written).osis == osis


def test_misspellings_are_known_but_not_names():
    assert canon().loose_names[name_key("Exodis")].osis == "Exod"
    assert name_key("Exodis") not in canon().names


def test_unknown_book_suggests_the_closest_name():
    with pytest.raises(
        UnknownBookError, match=r'unknown book "Phillipeans" - did you mean Philippians\?'
    ):
        book("Phillipeans")


def test_versification_counts():
    kjv = versification("kjv")
    assert kjv.chapter_count(book("Exod")) == 40
    assert kjv.verse_count(book("Exod"), 33) == 23
    assert kjv.total_verses() == 31102
    assert not kjv.has_book(book("Tob"))
    assert versification("english").chapter_count(book("Tob")) == 14
    assert versification("nrsva").has_book(book("3Macc"))
    assert {"kjv", "kjva", "nrsva", "english"} <= set(available_versifications())


@pytest.mark.parametrize(
    "args, message",
    [
        (("Exod", 41), "Exodus has 40 chapters"),
        (("Exod", 33, 30), "Exodus 33 has 23 verses"),
        (("Obad", 2), "Obadiah has 1 chapter"),
    ],
)
def test_check_messages(args, message):
    b = book(args[0])
    with pytest.raises(InvalidReferenceError, match=f"^{message}$"):
        versification("kjv").check(b, *args[1:])


def test_unknown_versification_names_the_known_ones():
    with pytest.raises(InvalidReferenceError, match=r'unknown versification "lxx2" \(known: .*kjv'):
        versification("lxx2")


def test_shared_abbreviations_list_their_books_likeliest_first():
    shared = canon().shared
    assert [b.osis for b in shared["ma"]] == ["Matt", "Mark", "Mal"]
    assert [b.osis for b in shared["hb"]] == ["Heb", "Hab"]
    assert all(key not in canon().names for key in shared)


def test_a_shared_abbreviation_may_not_also_be_a_name():
    from manna.scripture.canon import _shared

    matt = book("Matt")
    with pytest.raises(ValueError, match=r"shared abbreviations also listed as names: \['mt'\]"):
        _shared({"Mt": ["Matt", "Mark"]}, canon().by_osis, {"mt": matt})

"""Translations in different numberings side by side, on a Bible the test numbers as the
Hebrew text does (psalm titles as verses, Joel in four chapters, Malachi in three)."""

import json

import pytest
from click.testing import CliRunner

from manna.scripture import (
    line_up,
    parse_in,
    parse_osis,
    parse_reference,
    passages_in_each,
    versification,
)
from manna.scripture.importers import import_osis, import_packaged
from manna.scripture.store import Store

# Hebrew-numbered verses, each saying where it is, and the KJV verse that holds its words.
HEBREW = {
    "Joel.3.1": "Joel 2:28",
    "Joel.3.2": "Joel 2:29",
    "Joel.4.1": "Joel 3:1",
    "Mal.3.18": "Mal 3:18",
    "Mal.3.19": "Mal 4:1",
    "Mal.3.24": "Mal 4:6",
    "Ps.51.1": "Ps 51 title",
    "Ps.51.2": "Ps 51 title",
    "Ps.51.3": "Ps 51:1",
    "Ps.23.1": "Ps 23 title, 1",
    "Neh.3.33": "Neh 4:1",
    "Neh.7.68": "Neh 7:69",
}


def hebrew_osis() -> str:
    verses = "".join(f'<verse osisID="{osis}">Hebrew {osis}</verse>' for osis in HEBREW)
    return (
        '<?xml version="1.0"?><osis xmlns="http://www.bibletechnologies.net/2003/OSIS/namespace">'
        f"<osisText><div type='book'>{verses}</div></osisText></osis>"
    )


@pytest.fixture(scope="module")
def numbered_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("numbering")
    (folder / "heb.xml").write_text(hebrew_osis())
    store = Store(folder / "scripture.sqlite3", create=True)
    import_packaged(store, "kjv")
    import_osis(
        store, folder / "heb.xml", code="heb", name="Hebrew-numbered", versification_name="mt"
    )
    yield store, folder
    store.close()


@pytest.fixture
def store(numbered_store, monkeypatch):
    store, folder = numbered_store
    monkeypatch.setenv("MANNA_DATA_DIR", str(folder))
    return store


def test_a_reference_is_read_in_the_translations_own_numbering(store):
    assert parse_in("Joel 4:1", "heb").osis() == "Joel.4.1"  # Joel has four chapters there
    assert parse_in("Ps 51 title", "heb").osis() == "Ps.51.1"  # the title is verse 1 there
    assert parse_in("Ps 51 title", "kjv").osis() == "Ps.51.0"
    with pytest.raises(Exception, match="Joel has 3 chapters"):
        parse_in("Joel 4:1", "kjv")


@pytest.mark.parametrize(
    "written, hebrew", [(kjv, heb) for heb, kjv in HEBREW.items() if "title" not in kjv]
)
def test_kjv_verses_beside_their_hebrew_numbered_words(store, written, hebrew):
    ref = parse_reference(written)
    kjv, heb = passages_in_each(store, ref, "kjv", ["kjv", "heb"])
    assert heb.reference.osis() == hebrew
    [line] = line_up(kjv, [heb])
    assert [v.text for v in line.beside[0]] == [f"Hebrew {hebrew}"]


@pytest.mark.parametrize("hebrew, written", list(HEBREW.items()))
def test_hebrew_numbered_verses_beside_their_kjv_words(store, hebrew, written):
    ref = parse_osis(hebrew, versification("mt"))
    heb, kjv = passages_in_each(store, ref, "mt", ["heb", "kjv"])
    assert [v.text for v in heb.verses] == [f"Hebrew {hebrew}"]
    [line] = line_up(heb, [kjv])
    # The PyPI KJV has no psalm titles: a title is shown as absent, never as verse 1.
    expected = [v for v in parse_reference(written).verses() if v % 1000]
    assert [v.id for v in line.beside[0]] == expected


def test_a_verse_one_numbering_lacks_is_absent_not_misaligned(store):
    kjv, heb = passages_in_each(store, parse_reference("Neh 7:68-69"), "kjv", ["kjv", "heb"])
    assert heb.reference.osis() == "Neh.7.68"
    lines = line_up(kjv, [heb])
    assert [(line.verse.number, [v.text for v in line.beside[0]]) for line in lines] == [
        (68, []),  # not in the Hebrew text
        (69, ["Hebrew Neh.7.68"]),
    ]


def test_manna_read_parallel_lists_each_translation_in_its_own_numbering(store):
    from manna.cli import main

    result = CliRunner().invoke(main, ["read", "Joel 2:28-29", "--parallel", "kjv,heb", "--json"])
    assert result.exit_code == 0, result.output
    kjv, heb = json.loads(result.output)
    assert (kjv["osis"], heb["osis"]) == ("Joel.2.28-Joel.2.29", "Joel.3.1-Joel.3.2")
    assert [v["verse"] for v in heb["verses"]] == [1, 2]
    text = CliRunner().invoke(main, ["read", "Mal 4:1", "--parallel", "kjv,heb"]).output
    assert text.splitlines() == [
        "Malachi 4:1 (KJV) / Malachi 3:19 (HEB)",
        "  1 KJV   For, behold, the day cometh, that shall burn as an oven; and all the proud, "
        "yea, and all that do wickedly, shall be stubble: and the day that cometh shall burn "
        "them up, saith the LORD of hosts, that it shall leave them neither root nor branch.",
        "    HEB   [3:19] Hebrew Mal.3.19",
    ]

"""The SWORD importer: its markup reading always; Debian's real modules when installed.

`make sword-modules` installs Debian's sword-text-kjv and sword-text-web; CI sets
MANNA_REQUIRE_SWORD=1 so that their absence fails instead of skipping.
"""

import os
from pathlib import Path

import pytest

from manna.scripture import parse_reference
from manna.scripture.errors import ScriptureError
from manna.scripture.importers import (
    SWORD_DIRS,
    find_sword_module,
    import_sword,
    sword_modules,
    sword_verse_text,
)
from manna.scripture.store import Store


@pytest.mark.parametrize(
    "osis, text",
    [
        # a note between two words leaves a space; before punctuation it leaves nothing
        (
            '<w lemma="strong:H0430">God</w><note placement="foot">1:1 Elohim</note>'
            '<w lemma="strong:H1254">created</w> the earth.',
            "God created the earth.",
        ),
        ('his God<note type="x-strongsMarkup">x</note>, and', "his God, and"),
        # words the translators added are marked (shown as italics); brackets stay
        (
            'darkness <transChange type="added">was</transChange> upon the face',
            "darkness \x0ewas\x0f upon the face",
        ),
        ("[Mordecai said, [these]", "[Mordecai said, [these]"),
        # headings are not the verse's words; milestones and entities
        (
            '<title type="psalm" canonical="true">A Psalm of David.</title>LORD, how'
            ' <div eID="gen3" type="x-p"/>',
            "LORD, how ",
        ),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        # a USFM marker left in the text by the module's making
        (r"the \nd LORD spake", "the LORD spake"),
    ],
)
def test_sword_markup_becomes_the_verse_words(osis, text):
    assert sword_verse_text(osis) == text


def _conf(folder: Path, key: str, abbreviation: str) -> None:
    mods = folder / "mods.d"
    mods.mkdir(parents=True, exist_ok=True)
    (mods / f"{key}.conf").write_text(
        f"[{key}]\nAbbreviation={abbreviation}\nDescription=Test {abbreviation}\n"
        f"DataPath=./modules/texts/ztext/{key}/\nModDrv=zText\n"
    )


def test_a_module_is_found_by_its_id_or_abbreviation_in_any_case(tmp_path):
    _conf(tmp_path, "engTST2020eb", "TST")
    for name in ("TST", "tst", "engTST2020eb", "ENGTST2020EB"):
        assert find_sword_module(name, tmp_path).key == "engTST2020eb"


def test_an_unknown_module_names_the_installed_ones(tmp_path):
    _conf(tmp_path, "engTST2020eb", "TST")
    with pytest.raises(ScriptureError) as err:
        find_sword_module("KJV", tmp_path)
    assert str(err.value) == (
        f'no SWORD module "KJV" in {tmp_path} - installed: engTST2020eb (TST)'
    )


def test_no_modules_at_all_says_how_to_get_one(tmp_path):
    with pytest.raises(ScriptureError) as err:
        find_sword_module("KJV", tmp_path)
    assert str(err.value) == (
        f'no SWORD module "KJV" in {tmp_path} - install one, e.g. `apt-get install '
        "sword-text-kjv`, or give the folder with --sword-path"
    )


# --- Debian's modules ---------------------------------------------------------------------

DEBIAN = SWORD_DIRS[0]


def _debian_module(abbreviation: str) -> None:
    installed = {m.conf.get("abbreviation") for m in sword_modules(DEBIAN)}
    if abbreviation in installed:
        return
    why = f"Debian's SWORD module {abbreviation} is not installed (make sword-modules)"
    if os.environ.get("MANNA_REQUIRE_SWORD") == "1":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def sword_store(tmp_path_factory):
    _debian_module("KJV")
    _debian_module("WEB")
    store = Store(tmp_path_factory.mktemp("sword") / "scripture.sqlite3", create=True)
    reports = {
        "kjv": import_sword(store, "KJV", code="swkjv"),
        "web": import_sword(store, "web", code="swweb"),
    }
    yield store, reports
    store.close()


def _texts(store, ref, code):
    return [v.text for v in store.verses(parse_reference(ref), code)]


def test_debian_kjv_imports_whole_with_its_italics(sword_store):
    store, reports = sword_store
    kjv = reports["kjv"]
    assert (kjv.translation.verse_count, kjv.translation.versification) == (31102, "kjv")
    assert kjv.absent == kjv.placeholders == kjv.outside == []
    [verse] = store.verses(parse_reference("Genesis 1:2"), "swkjv")
    assert verse.html.startswith(
        "And the earth was without form, and void; and darkness <i>was</i> upon the face"
    )
    assert verse.text.startswith("And the earth was without form, and void; and darkness was")
    assert _texts(store, "Exodus 6:3", "swkjv") == [
        "And I appeared unto Abraham, unto Isaac, and unto Jacob, by the name of God "
        "Almighty, but by my name JEHOVAH was I not known to them."
    ]
    # SWORD rolls "3 John 1:15" into another verse; the store has no such verse
    assert store.verses(parse_reference("3 John 1:14"), "swkjv")[0].text.startswith("But I trust")
    assert len(_texts(store, "3 John", "swkjv")) == 14


def test_debian_web_keeps_its_deuterocanon_and_versification(sword_store):
    store, reports = sword_store
    web = reports["web"]
    assert (web.translation.verse_count, web.translation.versification) == (37457, "nrsva")
    assert web.translation.name == "World English Bible with Deuterocanon"
    assert len(web.absent) == 160  # verses WEB leaves to footnotes (Acts 8:37, ...)
    assert parse_reference("Acts 8:37").first in web.absent
    assert _texts(store, "Genesis 1:1", "swweb") == [
        "In the beginning, God created the heavens and the earth."
    ]
    assert _texts(store, "Tobit 1:1", "swweb")[0].startswith("The book of the words of Tobit")
    hits = store.search('"heavens and the earth"', "swweb", within="Gen 1")
    assert [h.reference.osis() for h in hits] == ["Gen.1.1"]

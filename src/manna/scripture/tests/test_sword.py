"""The SWORD importer: its markup reading always; Debian's real modules when installed.

`make sword-modules` installs Debian's sword-text-kjv and sword-text-web; CI sets
MANNA_REQUIRE_SWORD=1 so that their absence fails instead of skipping.
"""

import html
import os
import re
from pathlib import Path

import pytest

from manna.scripture import canon, parse_reference, verse_id, versification
from manna.scripture.errors import ScriptureError
from manna.scripture.importers import (
    SWORD_DIRS,
    find_sword_module,
    import_sword,
    open_sword_bible,
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
        # two notes: every word between and after them stays (a regex once took them all)
        ("one<note>n1</note> two three<note>n2</note><w>four</w>", "one two three four"),
        (
            '<title type="psalm">A Prayer of Moses.</title><w>Lord</w>, you have been our '
            'dwelling place<note type="x-strongsMarkup">n</note> for all generations.',
            "Lord, you have been our dwelling place for all generations.",
        ),
        # a note between two quotations' words: they stay apart
        ('his only born</q><note placement="foot">n</note><q who="Jesus">Son', "his only born Son"),
        ("weeds</w><note>n</note><w>also</w>", "weeds also"),
        ("<w>Lord</w>,<note>n</note><w>you</w>", "Lord, you"),
        ("said, “<note>n</note>Come", "said, “Come"),
        # a speaker's label is not the verse's words
        ('<speaker who="Beloved">Beloved</speaker>Let him kiss me', "Let him kiss me"),
        # markup that opens in one verse and closes in another is read all the same
        ('<q who="Jesus">For God so loved', "For God so loved"),
        ("the world.</q></div>", "the world."),
        # an added word inside a note is dropped with the note
        ('a<note>see <transChange type="added">x</transChange></note> b', "a b"),
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


def test_debian_web_keeps_every_word_around_its_notes(sword_store):
    """Verses where notes, quotations and speakers' labels meet: once words were lost
    (a regex ran from one note to a later one) or fused ("only bornSon")."""
    from manna.scripture import ParseOptions

    store, _ = sword_store
    nrsva = ParseOptions(versification="nrsva")

    def text(ref: str) -> str:
        return str(store.verses(parse_reference(ref, options=nrsva), "swweb")[0].text)

    assert text("Psalm 90:1") == "Lord, you have been our dwelling place for all generations."
    assert len(text("2 Maccabees 12:35").split()) == 60  # kept 5 of them before
    assert "his only born Son, that whoever believes" in text("John 3:16")
    assert "sowed darnel weeds also among the wheat" in text("Matthew 13:25")
    assert text("Song of Songs 1:2").startswith("Let him kiss me")  # no "Beloved" label
    for ref in ("2 Maccabees 7:6", "2 Maccabees 8:20", "1 Esdras 5:22", "2 Esdras 13:3"):
        assert len(text(ref).split()) >= 15, ref


def test_module_defects_are_reported_not_passed_over(sword_store):
    _, reports = sword_store
    web = reports["web"]
    assert web.empty_books == ["Prayer of Azariah", "Susanna", "Bel and the Dragon"]
    long = {ref: n for ref, n in web.long_verses}
    assert long[parse_reference("Revelation 22:21").first] > 10_000  # the glossary glued on
    summary = web.summary()
    assert "3 books empty in the source: Prayer of Azariah, Susanna, Bel and the Dragon" in summary
    assert "Revelation 22:21 (" in summary
    assert "books empty" in web.translation.notes
    kjv = reports["kjv"]
    assert kjv.empty_books == [] and kjv.long_verses == []


# --- every verse, against a reading of the markup done another way ---------------------

_ELEMENT_NOT_WORDS = re.compile(r"<(note|speaker|title)\b[^>]*>.*?</\1>", re.DOTALL)
_PSALM_TITLE = re.compile(
    r'<title\b(?=[^>]*canonical="true")(?=[^>]*type="psalm")[^>]*>(.*?)</title>', re.DOTALL
)


def _words_of(markup: str) -> list[str]:
    """The words of a piece of OSIS markup, read with regular expressions element by
    element (notes, speakers' labels and headings never nest inside one another): an
    independent check of the importer's parser."""
    text = _ELEMENT_NOT_WORDS.sub(" ", markup)
    assert "<note" not in text and "</note>" not in text, markup  # no note left half-read
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    text = re.sub(r"\\[a-z]+\d*\*?", " ", text)  # USFM markers the modules' making left
    return re.findall(r"[^\W_]+", text)


def _title_words(markup: str) -> list[str]:
    m = _PSALM_TITLE.search(markup)
    return _words_of(_ELEMENT_NOT_WORDS.sub(" ", m.group(1))) if m else []


@pytest.mark.parametrize(("abbreviation", "code"), [("KJV", "swkjv"), ("WEB", "swweb")])
def test_every_verse_of_the_debian_modules_has_the_words_of_its_markup(
    sword_store, abbreviation, code
):
    store, _ = sword_store
    bible = open_sword_bible(find_sword_module(abbreviation))
    translation = store.translation(code)
    translation_v11n = versification(translation.versification)
    base = translation.number * 1_000_000_000
    stored = {
        rowid - base: text
        for rowid, text in store.db.execute(
            "SELECT rowid, text FROM verse WHERE rowid BETWEEN ? AND ?", (base, base + 999_999_999)
        )
    }
    compared = titles = 0
    wrong = []
    for testament in bible.get_structure().get_books().values():
        for sword_book in testament:
            book = canon().by_osis[sword_book.osis_name]
            for chapter, count in enumerate(sword_book.chapter_lengths, start=1):
                markups = bible.get_iter(
                    books=[sword_book.osis_name],
                    chapters=[chapter],
                    verses=list(range(1, count + 1)),
                    clean=False,
                )
                for verse, markup in enumerate(markups, start=1):
                    vid = verse_id(book.number, chapter, verse)
                    expected = _words_of(markup)
                    if expected and re.findall(r"[^\W_]+", stored.get(vid, "")) != expected:
                        wrong.append(vid)
                    compared += 1
                    has_place = translation_v11n.has_title(book, chapter)
                    if verse == 1 and has_place and (title := _title_words(markup)):
                        titles += 1
                        if re.findall(r"[^\W_]+", stored.get(vid - 1, "")) != title:
                            wrong.append(vid - 1)
    assert wrong == []
    assert compared == sum(
        sum(b.chapter_lengths) for t in bible.get_structure().get_books().values() for b in t
    )
    assert titles == {"KJV": 116, "WEB": 117}[abbreviation]  # the WEB's Psalm 151 has one


def test_psalm_titles_are_kept_as_verse_0(sword_store):
    store, reports = sword_store
    assert reports["kjv"].titles == 116 and reports["web"].titles == 117
    assert "and 116 psalm titles (each its psalm's verse 0)" in reports["kjv"].summary()
    assert _texts(store, "Psalm 3 title", "swkjv") == [
        "A Psalm of David, when he fled from Absalom his son."
    ]
    # the WEB's note inside Psalm 90's title is dropped, the title kept
    assert _texts(store, "Psalm 90 title", "swweb") == ["A Prayer by Moses, the man of God."]
    psalm = store.verses(parse_reference("Psalm 51"), "swkjv")
    assert [v.number for v in psalm[:2]] == [0, 1] and len(psalm) == 20
    assert _texts(store, "Psalm 1 ", "swkjv")[0].startswith("Blessed is the man")  # no title


def test_the_webs_own_numbering_reaches_every_verse_it_has(sword_store):
    """Once read in the KJV's numbering, 239 WEB verses could not be asked for."""
    from manna.scripture import ParseOptions

    store, _ = sword_store
    nrsva = ParseOptions(versification="nrsva")

    def count(ref: str) -> int:
        return len(store.verses(parse_reference(ref, options=nrsva), "swweb"))

    assert count("Prayer of Manasseh") == 15
    assert count("2 Esdras 7") == 140
    assert count("Sirach 33:32-33") == 2
    assert count("Greek Esther 10:4-13") == 10
    # and the default numbering reads the deuterocanon as the NRSVA numbers it
    assert parse_reference("2 Esdras 7:100").osis() == "2Esd.7.100"

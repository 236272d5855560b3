import sys
import textwrap

import pytest

from manna.scripture import parse_reference
from manna.scripture.errors import ImportRefusedError, ScriptureError, TranslationNotFoundError
from manna.scripture.importers import import_osis, import_package, import_packaged
from manna.scripture.store import Store, fts_query


def test_passage_returns_numbered_verses(store):
    passage = store.passage(parse_reference("Exodus 33:18-20"), "kjv")
    assert [(v.chapter, v.number) for v in passage.verses] == [(33, 18), (33, 19), (33, 20)]
    assert passage.verses[0].text == "And he said, I beseech thee, shew me thy glory."


def test_verses_can_stop_after_the_first_few(store):
    whole_books = parse_reference("Obadiah; Jonah")
    first = store.verses(whole_books, "kjv", limit=3)
    assert [(v.chapter, v.number) for v in first] == [(1, 1), (1, 2), (1, 3)]
    across = store.verses(parse_reference("Obad 1:21; Jonah 1:1-5"), "kjv", limit=2)
    assert [v.id for v in across] == [parse_reference(r).first for r in ("Obad 1:21", "Jonah 1:1")]
    assert len(store.verses(whole_books, "kjv")) == 21 + 48


def test_kjv_italics_are_markup_not_brackets(store):
    verse = store.passage(parse_reference("Genesis 1:2"), "kjv").verses[0]
    assert "darkness <i>was</i> upon" in verse.html
    assert "darkness was upon" in verse.text
    assert "[" not in verse.html


def test_placeholder_and_empty_verses_are_absent(store):
    assert store.passage(parse_reference("Acts 8:37"), "web").verses == ()
    assert "placeholder" in store.translation("web").notes


def test_missing_translation_names_the_installed_ones(store):
    with pytest.raises(
        TranslationNotFoundError,
        match=r'unknown translation "nope" \(installed translations: kjv, web\)',
    ):
        store.passage(parse_reference("John 1:1"), "nope")


def test_missing_store_says_how_to_build_it(tmp_path):
    with pytest.raises(ScriptureError, match="run `manna import-bible --all`"):
        Store(tmp_path / "none.sqlite3")


@pytest.mark.parametrize(
    "query, within, first",
    [
        ('"shew me" glory', None, "Exod.33.18"),
        ("glory AND shew NOT face", None, "Exod.33.18"),
        ("begott*", "John", "John.1.14"),
        ("begotten", "1 John", "1John.4.9"),
        ("Jesus", "OT", None),
    ],
)
def test_search(store, query, within, first):
    hits = store.search(query, "kjv", within)
    if first is None:
        assert hits == []
    else:
        assert first in [h.reference.osis() for h in hits[:5]]
        assert "\x02" in hits[0].snippet


def test_search_within_testament_and_ranking(store):
    hits = store.search("faith", "kjv", "NT", limit=5)
    assert len(hits) == 5
    assert all(h.verse_id >= 40_000_000 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "empty search"),
        ('"unclosed', "unclosed quote"),
        ("(glory", 'unbalanced "\\("'),
        ("glory)", 'unbalanced "\\)"'),
        ("AND", "nothing to search for"),
        ("glory OR", "starts or ends with an operator"),
    ],
)
def test_bad_queries_explain_themselves(query, message):
    with pytest.raises(ScriptureError, match=message):
        fts_query(query)


def test_query_syntax_cannot_leak_into_fts():
    assert fts_query("col:foo NEAR(x) ^y") == '"col" AND "foo" AND "NEAR" AND ( "x" ) AND "y"'


@pytest.mark.parametrize(
    ("query", "code", "count"),
    [
        # the KJV prints "Cæsar": every spelling finds all 24 verses (2 before)
        ("Caesar", "kjv", 24),
        ("Cæsar", "kjv", 24),
        ("caesar's", "kjv", 8),
        # the KJV writes "Beth-el", the WEB "Bethel": either spelling finds both
        ("Bethel", "kjv", 60),
        ("Beth-el", "kjv", 60),
        ("Beth-el", "web", 65),
        ("Bethel Jacob", "kjv", 3),
        ("Beth-el AND Jacob", "kjv", 3),
        # diacritics fold in the index itself
        ("Jésus", "kjv", 943),  # as many as "Jesus"
    ],
)
def test_search_folds_spellings(store, query, code, count):
    assert store.count(query, code) == count
    assert len(store.search(query, code, limit=1000)) == count


def test_search_pages_on_past_the_first_twenty(store):
    first = store.search("faith", "kjv", limit=20)
    second = store.search("faith", "kjv", limit=20, offset=20)
    assert len(first) == len(second) == 20
    assert not {h.verse_id for h in first} & {h.verse_id for h in second}
    assert store.count("faith", "kjv") == 231


def _fake_package(tmp_path, monkeypatch, name, verses):
    """A pythonbible-format package with the given {verse id: slice} texts."""
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    content, starts, ends = "", {}, {}
    for vid, text in verses.items():
        starts[vid] = len(content)
        content += text + " "
        ends[vid] = len(content)
    (pkg / "plain_text_bible.py").write_text(
        textwrap.dedent(f"""
        class _B:
            scripture_content = {content!r}
            verse_start_indices = {starts!r}
            verse_end_indices = {ends!r}
        bible = _B()
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop(name, None)
    sys.modules.pop(f"{name}.plain_text_bible", None)


def test_misaligned_package_is_refused_and_nothing_written(tmp_path, monkeypatch):
    verses = {1_001_000 + v: f"{v + 1}. shifted text" for v in range(1, 32)}
    _fake_package(tmp_path, monkeypatch, "fakebible_bad", verses)
    store = Store(tmp_path / "s.sqlite3", create=True)
    with pytest.raises(
        ImportRefusedError,
        match="31 of 31 verses in fakebible-bad do not begin with their own verse number",
    ):
        import_package(store, code="bad", package="fakebible_bad", name="Bad")
    assert store.translations() == []


def test_interrupted_import_leaves_the_previous_store_intact(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.sqlite3", create=True)
    import_packaged(store, "kjv")
    before = store.passage(parse_reference("John 1:1"), "kjv").verses

    def broken(*args, **kwargs):
        yield (43_001_001, "In the beginning was a broken import.")
        raise KeyboardInterrupt

    monkeypatch.setattr("manna.scripture.importers.packaged_pairs", broken)
    with pytest.raises(KeyboardInterrupt):
        import_packaged(store, "kjv")
    again = Store(tmp_path / "s.sqlite3")
    assert again.passage(parse_reference("John 1:1"), "kjv").verses == before
    assert again.translation("kjv").verse_count == 31102


def test_osis_import(tmp_path):
    osis = tmp_path / "tiny.xml"
    osis.write_text("""<?xml version="1.0"?>
<osis xmlns="http://www.bibletechnologies.net/2003/OSIS/namespace"><osisText><div type="book" osisID="Jude">
<chapter osisID="Jude.1">
<verse osisID="Jude.1.1">Jude, a servant<note>a note</note> of Jesus.</verse>
<verse sID="Jude.1.2" osisID="Jude.1.2"/>Mercy to you.<verse eID="Jude.1.2"/>
</chapter></div></osisText></osis>""")
    store = Store(tmp_path / "s.sqlite3", create=True)
    report = import_osis(store, osis, code="tiny", name="Tiny")
    verses = store.passage(parse_reference("Jude 1-2"), "tiny").verses
    assert [v.text for v in verses] == ["Jude, a servant of Jesus.", "Mercy to you."]
    assert len(report.absent) == 23


def test_osis_import_refuses_broken_xml(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<osis><verse osisID='Jude.1.1'>oops</osis>")
    store = Store(tmp_path / "s.sqlite3", create=True)
    with pytest.raises(ImportRefusedError, match="not well-formed OSIS XML"):
        import_osis(store, bad, code="bad", name="Bad")
    assert store.translations() == []


def test_the_web_packages_glued_headings_become_the_next_psalms_title(store):
    """The PyPI WEB glues each psalm's heading to the verse before it ("... take refuge in
    him. Psalm 3 A Psalm by David, ..."): the verse keeps its words, the psalm its title."""
    [last] = store.verses(parse_reference("Psalm 2:12"), "web")
    assert last.text.endswith("Blessed are all those who take refuge in him.")
    title, first = store.verses(parse_reference("Psalm 3"), "web")[:2]
    assert (title.number, title.is_title) == (0, True)
    assert title.text == "A Psalm by David, when he fled from Absalom, his son."
    assert first.number == 1 and first.text.startswith("Yahweh, how my adversaries")
    [only] = store.verses(parse_reference("Psalm 3 title"), "web")
    assert only == title
    assert store.verses(parse_reference("Psalm 3:1-2"), "web")[0] == first  # verses, no title
    assert not any("Psalm 4" in v.text for v in store.verses(parse_reference("Psalm 3"), "web"))
    assert store.translation("web").verse_count == 31099  # titles are not counted as verses


def test_a_title_is_searchable_and_written_as_the_psalms_title(store):
    hits = store.search('"fled from Absalom"', "web")
    assert hits[0].reference.human() == "Psalm 3 title"


def test_the_webs_doxology_at_romans_14_is_kept_in_its_own_numbering(store):
    web = store.translation("web")
    assert web.versification == "majority"
    from manna.scripture import ParseOptions

    ref = parse_reference("Romans 14:24-26", options=ParseOptions(versification="majority"))
    verses = store.verses(ref, "web")
    assert [v.number for v in verses] == [24, 25, 26]
    assert verses[0].text.startswith("Now to him who is able to establish you")
    assert store.verses(parse_reference("Romans 16:25"), "web") == []


def test_backticks_in_a_package_are_apostrophes(store):
    [verse] = store.verses(parse_reference("John 3:17"), "web")
    assert "didn’t" in verse.text and "`" not in verse.text


def test_the_checksum_tells_two_stores_apart_by_their_words(store, store_dir, tmp_path):
    import shutil

    copy_path = tmp_path / "copy.sqlite3"
    shutil.copy(store_dir / "scripture.sqlite3", copy_path)
    copy = Store(copy_path)
    try:
        kjv = store.checksum("kjv")
        assert len(kjv) == 64 and kjv == copy.checksum("kjv")  # the same words, anywhere
        assert store.checksum("web") != kjv
        one = store.translation("kjv").number * 10**9 + parse_reference("John 3:16").ranges[0].start
        copy.db.execute("UPDATE verse SET text = text || ' ' WHERE rowid = ?", (one,))
        assert copy.checksum("kjv") != kjv  # one verse differs by a space
        assert copy.checksum("web") == store.checksum("web")
    finally:
        copy.close()
    with pytest.raises(TranslationNotFoundError):
        store.checksum("xyz")

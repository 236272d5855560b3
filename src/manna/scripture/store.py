"""The verse store: one SQLite file per machine holding every imported translation.

Layout (see docs/store.md):
- `translation`: code, name, versification, source, verse count, notes from the import;
- `verse`: rowid = translation number * 10^9 + verse id, so a passage is one rowid range;
  `html` holds the verse as safe HTML (KJV italics as <i>), `text` the plain words;
- `fts_<code>`: an FTS5 index of one translation's plain text, rowid = verse id.

The store lives in $MANNA_DATA_DIR (default: $XDG_DATA_HOME/manna, else ~/.local/share/manna).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import apsw

from manna.config import data_dir
from manna.scripture.canon import Book, canon
from manna.scripture.errors import ScriptureError, TranslationNotFoundError
from manna.scripture.reference import BOOK, CHAPTER, Reference, VerseRange, split_id

STORE_FILENAME = "scripture.sqlite3"
ROW_STRIDE = 1_000_000_000  # rowid = translation number * ROW_STRIDE + verse id
SCHEMA_VERSION = 1
# Raised when the importers read a source differently (2: psalm titles as verse 0, the WEB
# package's glued headings and Romans 14:24-26): `import-bible --if-missing` then imports
# again a translation written by an older importer.
IMPORT_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS translation (
    number INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    versification TEXT NOT NULL,
    source TEXT NOT NULL,
    verse_count INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS verse (
    rowid INTEGER PRIMARY KEY,
    html TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS compound (
    code TEXT NOT NULL,
    joined TEXT NOT NULL,
    words TEXT NOT NULL,
    PRIMARY KEY (code, joined, words)
) WITHOUT ROWID;
"""


def store_path() -> Path:
    return data_dir() / STORE_FILENAME


@dataclass(frozen=True, slots=True)
class Translation:
    number: int
    code: str
    name: str
    versification: str
    source: str
    verse_count: int
    notes: str


@dataclass(frozen=True, slots=True)
class Verse:
    id: int
    html: str  # safe HTML: the text escaped, KJV italics as <i>...</i>
    text: str  # plain words

    @property
    def book(self) -> Book:
        return canon().by_number[self.id // BOOK]

    @property
    def chapter(self) -> int:
        return split_id(self.id)[1]

    @property
    def number(self) -> int:
        return split_id(self.id)[2]

    @property
    def is_title(self) -> bool:
        """A psalm's title, kept as its verse 0 (see docs/store.md)."""
        return self.number == 0


@dataclass(frozen=True, slots=True)
class Passage:
    reference: Reference
    translation: Translation
    verses: tuple[Verse, ...]


def _translation(row: tuple[apsw.SQLiteValue, ...]) -> Translation:
    number, code, name, versification, source, verse_count, notes = row
    return Translation(
        _int(number),
        str(code),
        str(name),
        str(versification),
        str(source),
        _int(verse_count),
        str(notes),
    )


def _int(value: apsw.SQLiteValue) -> int:
    """A column the schema declares INTEGER (apsw types every value as any SQLite value)."""
    assert isinstance(value, int), value
    return value


def _float(value: apsw.SQLiteValue) -> float:
    assert isinstance(value, (int, float)), value
    return float(value)


@dataclass(frozen=True, slots=True)
class Hit:
    verse_id: int
    snippet: str  # plain text with the matched words between \x02 and \x03
    score: float

    @property
    def reference(self) -> Reference:
        return Reference.single(self.verse_id)

    def snippet_text(self, open_: str = "[", close: str = "]") -> str:
        return self.snippet.replace("\x02", open_).replace("\x03", close)

    def snippet_html(self) -> str:
        from html import escape

        return escape(self.snippet).replace("\x02", "<mark>").replace("\x03", "</mark>")


class Store:
    """A connection to the verse store. Cheap to keep open; use `open_store()` to share one."""

    def __init__(self, path: Path | str, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise ScriptureError(
                f"no scripture store at {self.path} - run `manna import-bible --all` to build it "
                "(or set MANNA_DATA_DIR to where it is)"
            )
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # apsw: autocommit unless a transaction is begun; usable from any thread.
        self.db = apsw.Connection(str(self.path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if create:
            self.db.execute(SCHEMA)
        self._translations: dict[str, Translation] | None = None

    def close(self) -> None:
        self.db.close()

    # --- translations ---

    def translations(self) -> list[Translation]:
        return list(self._by_code().values())

    def _by_code(self) -> dict[str, Translation]:
        if self._translations is None:
            try:
                rows = self.db.execute(
                    "SELECT number, code, name, versification, source, verse_count, notes "
                    "FROM translation ORDER BY number"
                ).fetchall()
            except apsw.SQLError:  # an empty file: no tables yet
                rows = []
            self._translations = {str(row[1]): _translation(row) for row in rows}
        return self._translations

    def translation(self, code: str) -> Translation:
        found = self._by_code().get(code.lower())
        if found is None:
            raise TranslationNotFoundError(code, sorted(self._by_code()))
        return found

    def up_to_date(self, code: str) -> bool:
        """Whether translation `code` is in the store, written by the current importers."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"import:{code}",)).get
        except apsw.SQLError:  # an empty file: no tables yet
            return False
        return bool(row == str(IMPORT_VERSION))

    def forget_cache(self) -> None:
        self._translations = None

    def checksum(self, code: str) -> str:
        """SHA-256 of translation `code` as stored (its name, numbering and every verse's
        id, HTML and text, in order): two servers whose stores give the same checksum show
        the same words."""
        t = self.translation(code)
        digest = hashlib.sha256(f"{t.code}\n{t.name}\n{t.versification}\n".encode())
        base = t.number * ROW_STRIDE
        rows = self.db.execute(
            "SELECT rowid, html, text FROM verse WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
            (base, base + ROW_STRIDE - 1),
        )
        for rowid, html, text in rows:
            digest.update(f"{rowid - base}\t{html}\t{text}\n".encode())
        return digest.hexdigest()

    # --- reading ---

    def verses(
        self, ref: Reference | VerseRange, translation: str = "kjv", limit: int | None = None
    ) -> list[Verse]:
        """The verses of `ref` in order; only the first `limit` when given (a preview of
        "the book of Psalms" should not read 2,461 verses). Whole chapters ("Psalm 3")
        begin with the psalm's title where the translation keeps one (verse 0); a title
        inside a range of verses belongs to it ("Psalms 3:8-4:1" holds Psalm 4's)."""
        t = self.translation(translation)
        ranges = ref.ranges if isinstance(ref, Reference) else (ref,)
        base = t.number * ROW_STRIDE
        out: list[Verse] = []
        for r in ranges:
            left = -1 if limit is None else limit - len(out)  # SQLite: LIMIT -1 is no limit
            if left == 0:
                break
            start = _from_title(r)
            rows = self.db.execute(
                "SELECT rowid, html, text FROM verse WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
                " LIMIT ?",
                (base + start, base + r.end, left),
            )
            out.extend(Verse(rowid - base, html, text) for rowid, html, text in rows)
        return out

    def passage(self, ref: Reference, translation: str = "kjv") -> Passage:
        t = self.translation(translation)
        return Passage(ref, t, tuple(self.verses(ref, t.code)))

    def own_reference(
        self, ref: Reference, translation: str, written_in: str = "english"
    ) -> Reference | None:
        """`ref`, written in numbering `written_in` (the reference finder's), as the
        translation numbers it: the KJV's Malachi 4:1 is 3:19 in a Bible numbered as the
        Hebrew is. None when the translation has no verse of it."""
        from manna.scripture.numbering import convert_reference

        return convert_reference(ref, written_in, self.translation(translation).versification)

    def verses_of(
        self,
        ref: Reference,
        translation: str,
        written_in: str = "english",
        limit: int | None = None,
    ) -> list[Verse]:
        """The verses of `ref` (written in numbering `written_in`) from a translation that
        may number them otherwise; none where it lacks them."""
        own = self.own_reference(ref, translation, written_in)
        return self.verses(own, translation, limit) if own is not None else []

    def passage_of(self, ref: Reference, translation: str, written_in: str = "english") -> Passage:
        """`ref` (written in numbering `written_in`) as a passage of the translation, with the
        reference as the translation numbers it."""
        t = self.translation(translation)
        own = self.own_reference(ref, t.code, written_in)
        if own is None:
            return Passage(ref, t, ())
        return Passage(own, t, tuple(self.verses(own, t.code)))

    # --- search ---

    def search(
        self,
        query: str,
        translation: str = "kjv",
        within: Reference | str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[Hit]:
        """Ranked verses matching `query` (see fts_query); `offset` pages on."""
        t = self.translation(translation)
        match = fts_query(query, lambda word: self.spellings(t.code, word))
        where, params = _within_clause(within, t.versification)
        # Table names are safe: translation codes are checked to be [a-z][a-z0-9_]*.
        sql = (
            f"SELECT rowid, snippet(fts_{t.code}, 0, char(2), char(3), '…', 16), rank "  # noqa: S608
            f"FROM fts_{t.code} WHERE fts_{t.code} MATCH ?{where} ORDER BY rank LIMIT ? OFFSET ?"
        )
        rows = self._fts(query, sql, (match, *params, limit, offset))
        return [Hit(_int(rowid), str(snippet), -_float(rank)) for rowid, snippet, rank in rows]

    def count(
        self, query: str, translation: str = "kjv", within: Reference | str | None = None
    ) -> int:
        """How many verses match `query` (for "41 verses", and paging)."""
        t = self.translation(translation)
        match = fts_query(query, lambda word: self.spellings(t.code, word))
        where, params = _within_clause(within, t.versification)
        sql = f"SELECT count(*) FROM fts_{t.code} WHERE fts_{t.code} MATCH ?{where}"  # noqa: S608
        return _int(self._fts(query, sql, (match, *params))[0][0])

    def _fts(
        self, query: str, sql: str, params: tuple[apsw.SQLiteValue, ...]
    ) -> list[tuple[apsw.SQLiteValue, ...]]:
        try:
            return self.db.execute(sql, params).fetchall()
        except apsw.SQLError:
            # SQLite's own words name its internals ("fts5: syntax error near ..."):
            # say what a search may hold instead.
            shown = query if len(query) <= 60 else query[:57] + "..."
            raise ScriptureError(
                f'cannot search for "{shown}": use words, "exact phrases", prefix*, AND, OR, '
                "NOT and parentheses"
            ) from None

    def spellings(self, code: str, word: str) -> list[str]:
        """Other ways the translation writes `word`: "bethel" is "Beth-el" in the KJV (its
        words "beth el"), "caesar" is "Cæsar". Lower case, the word itself first."""
        folded = word.lower()
        out = [folded]
        for variant in (fold_ligatures(folded), folded.replace("ae", "æ").replace("oe", "œ")):
            if variant not in out:
                out.append(variant)
        try:
            rows = self.db.execute(
                "SELECT words FROM compound WHERE code = ? AND joined = ?",
                (code, fold_ligatures(folded).replace("-", "")),
            )
            out.extend(str(words) for (words,) in rows if words not in out)
        except apsw.SQLError:  # a store written before compounds were kept
            pass
        return out


TESTAMENTS = {
    "ot": "OT",
    "nt": "NT",
    "dc": "DC",
    "old testament": "OT",
    "new testament": "NT",
    "apocrypha": "DC",
    "deuterocanon": "DC",
}


def _within_clause(within: Reference | str | None, system: str) -> tuple[str, list[int]]:
    """SQL restricting rowids (verse ids) to a reference, book or testament; a written
    reference is read in numbering `system` (the searched translation's)."""
    if within is None:
        return "", []
    ranges: list[tuple[int, int]]
    if isinstance(within, str):
        testament = TESTAMENTS.get(within.strip().lower())
        if testament is not None:
            numbers = [b.number for b in canon().books if b.testament == testament]
            ranges = _merge([(n * BOOK, n * BOOK + BOOK - 1) for n in numbers])
        else:
            from manna.scripture.parser import ParseOptions, parse_reference

            written = parse_reference(within, options=ParseOptions(versification=system))
            ranges = [(_from_title(r), r.end) for r in written.ranges]
    else:
        ranges = [(_from_title(r), r.end) for r in within.ranges]
    clause = " OR ".join("rowid BETWEEN ? AND ?" for _ in ranges)
    return f" AND ({clause})", [n for pair in ranges for n in pair]


def _from_title(r: VerseRange) -> int:
    """Where a range's verses begin in the store: whole chapters with a psalm's title."""
    return r.start - 1 if r.whole_chapters and r.start % CHAPTER == 1 else r.start


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


_QUERY_TOKEN = re.compile(r'\s*(?:"(?P<phrase>[^"]*)"|(?P<paren>[()])|(?P<word>[^\s"()]+))')
OPERATORS = {"AND", "OR", "NOT"}


def fold_ligatures(text: str) -> str:
    """ "Cæsar" as "Caesar": the ligatures older printings use, as two letters (diacritics
    are folded by the index itself, `remove_diacritics 2`)."""
    return text.replace("æ", "ae").replace("Æ", "Ae").replace("œ", "oe").replace("Œ", "Oe")


def fts_query(query: str, spellings: Callable[[str], list[str]] | None = None) -> str:
    """Translate a search box query into FTS5 syntax, safely.

    Accepted: words, "exact phrases", prefix* and the operators AND, OR, NOT (upper case)
    with parentheses. Everything else is quoted, so no input can reach FTS5 as syntax.
    With `spellings` (a word -> its spellings in the text searched), a word also finds its
    other spellings, and a hyphenated word ("Beth-el") its parts as a phrase and joined.
    """
    parts: list[str] = []
    pos = 0
    depth = 0
    text = query.strip()
    if not text:
        raise ScriptureError('empty search - give a word or a "phrase"')
    while pos < len(text):
        m = _QUERY_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            unclosed = text[pos:].strip()
            raise ScriptureError(f'unclosed quote in search: {unclosed} - close it with "')
        pos = m.end()
        if m.group("phrase") is not None:
            words = _words(m.group("phrase"))
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif m.group("paren"):
            depth += 1 if m.group("paren") == "(" else -1
            if depth < 0:
                raise ScriptureError('unbalanced ")" in search')
            parts.append(m.group("paren"))
        else:
            word = m.group("word")
            if word in OPERATORS:
                parts.append(word)
                continue
            prefix = word.endswith("*")
            for w in _hyphenated(word):
                if prefix or spellings is None:
                    parts.extend(f'"{piece}"' + ("*" if prefix else "") for piece in _words(w))
                else:
                    parts.append(_any_spelling(w, spellings))
    if depth:
        raise ScriptureError('unbalanced "(" in search')
    if not any(p not in OPERATORS and p not in "()" for p in parts):
        raise ScriptureError(f'nothing to search for in "{query}" - give a word or a "phrase"')
    if parts[0] in OPERATORS - {"NOT"} or parts[-1] in OPERATORS:
        raise ScriptureError(f'"{query}" starts or ends with an operator - put words on both sides')
    return _with_ands(parts)


def _with_ands(parts: list[str]) -> str:
    """The parts joined, with AND written between two operands ("(a OR b) c" is not FTS5)."""
    out: list[str] = []
    for part in parts:
        operand = part not in OPERATORS and part != ")"
        if out and operand and out[-1] not in OPERATORS and out[-1] != "(" and part != "NOT":
            out.append("AND")
        out.append(part)
    return " ".join(out)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)


def _hyphenated(text: str) -> list[str]:
    """The words of a query word, a hyphenated one ("Beth-el") kept whole."""
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text)


def _any_spelling(word: str, spellings: Callable[[str], list[str]]) -> str:
    """An FTS5 group matching any spelling of `word`: ("bethel" OR "beth el" OR ...)."""
    forms = spellings(word.replace("-", "")) if "-" in word else spellings(word)
    if "-" in word:
        forms.append(word.lower())
    phrases = []
    for form in forms:
        phrase = '"' + " ".join(_words(form)) + '"'
        if phrase not in phrases and phrase != '""':
            phrases.append(phrase)
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


# --- writing (used by the importers) ---


def write_translation(
    store: Store,
    *,
    code: str,
    name: str,
    versification: str,
    source: str,
    notes: str,
    verses: Iterable[tuple[int, str, str]],
) -> Translation:
    """Replace one translation in one transaction: all of it lands, or none of it does."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", code):
        raise ScriptureError(f'translation code "{code}" must be lower-case letters and digits')
    db = store.db
    db.execute("BEGIN IMMEDIATE")
    try:
        existing = db.execute("SELECT number FROM translation WHERE code = ?", (code,)).get
        if existing is None:
            existing = db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM translation").get
        number = _int(existing)
        base = number * ROW_STRIDE
        db.execute("DELETE FROM verse WHERE rowid BETWEEN ? AND ?", (base, base + ROW_STRIDE - 1))
        db.execute(f"DROP TABLE IF EXISTS fts_{code}")
        db.execute(
            f"CREATE VIRTUAL TABLE fts_{code} USING fts5(text, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        count = 0
        batch: list[tuple[int, str, str]] = []
        compounds: set[tuple[str, str]] = set()
        for vid, html, text in verses:
            compounds.update(_compounds(text))
            batch.append((base + vid, html, text))
            count += vid % CHAPTER != 0  # a psalm's title (verse 0) is not counted as a verse
            if len(batch) >= 5000:
                _flush(db, code, base, batch)
        _flush(db, code, base, batch)
        db.execute(SCHEMA)  # a store from before a table was added gains it
        db.execute("DELETE FROM compound WHERE code = ?", (code,))
        db.executemany(
            "INSERT OR IGNORE INTO compound VALUES (?, ?, ?)",
            [(code, joined, words) for joined, words in sorted(compounds)],
        )
        db.execute(f"INSERT INTO fts_{code}(fts_{code}) VALUES ('optimize')")  # noqa: S608
        db.execute(
            "INSERT OR REPLACE INTO translation (number, code, name, versification, source, "
            "verse_count, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, code, name, versification, source, count, notes),
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"import:{code}", str(IMPORT_VERSION))
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    store.forget_cache()
    return store.translation(code)


_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def _compounds(text: str) -> Iterable[tuple[str, str]]:
    """(joined, words) of each hyphenated word: ("bethel", "beth el") for "Beth-el"."""
    for m in _COMPOUND.finditer(text):
        word = fold_ligatures(m.group().lower())
        yield word.replace("-", ""), word.replace("-", " ")


def _flush(db: apsw.Connection, code: str, base: int, batch: list[tuple[int, str, str]]) -> None:
    db.executemany("INSERT INTO verse (rowid, html, text) VALUES (?, ?, ?)", batch)
    db.executemany(
        f"INSERT INTO fts_{code} (rowid, text) VALUES (?, ?)",  # noqa: S608
        [(rowid - base, text) for rowid, _, text in batch],
    )
    batch.clear()


# --- a shared store for the flat API ---

_shared: Store | None = None
_shared_pid = 0  # the process that opened it: a forked child opens its own
_lock = threading.Lock()


def open_store() -> Store:
    """The store at store_path(), opened once per process."""
    global _shared, _shared_pid
    with _lock:
        if _shared is None or _shared.path != store_path() or _shared_pid != os.getpid():
            _shared, _shared_pid = Store(store_path()), os.getpid()
        return _shared

"""The canon as data: books, their names, and versification systems.

Books and their names come from data/books.toml; chapter and verse counts per
versification system from data/versification/<system>.json.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from manna.scripture.errors import InvalidReferenceError, UnknownBookError
from manna.scripture.fuzzy import closest_name

# Ordinal words and numerals accepted in front of a numbered book, mapped to the number.
ORDINALS: dict[str, int] = {
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
}

# A first book's stem shorter than this ("Sa", "Pe") is not read without its number.
MIN_STEM_LENGTH = 3

_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|[^\W\d_]+|&", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Book:
    number: int  # position in the canon order of books.toml, 1-based; used in verse ids
    osis: str
    name: str
    testament: str  # "OT", "NT" or "DC"
    chapters_alone: bool  # single-chapter book: "Jude 3" means verse 3

    def __str__(self) -> str:
        return self.name


def name_key(text: str) -> str:
    """A written book name as its lookup key: lower case, words only, ordinals as digits."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    return key_from_tokens(tokens)


# Number words inside a name ("Song of the Three Youths") and the digits that replace them.
INNER_NUMBERS: dict[str, str] = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "&": "and",
}


def key_from_tokens(tokens: list[str]) -> str:
    if not tokens:
        return ""
    first = str(ORDINALS[tokens[0]]) if tokens[0] in ORDINALS and len(tokens) > 1 else tokens[0]
    return " ".join([first, *(INNER_NUMBERS.get(t, t) for t in tokens[1:])])


@dataclass(frozen=True, slots=True)
class Canon:
    books: tuple[Book, ...]
    by_osis: dict[str, Book]
    by_number: dict[int, Book]
    names: dict[str, Book]  # name key -> book, for names accepted everywhere
    loose_names: dict[str, Book]  # names plus common misspellings, accepted in prose
    # The stem of a first book written without its number ("Timothy", "Samual"): in prose,
    # before a chapter:verse, it means the first book ("Timothy 1:1" is 1 Timothy 1:1).
    unnumbered: dict[str, Book]
    weak: frozenset[str]  # name keys that are also ordinary English words
    # Abbreviations several books share ("ma"), each with its books, the likeliest first.
    shared: dict[str, tuple[Book, ...]]
    max_name_words: int
    # (OSIS id, chapter) written for another book: ("Ps", 151) is the additional psalm.
    numbered_as: dict[tuple[str, int], Book]

    def book(self, osis: str) -> Book:
        """The book with this OSIS id (or an OSIS alias); raises UnknownBookError."""
        found = self.by_osis.get(osis)
        if found is None:
            raise UnknownBookError(osis, self.suggest(osis))
        return found

    def lookup(self, written: str) -> Book | None:
        return self.names.get(name_key(written))

    def suggest(self, written: str) -> str | None:
        """The canonical name of the book a misspelled name most likely means, if any."""
        book = closest_name(name_key(written), self, cutoff=0.6)
        return book.name if book else None


@cache
def canon() -> Canon:
    """The canon, loaded once from books.toml."""
    raw = tomllib.loads(resources.files("manna.scripture.data").joinpath("books.toml").read_text())
    gospel_titles = _title_keys(raw["titles"])
    books: list[Book] = []
    by_osis: dict[str, Book] = {}
    names: dict[str, Book] = {}
    misspelled: dict[str, Book] = {}
    stems: dict[str, Book] = {}
    weak: set[str] = set()
    for number, entry in enumerate(raw["book"], start=1):
        book = Book(
            number=number,
            osis=entry["osis"],
            name=entry["name"],
            testament=entry["testament"],
            chapters_alone=entry.get("chapters_alone", False),
        )
        books.append(book)
        for osis in (book.osis, *entry.get("osis_aliases", [])):
            by_osis[osis] = book
        prefix = entry.get("prefix")
        written = [book.name, book.osis, *entry.get("names", [])]
        for name in written:
            for key in _keys_for(name, prefix):
                names.setdefault(key, book)
                if entry.get("gospel"):
                    for title in gospel_titles:
                        names.setdefault(f"{title} {key}", book)
        for name in entry.get("misspellings", []):
            for key in _keys_for(name, prefix):
                misspelled.setdefault(key, book)
        for name in entry.get("weak", []):
            weak.update(_keys_for(name, prefix))
        if prefix == 1:
            for name in entry.get("names", []):
                key = name_key(name)
                weak_stem = f"1 {key}" in weak
                if len(key) >= MIN_STEM_LENGTH and not key[:1].isdigit() and not weak_stem:
                    stems.setdefault(key, book)
    shared = _shared(raw["shared"], by_osis, names)
    return Canon(
        books=tuple(books),
        by_osis=by_osis,
        by_number={b.number: b for b in books},
        names=names,
        # In prose a shared abbreviation reads as its likeliest book (when strong enough).
        loose_names={**misspelled, **{k: choices[0] for k, choices in shared.items()}, **names},
        unnumbered={k: b for k, b in stems.items() if k not in names},
        weak=frozenset(weak),
        shared=shared,
        max_name_words=max(k.count(" ") + 1 for k in {**misspelled, **names}),
        numbered_as={
            (entry["numbered_as"]["book"], entry["numbered_as"]["chapter"]): by_osis[entry["osis"]]
            for entry in raw["book"]
            if "numbered_as" in entry
        },
    )


def _shared(
    table: dict[str, list[str]], by_osis: dict[str, Book], names: dict[str, Book]
) -> dict[str, tuple[Book, ...]]:
    shared = {name_key(k): tuple(by_osis[osis] for osis in v) for k, v in table.items()}
    clash = sorted(k for k in shared if k in names)
    if clash:  # a shared abbreviation must not also be one book's name
        raise ValueError(f"books.toml: shared abbreviations also listed as names: {clash}")
    return shared


def _title_keys(titles: dict[str, list[str]]) -> list[str]:
    """ "gospel of", "st", "gospel of st" ...: every title that may precede a gospel's name."""
    gospel = [name_key(t) for t in titles["gospel"]]
    saint = [name_key(t) for t in titles["saint"]]
    return [*gospel, *saint, *(f"{g} {s}" for g in gospel for s in saint)]


def _keys_for(name: str, prefix: int | None) -> list[str]:
    key = name_key(name)
    if prefix is None or key[:1].isdigit():
        return [key]
    return [f"{prefix} {key}"]


@dataclass(frozen=True, slots=True)
class Versification:
    """Chapter and verse counts of one versification system."""

    name: str
    description: str
    chapters: dict[str, tuple[int, ...]]  # OSIS id -> verse count of each chapter
    # (OSIS id, chapter) of the psalms whose title this system prints unnumbered, before
    # verse 1: their verse 0 ("Psalm 3 title"). Systems that number titles have none.
    titles: frozenset[tuple[str, int]] = frozenset()

    def has_book(self, book: Book) -> bool:
        return book.osis in self.chapters

    def has_title(self, book: Book, chapter: int) -> bool:
        """Whether the chapter has an unnumbered title, its verse 0."""
        return (book.osis, chapter) in self.titles

    def has_verse(self, book: Book, chapter: int, verse: int) -> bool:
        if verse == 0:
            return self.has_title(book, chapter)
        return 1 <= verse <= self.verse_count(book, chapter)

    def chapter_count(self, book: Book) -> int:
        return len(self.chapters.get(book.osis, ()))

    def verse_count(self, book: Book, chapter: int) -> int:
        counts = self.chapters.get(book.osis, ())
        return counts[chapter - 1] if 1 <= chapter <= len(counts) else 0

    def check(self, book: Book, chapter: int, verse: int | None = None) -> None:
        """Raise InvalidReferenceError with an actionable message if the verse does not exist."""
        if book.osis not in self.chapters:
            raise InvalidReferenceError(f"{book.name} is not in the {self.name} versification")
        count = self.chapter_count(book)
        if not 1 <= chapter <= count:
            plural = "chapter" if count == 1 else "chapters"
            raise InvalidReferenceError(f"{book.name} has {count} {plural}")
        if verse == 0 and not self.has_title(book, chapter):
            raise InvalidReferenceError(f"{book.name} {chapter} has no title in {self.name}")
        if verse is not None and verse != 0:
            verses = self.verse_count(book, chapter)
            if not 1 <= verse <= verses:
                raise InvalidReferenceError(f"{book.name} {chapter} has {verses} verses")

    def total_verses(self) -> int:
        return sum(sum(counts) for counts in self.chapters.values())


def available_versifications() -> list[str]:
    folder = resources.files("manna.scripture.data").joinpath("versification")
    files = [p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")]
    return sorted([*files, *numbering_data()["derived"]])


@cache
def versification(name: str = "english") -> Versification:
    """A versification system by name (see available_versifications())."""
    derived = numbering_data()["derived"].get(name)
    if derived is not None:
        return _derived(name, derived)
    folder = resources.files("manna.scripture.data").joinpath("versification")
    path = folder.joinpath(f"{name}.json")
    if not path.is_file():
        known = ", ".join(available_versifications())
        raise InvalidReferenceError(f'unknown versification "{name}" (known: {known})')
    doc = json.loads(path.read_text())
    return Versification(
        name=doc["name"],
        description=doc["description"],
        chapters={osis: tuple(counts) for osis, counts in doc["books"].items()},
        titles=_titles(doc["name"]),
    )


def _derived(name: str, data: dict[str, Any]) -> Versification:
    """A numbering given in numbering.toml as another one's with some chapters' counts changed."""
    base = versification(data["base"])
    chapters = dict(base.chapters)
    for place, count in data["chapters"].items():
        osis, chapter = place.split()
        counts = list(chapters[osis])
        counts[int(chapter) - 1] = count
        chapters[osis] = tuple(counts)
    return Versification(name, data["description"], chapters, base.titles)


@cache
def numbering_data() -> dict[str, Any]:
    """data/numbering.toml: psalm titles and the rules that map one numbering to another."""
    text = resources.files("manna.scripture.data").joinpath("numbering.toml").read_text()
    return tomllib.loads(text)


def _titles(system: str) -> frozenset[tuple[str, int]]:
    titles = numbering_data()["titles"]
    if system not in titles["unnumbered_in"]:
        return frozenset()
    others = {(osis, int(chapter)) for osis, chapter in map(str.split, titles["others"])}
    return frozenset({("Ps", chapter) for chapter in titles["psalms"]} | others)

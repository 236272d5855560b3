"""Write src/manna/scripture/data/versification/*.json from pysword's canon tables.

Chapter and verse counts are facts; pysword carries them for the SWORD versification
systems. Run once when a system is added:  .venv/bin/python tools/gen_versification.py
Each file maps an OSIS book id to its list of verse counts, one per chapter, in canon order.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pysword.canons import canons

DATA = Path(__file__).resolve().parent.parent / "src" / "manna" / "scripture" / "data"

# Systems written, with a sentence saying what each one is.
SYSTEMS = {
    "kjv": "King James Version: the 66 books, the English Protestant versification.",
    "kjva": "King James Version with the Apocrypha.",
    "nrsva": "NRSV with the Apocrypha (used by the WEB 2015 SWORD module).",
    "nrsv": "NRSV: the 66 books in NRSV versification.",
    "catholic": "Catholic Bible (73 books, Vulgate-derived order).",
    "mt": "Hebrew (Masoretic) numbering of the Old Testament: psalm titles numbered as verses.",
    "vulg": "Latin Vulgate: the Greek and Latin numbering of the Psalms (Psalm 22 is 21).",
}


def osis_lookup() -> dict[str, str]:
    books = tomllib.loads((DATA / "books.toml").read_text())["book"]
    lookup = {}
    for book in books:
        lookup[book["osis"]] = book["osis"]
        for alias in book.get("osis_aliases", []):
            lookup[alias] = book["osis"]
    return lookup


def system_books(name: str, lookup: dict[str, str]) -> dict[str, list[int]]:
    table = canons[name]
    books = {}
    for testament in ("ot", "nt"):
        for _, osis, _, counts in table[testament]:
            if osis not in lookup:  # the Vulgate's Epistle to the Laodiceans
                print(f"{name}: {osis} is not in books.toml, left out")
                continue
            books[lookup[osis]] = list(counts)
    return books


def main() -> None:
    lookup = osis_lookup()
    out = DATA / "versification"
    out.mkdir(exist_ok=True)
    for name, description in SYSTEMS.items():
        books = system_books(name, lookup)
        write(out / f"{name}.json", name, description, books)
    # "english" is the default for parsing and the numbering every other one is mapped to
    # (data/numbering.toml): the KJV's 66 books, and the deuterocanon as the NRSVA numbers
    # it (the numbering English readers cite: 2 Esdras 7:36-105, Prayer of Manasseh 1-15).
    english = system_books("kjv", lookup)
    for osis, counts in system_books("nrsva", lookup).items():
        english.setdefault(osis, counts)
    # The NRSVA prints the Letter of Jeremiah as Baruch 6; people cite it as a book too.
    english.setdefault("EpJer", [english["Bar"][5]])
    write(
        out / "english.json",
        "english",
        "The KJV's numbering, the deuterocanon as the NRSVA numbers it (the default).",
        english,
    )


def write(path: Path, name: str, description: str, books: dict[str, list[int]]) -> None:
    doc = {"name": name, "description": description, "books": books}
    path.write_text(json.dumps(doc, indent=0, separators=(",", ":")) + "\n")
    print(f"wrote {path.name}: {len(books)} books, {sum(map(sum, books.values()))} verses")


if __name__ == "__main__":
    main()

"""Speed and memory of the engine, against the targets in issue 2.

- find_references on devotional prose (~1 reference per 200 characters): MB/s on one core
- get_passage of one verse, warm: microseconds
- `manna read "John 1:18"` from a cold process: milliseconds (best of 10)
- a one-word search over a whole translation, top 20, warm: milliseconds
- resident memory with one translation loaded: MB
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from manna.scripture import (
    canon,
    find_references,
    get_passage,
    open_store,
    parse_reference,
    search,
    versification,
)

SENTENCES = [
    "Moses asks to see the glory of God, and the answer comes in two parts.",
    "All of his goodness will pass before him, yet no one can see his face and live.",
    "Spend at least twenty minutes at the beginning and at the end of the day in quiet.",
    "The request begins as a plea for presence and ends as a longing to know.",
    "We are shown what we are ready for, and more as we grow in faith and practice.",
    "Mark my words: acts of kindness are the fruit of a heart that has been met.",
]
REFERENCES = [
    "Exodus 33:18",
    "see v.2",
    "Isaiah 43:1",
    "Colossians 2:9-10a",
    "2 Cor 3:18",
    "John 1:18",
    "vv. 12-23",
    "Psalm 23",
    "Romans 8:28-39",
    "1 John 4:7, 8",
]


def interleaved(size: int, sentence, reference) -> str:
    """About `size` characters of `sentence()`s with a `reference()` every ~200."""
    parts: list[str] = []
    length = since_ref = 0
    while length < size:
        if since_ref >= 200:
            piece, since_ref = reference(), 0
        else:
            piece = sentence()
            since_ref += len(piece) + 1
        parts.append(piece)
        length += len(piece) + 1
    return " ".join(parts)


def prose(size: int) -> str:
    """The devotional sentences above with a reference every ~200 characters, from a
    small set (the figure earlier sessions reported)."""
    rng = random.Random(7)
    return interleaved(size, lambda: rng.choice(SENTENCES), lambda: f"({rng.choice(REFERENCES)})")


def varied_prose(size: int) -> str:
    """Varied text: the KJV's own verses as prose (every word the Bible uses, names that
    are also books'), and every ~200 characters a reference to a random verse of any book,
    written any of the ways its names are (full, abbreviated, with a full stop), in any of
    the shapes people write ("C:V", "C:V-V", "C", "C:V, V", "chapter C", "v. V")."""
    rng = random.Random(11)
    store = open_store()
    verses = [v.text for v in store.verses(parse_reference("Genesis-Revelation"), "kjv")]
    v11n = versification("english")
    books = [b for b in canon().books if v11n.has_book(b)]
    spellings = {b.osis: _spellings(b) for b in books}

    def reference() -> str:
        book = rng.choice(books)
        chapter = rng.randint(1, v11n.chapter_count(book))
        last = v11n.verse_count(book, chapter)
        verse = rng.randint(1, last)
        name = rng.choice(spellings[book.osis])
        piece = [
            f"{name} {chapter}:{verse}",
            f"{name} {chapter}:{verse}-{min(last, verse + rng.randint(1, 5))}",
            f"{name} {chapter}",
            f"{name} {chapter}:{verse}, {min(last, verse + 2)}",
            f"{name} chapter {chapter}",
            f"v. {verse}",
        ][rng.randrange(6)]
        return rng.choice(["({})", "{}", "see {}", "{};"]).format(piece)

    return interleaved(size, lambda: rng.choice(verses), reference)


def _spellings(book) -> list[str]:
    """Every way books.toml writes a book's name, capitalised as people do, and the short
    ones also with a full stop ("Exod.", "1 Cor.")."""
    keys = [key for key, named in canon().names.items() if named is book]
    written = {key.title() for key in keys}
    written |= {f"{w}." for w in written if len(w.split()[-1]) <= 4}
    return sorted(written)


def bench_find(text: str) -> float:
    find_references(text[:10_000], "Exodus 33:12-23")  # warm caches
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        found = find_references(text, "Exodus 33:12-23")
        runs.append(time.perf_counter() - start)
    best = min(runs)
    mb = len(text.encode()) / 1e6
    print(
        f"find_references: {mb / best:.1f} MB/s ({mb:.1f} MB, {len(found)} references, "
        f"best of 5: {best * 1000:.0f} ms)   target >= 5 MB/s"
    )
    return mb / best


def bench_passage() -> None:
    ref = parse_reference("John 1:18")
    get_passage(ref, "kjv")
    n = 20_000
    start = time.perf_counter()
    for _ in range(n):
        get_passage(ref, "kjv")
    per = (time.perf_counter() - start) / n * 1e6
    print(f"get_passage one verse, warm: {per:.1f} us   target <= 50 us")


def bench_search() -> None:
    for word in ("glory", "God", "lord"):
        search(word, "kjv", limit=20)
        runs = []
        for _ in range(50):
            start = time.perf_counter()
            search(word, "kjv", limit=20)
            runs.append(time.perf_counter() - start)
        print(
            f"search {word!r} top 20, warm: median {statistics.median(runs) * 1000:.2f} ms, "
            f"max {max(runs) * 1000:.2f} ms   target <= 5 ms"
        )


def bench_cold_read() -> None:
    manna = Path(sys.executable).parent / "manna"
    runs = []
    for _ in range(10):
        start = time.perf_counter()
        subprocess.run([str(manna), "read", "John 1:18"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    print(
        f'manna read "John 1:18", cold process: best {min(runs) * 1000:.0f} ms, median '
        f"{statistics.median(runs) * 1000:.0f} ms   target <= 150 ms"
    )


def main() -> None:
    print("on the repeated sample:", end=" ")
    bench_find(prose(5_000_000))
    print("on varied prose:", end=" ")
    bench_find(varied_prose(5_000_000))
    bench_passage()
    bench_search()
    bench_cold_read()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak resident memory of this process (engine + kjv + 5 MB of text): {rss:.0f} MB   "
        "target < 100 MB"
    )


if __name__ == "__main__":
    main()

"""Devotion search on 10,000 devotions: PostgreSQL's full-text search (ranked, its GIN
index) beside SQLite's search of the columns as written.

    make bench-search

Each devotion's text is twelve verses of the KJV drawn at random (its title five words of
them), dated one a day, so the words and their frequencies are scripture's. The queries are
varied: one, two or three words from that vocabulary, common and rare. Each is run as the
search page runs it: the count, then the first page of 20. Prints the median and the 95th
percentile for each database (PostgreSQL as installed, and with random_page_cost 1.1, as
on an SSD), and the plan PostgreSQL chose for one query.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
DEVOTIONS, QUERIES, PAGE = 10_000, 300, 20


def fill_and_measure() -> None:
    """In a process whose DATABASE_URL is the database to measure (filled the first time)."""
    sys.path.insert(0, str(ROOT / "src"))
    from manna.site import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from manna.devotions.models import Devotion
    from manna.devotions.selectors import devotion_search
    from manna.scripture import open_store

    call_command("migrate", verbosity=0)
    rng = random.Random(20)
    verses = [v.text for v in open_store().verses(_whole_bible(), "kjv")]
    if not Devotion.objects.exists():
        Devotion.objects.bulk_create(_devotions(verses, rng), batch_size=500)
    setting = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE devotions_devotion")
            cursor.execute("SHOW random_page_cost")
            setting = f", random_page_cost {cursor.fetchone()[0]}"
    vocabulary = sorted({w.strip(",.;:?!()'").lower() for v in verses for w in v.split()})
    vocabulary = [w for w in vocabulary if w.isalpha() and len(w) > 3]
    ask = random.Random(21)  # the same queries on every database
    queries = [" ".join(ask.sample(vocabulary, ask.choice((1, 1, 2, 3)))) for _ in range(QUERIES)]
    queries[:5] = ["glory", "love", "faith hope", "mercy", "shepherd"]  # common words too
    times, found = [], 0
    for query in queries:
        began = time.perf_counter()
        results = devotion_search(query=query)
        count = results.count()
        page = list(results[:PAGE])
        times.append((time.perf_counter() - began) * 1000)
        found += count
        assert len(page) == min(count, PAGE)
    times.sort()
    print(
        f"{connection.vendor}{setting}: {DEVOTIONS:,} devotions, {QUERIES} queries: median "
        f"{statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, "
        f"max {times[-1]:.1f} ms (a query's count and first page; {found / QUERIES:.0f} "
        "devotions found a query on average)"
    )
    if connection.vendor == "postgresql":
        plan = devotion_search(query="glory").explain(analyze=True)
        print(
            "    the plan for 'glory': "
            + "; ".join(
                line.strip() for line in plan.splitlines() if "Scan" in line or "Execution" in line
            )
        )


def _devotions(verses: list[str], rng: random.Random) -> list:
    import datetime as dt

    from manna.devotions.models import Devotion

    rows = []
    for i in range(DEVOTIONS):
        text = " ".join(rng.sample(verses, 12))
        rows.append(
            Devotion(
                slug=f"d{i}",
                title=" ".join(text.split()[:5]).strip(",.;:").title(),
                date=dt.date(1990, 1, 1) + dt.timedelta(days=i),
                passage="Psalm 23",
                passage_osis="Ps.23",
                translation="kjv",
                source=text,
                body_html=f"<p>{text}</p>",
                passage_html="",
                plain_text=text,
                word_count=len(text.split()),
            )
        )
    return rows


def _whole_bible():
    from manna.scripture import parse_reference

    return parse_reference("Genesis 1:1-Revelation 22:21")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="manna-search-") as folder:
        sqlite = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        runs = [sqlite]
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            # PostgreSQL as installed, then as on an SSD (docs/deploy.md says why).
            ssd = {**os.environ, "PGOPTIONS": "-c random_page_cost=1.1"}
            runs[:0] = [dict(os.environ), ssd]
        else:
            print("no PostgreSQL (DATABASE_URL): run it as `make bench-search`")
        for env in runs:
            subprocess.run([BIN / "python", __file__, "--measure"], env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        fill_and_measure()
    else:
        main()

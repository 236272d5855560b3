"""A page's time in-process, page cache off: where bench/site.py's figures come from, without
a server or wrk in the way. For each page: its queries, and the best of 5 rounds of N
requests through Django's test client; `--profile PATH` prints cProfile's top functions.

    make bench-pages                       (the pages bench/site.py measures)
    .venv/bin/python bench/pages.py --profile /devotions/show-me-your-glory/ --signed-in

Uses the data directory of `manna init` ($MANNA_DATA_DIR), signed in as "bench-reader".
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("/devotions/show-me-your-glory/", False),
    ("/bible/kjv/Exod/33/", False),
    ("/offline/", False),
    ("/devotions/show-me-your-glory/", True),
    ("/", True),
    ("/practice/session/morning/", True),
    ("/bible/kjv/Exod/33/", True),
    ("/offline/", True),
]


def client(signed_in: bool):
    from django.conf import settings
    from django.test import Client

    browser = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    if signed_in:
        sys.path.insert(0, str(ROOT / "tools"))
        from signed_in import main as session_for

        browser.cookies[settings.SESSION_COOKIE_NAME] = session_for("bench-reader")
    return browser


def measure(path: str, signed_in: bool, rounds: int) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client(signed_in)
    first = browser.get(path)
    if first.status_code != 200:
        raise SystemExit(f"{path}: {first.status_code} (run `manna init` first)")
    with CaptureQueriesContext(connection) as queries:
        browser.get(path)
    count = len(queries.captured_queries)  # now: each request empties Django's query log
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(rounds):
            browser.get(path)
        best = min(best, (time.perf_counter() - began) / rounds * 1000)
    who = "signed in" if signed_in else "anonymous"
    return f"{path} ({who}): {best:.2f} ms, {count} queries"


def profile(path: str, signed_in: bool) -> None:
    browser = client(signed_in)
    browser.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(200):
        browser.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", metavar="PATH", help="profile one page instead")
    parser.add_argument("--signed-in", action="store_true", help="with --profile")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    os.environ["MANNA_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manna.settings")
    import django

    django.setup()
    if args.profile:
        profile(args.profile, args.signed_in)
        return
    for path, signed_in in PAGES:
        print(measure(path, signed_in, args.rounds), flush=True)


if __name__ == "__main__":
    main()

"""Site benchmarks: requests per second and p99 with wrk, of pages built afresh (no page
cache: anonymous and signed-in readers) and of pages from the anonymous page cache, against
nginx serving the same page as a static file in the same run; and `manna import` of 1,000
devotions.

    make bench-site        (needs wrk and nginx: apt-get install wrk nginx-light)

Each page is first loaded by wrk for 2 s, unmeasured (both server processes warm, as a
running site's are), then measured for 10 s. Signed-in requests carry the session cookie and
the CSRF cookie the site set with it, as a signed-in reader's browser does.

Uses the data directory of `manna init` ($MANNA_DATA_DIR); the import is timed against a
fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
CACHED_PORT, UNCACHED_PORT, NGINX_PORT = 8123, 8125, 8124
DEVOTION, CHAPTER = "/devotions/show-me-your-glory/", "/bible/kjv/Exod/33/"
# (what, path, signed in): each measured on the server with no page cache.
UNCACHED = [
    ("devotion page", DEVOTION, False),
    ("Bible chapter page", CHAPTER, False),
    ("devotion page, signed in", DEVOTION, True),
    ("home page, signed in", "/", True),
    ("session page, signed in", "/practice/session/morning/", True),
    ("Bible chapter page, signed in", CHAPTER, True),
]
CACHED = [("devotion page", DEVOTION), ("Bible chapter page", CHAPTER)]
UNCACHED_TARGET, CACHED_TARGET, P99_TARGET = 1000, 8000, 50.0


def wrk(url: str, cookie: str = "", seconds: int = 10) -> tuple[float, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: errors during the run\n{out}")
    return rps, float(p99.group(1)) * scale


def wait_for(url: str, cookie: str = "") -> bytes:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    for _ in range(100):
        try:
            with urllib.request.urlopen(request) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def csrf_cookie(url: str, cookie: str) -> str:
    """The CSRF cookie a signed-in page sets, as the reader's browser then keeps it."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                return header.split(";")[0].split("=", 1)[1]
    raise SystemExit(f"{url}: no CSRF cookie set for a signed-in reader")


def nginx(root: Path) -> subprocess.Popen[bytes]:
    conf = root / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 2;
error_log {root}/error.log;
pid {root}/nginx.pid;
user root;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  server {{
    listen 127.0.0.1:{NGINX_PORT};
    location / {{ root {root}/www; default_type text/html; }}
  }}
}}
"""
    )
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"])


def serve(port: int, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [BIN / "manna", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        env={**os.environ, "MANNA_WORKER": "0", **env},
    )


def verdict(rps: float, p99: float, target: float) -> str:
    return "ok" if rps >= target and p99 <= P99_TARGET else "BELOW TARGET"


def bench_pages() -> None:
    subprocess.run([BIN / "manna", "init"], check=True, stdout=subprocess.DEVNULL)
    tool = Path(__file__).resolve().parent.parent / "tools" / "signed_in.py"
    session = subprocess.run(
        [BIN / "python", tool, "bench-reader"], check=True, capture_output=True, text=True
    ).stdout.strip()
    # A signed-in reader's browser holds the CSRF cookie the site gave it with the session.
    cookie = f"sessionid={session}"
    servers = [serve(CACHED_PORT), serve(UNCACHED_PORT, MANNA_PAGE_CACHE_SECONDS="0")]
    root = Path(tempfile.mkdtemp(prefix="manna-nginx-"))
    try:
        (root / "www").mkdir()
        for name, path in CACHED:
            html = wait_for(f"http://127.0.0.1:{CACHED_PORT}{path}")
            (root / "www" / f"{name.replace(' ', '-')}.html").write_bytes(html)
        cookie += f"; csrftoken={csrf_cookie(f'http://127.0.0.1:{UNCACHED_PORT}/', cookie)}"
        for _, path, signed_in in UNCACHED:
            page = wait_for(f"http://127.0.0.1:{UNCACHED_PORT}{path}", cookie if signed_in else "")
            if signed_in and b"bench-reader" not in page:
                raise SystemExit(f"{path}: not signed in as bench-reader")
        static = nginx(root)
        try:
            wait_for(f"http://127.0.0.1:{NGINX_PORT}/devotion-page.html")
            print("wrk -t2 -c32 -d10s; manna serve --workers 2 (granian); this machine")
            for name, path, signed_in in UNCACHED:
                url = f"http://127.0.0.1:{UNCACHED_PORT}{path}"
                wrk(url, cookie * signed_in, seconds=2)  # both processes warm, not measured
                rps, p99 = wrk(url, cookie * signed_in)
                print(
                    f"uncached {name}: {rps:.0f} req/s, p99 {p99:.1f} ms (target >= "
                    f"{UNCACHED_TARGET}, p99 <= {P99_TARGET:.0f} ms) "
                    f"{verdict(rps, p99, UNCACHED_TARGET)}"
                )
            for name, path in CACHED:
                wrk(f"http://127.0.0.1:{CACHED_PORT}{path}", seconds=2)  # warm, not measured
                rps, p99 = wrk(f"http://127.0.0.1:{CACHED_PORT}{path}")
                srps, sp99 = wrk(f"http://127.0.0.1:{NGINX_PORT}/{name.replace(' ', '-')}.html")
                print(
                    f"cached {name}: {rps:.0f} req/s, p99 {p99:.1f} ms (target >= "
                    f"{CACHED_TARGET}) {verdict(rps, p99, CACHED_TARGET)}; nginx static copy "
                    f"{srps:.0f} req/s, p99 {sp99:.1f} ms; ratio Manna/nginx {rps / srps:.3f}"
                )
        finally:
            static.terminate()
            static.wait()
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)


def bench_import() -> None:
    folder = Path(tempfile.mkdtemp(prefix="manna-import-"))
    try:
        books = ["John 1:1-18", "Psalm 23", "Romans 8:28-39", "Isaiah 40:28-31", "Luke 15:11-32"]
        start_day = 700000  # proleptic ordinal: the year 1918
        import datetime as dt

        for i in range(1000):
            day = dt.date.fromordinal(start_day + i)
            (folder / f"d{i:04}.md").write_text(
                f"---\ntitle: Generated {i}\npassage: {books[i % len(books)]}\ndate: {day}\n"
                f"tags: [t{i % 10}]\nseries: S{i % 7}\n---\n\n"
                "See v.1 and Isaiah 43:1, John 3:16-18 and 2 Cor 3:18.\n\n"
                "## Practice\n\nPray.\n\n## Prayer\n\nAmen.\n",
                encoding="utf-8",
            )
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        subprocess.run([BIN / "manna", "admin", "migrate", "-v0"], check=True, env=env)
        began = time.perf_counter()
        out = subprocess.run(
            [BIN / "manna", "import", str(folder)],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        seconds = time.perf_counter() - began
        verdict = "ok" if seconds <= 30 else "BELOW TARGET"
        print(f"manna import of 1,000 devotions: {seconds:.1f} s ({out}) target <= 30 s {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install wrk nginx-light")
    bench_pages()
    bench_import()

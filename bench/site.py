"""Site benchmarks (issue 3): requests per second and p99 with wrk, against nginx serving
the same page as a static file in the same run, and `manna import` of 1,000 devotions.

    make bench-site        (needs wrk and nginx: apt-get install wrk nginx-light)

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
SITE_PORT, NGINX_PORT = 8123, 8124
PAGES = {
    "devotion page": ("/devotions/show-me-your-glory/", 800),
    "Bible chapter page": ("/bible/kjv/Exod/33/", 500),
}


def wrk(url: str) -> tuple[float, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", "-d10s", "--latency", url],
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


def wait_for(url: str) -> bytes:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


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


def bench_pages() -> None:
    subprocess.run([BIN / "manna", "init"], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [BIN / "manna", "serve", "--port", str(SITE_PORT), "--workers", "2"],
        stdout=subprocess.DEVNULL,
    )
    root = Path(tempfile.mkdtemp(prefix="manna-nginx-"))
    try:
        (root / "www").mkdir()
        for name, (path, _) in PAGES.items():
            html = wait_for(f"http://127.0.0.1:{SITE_PORT}{path}")
            (root / "www" / f"{name.replace(' ', '-')}.html").write_bytes(html)
        static = nginx(root)
        try:
            wait_for(f"http://127.0.0.1:{NGINX_PORT}/devotion-page.html")
            for name, (path, target) in PAGES.items():
                rps, p99 = wrk(f"http://127.0.0.1:{SITE_PORT}{path}")
                srps, sp99 = wrk(f"http://127.0.0.1:{NGINX_PORT}/{name.replace(' ', '-')}.html")
                verdict = (
                    "ok"
                    if rps >= target and (name != "devotion page" or p99 <= 50)
                    else "BELOW TARGET"
                )
                print(
                    f"{name}: {rps:.0f} req/s, p99 {p99:.1f} ms (target >= {target} req/s"
                    f"{', p99 <= 50 ms' if name == 'devotion page' else ''}) {verdict}; "
                    f"nginx static copy {srps:.0f} req/s, p99 {sp99:.1f} ms; "
                    f"ratio Manna/nginx {rps / srps:.3f}"
                )
        finally:
            static.terminate()
            static.wait()
    finally:
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

"""Two versions of the site side by side on this machine, at the same time: whether a change
made pages faster, when the machine's own speed swings by a third from one run to the next
(nginx serving a static file here measured between 75,000 and 125,000 req/s within an hour).

    make bench-compare REF=<commit>       (REF defaults to HEAD: the last commit against
                                           the working tree)

Both versions are served at once (`manna serve --workers 2`, page cache off), the other from
a temporary git worktree of REF. Each page of bench/site.py is then measured on one and the
other in turn, three rounds of 2 s unmeasured and 8 s measured, so a change in the machine's
speed falls on both alike. It prints each round's req/s and the ratio of the sums (above 1:
the working tree is faster). Both use the data directory of `manna init`: REF must be able
to read its database (no migration between them that REF's code cannot run on).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
REF_PORT, HERE_PORT = 8127, 8128


def _site() -> ModuleType:
    """bench/site.py (its name is the standard library's `site`: loaded by path)."""
    spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _started(site: ModuleType, url: str) -> None:
    for _ in range(6):  # up to a minute
        try:
            site.wait_for(url)
            return
        except SystemExit:
            continue
    raise SystemExit(f"{url} did not answer in a minute")


def main(ref: str) -> None:
    found = subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
    )
    if found.returncode != 0:
        raise SystemExit(
            f"REF={ref!r} is not a commit here: give a commit, tag or branch (git log)."
        )
    site = _site()
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "manna", "init"], check=True, stdout=subprocess.DEVNULL)
    session = subprocess.run(
        [bin_dir / "python", ROOT / "tools" / "signed_in.py", "bench-reader"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = Path(tempfile.mkdtemp(prefix="manna-compare-")) / "ref"
    subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", "-q", tree, ref], check=True)
    servers = []
    try:
        off = {"MANNA_PAGE_CACHE_SECONDS": "0"}
        servers = [
            site.serve(REF_PORT, PYTHONPATH=str(tree / "src"), **off),
            site.serve(HERE_PORT, **off),
        ]
        cookie = f"sessionid={session}"
        first = f"http://127.0.0.1:{HERE_PORT}/"
        for port in (REF_PORT, HERE_PORT):  # a fresh worktree's first start takes a while
            _started(site, f"http://127.0.0.1:{port}/healthz")
        cookie += f"; csrftoken={site.csrf_cookie(first, cookie)}"
        print(f"{ref} (port {REF_PORT}) against the working tree (port {HERE_PORT}); req/s")
        for name, path, signed_in in site.UNCACHED:
            sent = cookie if signed_in else ""
            figures: dict[int, list[float]] = {REF_PORT: [], HERE_PORT: []}
            for port in figures:
                site.wait_for(f"http://127.0.0.1:{port}{path}", sent)
            for _ in range(ROUNDS):
                for port, runs in figures.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    site.wrk(url, sent, seconds=2)
                    runs.append(site.wrk(url, sent, seconds=8)[0])
            before, after = figures[REF_PORT], figures[HERE_PORT]
            print(
                f"{name}: {ref} {' '.join(f'{r:.0f}' for r in before)}; "
                f"working tree {' '.join(f'{r:.0f}' for r in after)}; "
                f"ratio {sum(after) / sum(before):.3f}"
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", tree], check=False)
        shutil.rmtree(tree.parent, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("REF", "HEAD"))

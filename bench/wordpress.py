"""The WordPress import's benchmark (issue 18): an export of 5,000 posts with 50,000 comments
imported into a fresh site in <= 60 s, in bounded memory.

    make bench-wordpress

The export is written here, varied: each post's passage a different chapter of the
Bible, its title in capitals or not, classic-editor or block-editor markup, paragraphs
drawn from the sample week with references of every shape, a quotation, shortcodes; ten
comments a post, threaded, some pending, spam and pingbacks. Everything lives in a
temporary folder (a SQLite database, the KJV store).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
POSTS, COMMENTS_EACH = 5_000, 10
TARGET_SECONDS = 60


def paragraphs() -> list[str]:
    """The sample week's paragraphs, as prose: those with references of every shape but
    relative ones ("v. 18" means a verse of its own devotion's passage, which a post made
    of paragraphs from several devotions does not share)."""
    found = []
    for path in sorted((ROOT / "src" / "manna" / "sample").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            relative = re.search(r"\b(vv?\.|[Vv]erses?)\s?\d", block)
            if block and not relative and not block.startswith((":::", "#", ">", "**")):
                found.append(" ".join(block.split()))
    return found


def write_export(path: Path) -> None:
    from manna.scripture import books
    from manna.scripture.canon import versification
    from manna.wordpress.tests.conftest import comment, export, item

    rng = random.Random(18)
    prose = paragraphs()
    english = versification()
    chapters = [
        (b.name, c)
        for b in books()
        if b.testament != "DC"
        for c in range(1, english.chapter_count(b) + 1)
        # long enough for the sample week's relative references ("v. 22", "vv. 12-23")
        if english.verse_count(b, c) >= 30
    ]
    rng.shuffle(chapters)
    day = dt.date(2012, 1, 1)
    items = []
    comment_id = 1
    for n in range(POSTS):
        book, chapter = chapters[n % len(chapters)]
        title = f"{book} {chapter}:1-{rng.randint(2, 9)} " + rng.choice(
            ["The more we commune", "A still small voice", "Seeing God", "One thing"]
        )
        if rng.random() < 0.3:
            title = title.upper()
        chosen = rng.sample(prose, 4)
        if rng.random() < 0.5:
            content = "\n\n".join(chosen) + "\n\n<blockquote>Fear not - Isaiah 43:1</blockquote>"
        else:
            content = "".join(
                f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->\n\n" for p in chosen
            )
        if rng.random() < 0.1:
            content += (
                '\n\n[caption id="1"]<img src="/wp-content/uploads/a.jpg" /> A picture[/caption]'
            )
        comments = []
        first = comment_id
        for k in range(COMMENTS_EACH):
            approved = rng.choice(["1"] * 7 + ["0", "spam", "trash"])
            kind = "pingback" if k == 9 else "comment"
            comments.append(
                comment(
                    comment_id,
                    rng.choice(prose)[: rng.randint(40, 400)] + f" (see v. {rng.randint(1, 9)})",
                    author=f"Reader {rng.randint(1, 3000)}",
                    email=f"reader{rng.randint(1, 3000)}@example.org",
                    approved=approved,
                    parent=first if k in (3, 6) else 0,
                    kind=kind,
                    date=f"{day} {8 + k:02d}:00:00",
                )
            )
            comment_id += 1
        items.append(
            item(
                n + 1,
                title,
                content,
                slug=f"post-{n + 1}",
                date=f"{day} 06:00:00",
                terms=(
                    ("category", "devotions", "Devotions"),
                    ("post_tag", f"t{n % 50}", f"t{n % 50}"),
                ),
                comments=tuple(comments),
            )
        )
        day += dt.timedelta(days=1)
    path.write_text(export(*items), encoding="utf-8")


def run_measured(
    command: list[Path | str], env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], tuple[float, float]]:
    """Run the command; also its peak resident memory, and that of it and its children
    together (the worker processes), sampled from /proc while it runs."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        alone = together = 0.0
        while process.poll() is None:
            main_mb = _resident_mb(process.pid)
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            kids = children.read_text().split() if children.exists() else []
            alone = max(alone, main_mb)
            together = max(together, main_mb + sum(_resident_mb(int(k)) for k in kids))
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return done, (alone, together)


def _resident_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it has just ended
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="manna-wordpress-"))
    try:
        env = {**os.environ, "MANNA_DATA_DIR": str(folder), "MANNA_SECRET_KEY": "bench " * 8}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [BIN / "manna", "import-bible", "kjv"], check=True, env=env, stdout=subprocess.DEVNULL
        )
        subprocess.run([BIN / "manna", "admin", "migrate", "-v0"], check=True, env=env)
        export_path = folder / "export.xml"
        write_export(export_path)
        size = export_path.stat().st_size
        began = time.perf_counter()
        done, peaks = run_measured([BIN / "manna", "import-wordpress", str(export_path)], env)
        seconds = time.perf_counter() - began
        tail = [line for line in done.stdout.splitlines() if not line.startswith(("post ", "  "))]
        print("\n".join(tail[-6:]))
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
        verdict = "ok" if seconds <= TARGET_SECONDS else "ABOVE TARGET"
        print(
            f"{POSTS:,} posts, {POSTS * COMMENTS_EACH:,} comments ({size / 1e6:.1f} MB): "
            f"imported in {seconds:.1f} s (target <= {TARGET_SECONDS} s) {verdict}; "
            f"memory (resident, sampled every 0.2 s): the importing process at most "
            f"{peaks[0]:.0f} MB, with its worker processes at most {peaks[1]:.0f} MB together"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

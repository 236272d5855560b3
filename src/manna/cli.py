"""The `manna` command. Commands only read their options and call plain functions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from manna.scripture.errors import ScriptureError

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """An error the person can act on: printed as one line, exit code 2, no traceback."""

    exit_code = 2


def friendly(command: F) -> F:
    """Turn engine errors into one-line messages with exit code 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScriptureError as err:
            raise Failure(str(err)) from None

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(package_name="manna")
def main() -> None:
    """Manna: a scripture-aware daily-devotional platform."""


@main.command()
@click.argument("reference")
@click.option(
    "-t",
    "--translation",
    default="kjv",
    show_default=True,
    help="Translation code (see `manna translations`).",
)
@click.option("--parallel", metavar="CODE,CODE", help="Show these translations side by side.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def read(reference: str, translation: str, parallel: str | None, as_json: bool) -> None:
    """Print the verses of REFERENCE, e.g. "Exodus 33:12-23"."""
    from manna.scripture import open_store, parse_in, passages_in_each

    codes = [c.strip() for c in parallel.split(",") if c.strip()] if parallel else [translation]
    store = open_store()
    # Read in the (first) translation's own numbering, then each one's own numbering.
    first = store.translation(codes[0])
    ref = parse_in(reference, first.code)
    passages = passages_in_each(store, ref, first.versification, codes)
    if as_json:
        click.echo(json.dumps([_passage_json(p) for p in passages], ensure_ascii=False, indent=2))
        return
    if len(passages) == 1:
        _print_passage(passages[0])
    else:
        _print_parallel(passages)


def _passage_json(passage: Any) -> dict[str, Any]:
    return {
        "reference": passage.reference.human(),
        "osis": passage.reference.osis(),
        "translation": passage.translation.code,
        "verses": [
            {
                "osis": f"{v.book.osis}.{v.chapter}.{v.number}",
                "book": v.book.osis,
                "chapter": v.chapter,
                "verse": v.number,
                "title": v.is_title,  # a psalm's title, its verse 0
                "text": v.text,
                "html": v.html,
            }
            for v in passage.verses
        ],
    }


def _print_passage(passage: Any) -> None:
    click.echo(f"{passage.reference.human()} ({passage.translation.code.upper()})")
    chapter = None
    for v in passage.verses:
        if chapter is not None and v.chapter != chapter:
            click.echo(f"\n{v.book.name} {v.chapter}")
        chapter = v.chapter
        click.echo(f"{_verse_label(v, v.chapter):>3} {v.text}")
    if not passage.verses:
        click.echo(f"  ({passage.translation.name} has no text for this passage)")


def _verse_label(verse: Any, chapter: int) -> str:
    """A verse's number, with its chapter when that differs from `chapter`; a psalm's
    title is printed unnumbered."""
    if verse.is_title:
        return "" if verse.chapter == chapter else f"{verse.chapter}:title"
    return str(verse.number) if verse.chapter == chapter else f"{verse.chapter}:{verse.number}"


def _print_parallel(passages: list[Any]) -> None:
    """The first translation's verses, each with the other translations' verses that hold
    it, numbered as each numbers them where that differs ("Joel 2:28" beside "3:1")."""
    from manna.scripture import line_up

    written = {p.reference.human() for p in passages}
    if len(written) == 1:  # numbered alike
        codes = ", ".join(p.translation.code.upper() for p in passages)
        click.echo(f"{passages[0].reference.human()} ({codes})")
    else:
        click.echo(
            " / ".join(f"{p.reference.human()} ({p.translation.code.upper()})" for p in passages)
        )
    first, others = passages[0], passages[1:]
    for line in line_up(first, others):
        chapter = line.verse.chapter
        label = _verse_label(line.verse, chapter)
        click.echo(f"{label:>3} {first.translation.code.upper():<5} {line.verse.text}")
        for other, verses in zip(others, line.beside, strict=True):
            code = other.translation.code.upper()
            if not verses:
                click.echo(f"{'':>3} {code:<5} (not in {code})")
            for v in verses:
                same = v.chapter == chapter and v.number == line.verse.number
                number = "" if same else f"[{_verse_label(v, -1)}] "
                click.echo(f"{'':>3} {code:<5} {number}{v.text}")


@main.command()
@click.argument("query")
@click.option("-t", "--translation", default="kjv", show_default=True)
@click.option(
    "--in",
    "within",
    metavar="REF",
    help='Restrict to a reference or testament ("John", "Romans 5-8", "OT", "NT").',
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def search(
    query: str, translation: str, within: str | None, limit: int, page: int, as_json: bool
) -> None:
    """Search a translation: words, "exact phrases", prefix*, AND/OR/NOT. Spellings fold
    ("Caesar" finds "Cæsar", "Bethel" finds "Beth-el"); --in is read in the translation's
    numbering."""
    from manna.scripture import open_store

    store = open_store()
    offset = (page - 1) * limit
    hits = store.search(query, translation, within, limit, offset)
    if as_json:
        rows = [
            {
                "osis": h.reference.osis(),
                "reference": h.reference.human(),
                "snippet": h.snippet_text("<mark>", "</mark>"),
                "score": round(h.score, 4),
            }
            for h in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for h in hits:
        click.echo(f"{h.reference.human():<24} {h.snippet_text()}")
    total = store.count(query, translation, within)
    if not hits:
        click.echo(
            "no verses found" + (f" on page {page} ({total} in all)" if total else ""), err=True
        )
    elif total > len(hits):
        shown = f"{offset + 1}-{offset + len(hits)}"
        more = f"; --page {page + 1} for more" if total > offset + len(hits) else ""
        click.echo(f"verses {shown} of {total}{more}", err=True)


@main.command()
@click.argument("source", default="-", type=click.File("r", encoding="utf-8"))
@click.option("--context", metavar="REF", help="The passage relative references refer to.")
@click.option(
    "--jsonl",
    is_flag=True,
    help='Each input line is {"text": ..., "context": ...}; print one JSON line each.',
)
@friendly
def refs(source: Any, context: str | None, jsonl: bool) -> None:
    """Print every reference found in SOURCE (a file, or - for standard input)."""
    from manna.scripture import find_references

    if not jsonl:
        for m in find_references(source.read(), context):
            click.echo(f"{m.start}-{m.end}\t{m.osis()}\t{m.text}")
        return
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        item = _jsonl_item(line, number)
        matches = find_references(item["text"], item.get("context") or context)
        click.echo(
            json.dumps(
                {
                    "osis": ",".join(m.osis() for m in matches),
                    "matches": [
                        {"start": m.start, "end": m.end, "text": m.text, "osis": m.osis()}
                        for m in matches
                    ],
                },
                ensure_ascii=False,
            )
        )


def _jsonl_item(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as err:
        raise Failure(
            f'line {number}: not JSON ({err.msg}) - each line must be like {{"text": "..."}}'
        ) from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise Failure(
            f'line {number}: needs a "text" string - each line must be like '
            '{"text": "...", "context": "Exodus 33:12-23"}'
        )
    return item


@main.command()
@friendly
def translations() -> None:
    """List the installed translations with their verse counts, sources and checksums
    (SHA-256 of the stored words: the same on every server that shows the same text)."""
    from manna.scripture import open_store

    store = open_store()
    rows = store.translations()
    if not rows:
        click.echo("no translations installed - run `manna import-bible --all`")
    for t in rows:
        notes = f"  [{t.notes}]" if t.notes else ""
        click.echo(
            f"{t.code:<7} {t.verse_count:>6} verses  {t.versification:<7} {t.name} "
            f"- {t.source}{notes}  sha256:{store.checksum(t.code)[:16]}"
        )


@main.command()
@click.option("--versification", "system", default="english", show_default=True)
@friendly
def books(system: str) -> None:
    """List the books of the canon with their OSIS ids and chapter counts."""
    from manna.scripture import books as all_books
    from manna.scripture import versification

    v11n = versification(system)
    for b in all_books():
        if v11n.has_book(b):
            click.echo(f"{b.osis:<7} {b.testament}  {v11n.chapter_count(b):>3}  {b.name}")


@main.command("import-bible")
@click.argument("codes", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every packaged public-domain translation.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Skip translations already in the store (imported again when the importers changed).",
)
@click.option("--sword", metavar="MODULE", help="Import an installed SWORD module (e.g. KJV).")
@click.option(
    "--sword-path",
    type=click.Path(file_okay=False, path_type=Path),
    help="SWORD library folder holding mods.d/ (default: the system's).",
)
@click.option("--osis", type=click.Path(dir_okay=False, path_type=Path), help="An OSIS XML file.")
@click.option(
    "--code", help="Code for a SWORD or OSIS import (default: the SWORD module's id in lower case)."
)
@click.option("--name", help="Name for an OSIS import.")
@click.option(
    "--versification",
    "system",
    default="kjv",
    show_default=True,
    help="Versification of an OSIS file.",
)
@friendly
def import_bible(
    codes: tuple[str, ...],
    all_: bool,
    if_missing: bool,
    sword: str | None,
    sword_path: Path | None,
    osis: Path | None,
    code: str | None,
    name: str | None,
    system: str,
) -> None:
    """Import translations into the local store (verified; all or nothing per translation).

    CODES are packaged translations: kjv, web, asv, ylt, darby.
    """
    from manna.scripture import importers
    from manna.scripture.store import Store, store_path

    if not (codes or all_ or sword or osis):
        raise Failure(
            "nothing to import - name translations ("
            + ", ".join(importers.PACKAGED)
            + "), or use --all, --sword MODULE or --osis FILE"
        )
    if osis and not code:
        raise Failure("--osis needs --code (a short lower-case name such as mybible)")
    store = Store(store_path(), create=True)
    for c in (list(importers.PACKAGED) if all_ else []) + list(codes):
        if if_missing and store.up_to_date(c):
            click.echo(f"{c}: already in the store")
            continue
        click.echo(importers.import_packaged(store, c).summary())
    if sword:
        click.echo(importers.import_sword(store, sword, code=code, path=sword_path).summary())
    if osis:
        assert code is not None  # checked above
        report = importers.import_osis(
            store, osis, code=code, name=name or code.upper(), versification_name=system
        )
        click.echo(report.summary())


# --- the site -------------------------------------------------------------------------


SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


@main.command()
@click.option("--no-sample", is_flag=True, help="Do not load the sample devotions.")
@friendly
def init(no_sample: bool) -> None:
    """Create or migrate the database, build the scripture store, load the sample content."""
    from manna.site import site_init

    for line in site_init(sample=None if no_sample else SAMPLE_DIR):
        click.echo(line)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@friendly
def serve(host: str, port: int, workers: int) -> None:
    """Serve the site with granian (static files by WhiteNoise), and one worker beside it."""
    from manna.site import site_serve

    site_serve(host=host, port=port, workers=workers)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@friendly
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """Check devotion files (or folders of them); print file:line:col: severity: message."""
    from manna.config import default_translation
    from manna.devotions.check import check_files, depth_summary
    from manna.scripture import open_store

    results = check_files(
        list(paths), store=open_store(), default_translation=default_translation()
    )
    errors = warnings = 0
    for checked in results:
        for problem in checked.problems:
            click.echo(problem.format(str(checked.path)))
            errors += problem.severity == "error"
            warnings += problem.severity == "warning"
        if checked.rendered is not None:
            click.echo(f"{checked.path}: depths: {depth_summary(checked.rendered)}")
    click.echo(
        f"{len(results)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True
    )
    if errors or (strict and warnings):
        sys.exit(1)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite devotions edited on the site since.")
@friendly
def import_(paths: tuple[Path, ...], force: bool) -> None:
    """Load devotion files or folders into the site (again: updates, never duplicates).
    A devotion edited on the site since its file was last imported is not overwritten
    (--force overwrites it)."""
    from manna.site import setup_django

    setup_django()
    from manna.devotions.services import devotion_import_paths

    report = devotion_import_paths(paths=list(paths), force=force)
    for checked in report.refused:
        for problem in checked.problems:
            if problem.severity == "error":
                click.echo(problem.format(str(checked.path)))
    click.echo(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.refused)} refused, "
        f"{report.warnings} warning(s)"
    )
    if report.refused:
        sys.exit(1)


@main.command("import-wordpress")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be imported; change nothing.")
@click.option("--as-drafts", is_flag=True, help="Every post as a draft, to review first.")
@click.option("--force", is_flag=True, help="Overwrite devotions edited in Manna since.")
@click.option("--strict", is_flag=True, help="A post refused stops the import; nothing kept.")
@click.option(
    "--categories",
    type=click.Choice(["tags", "series"]),
    default="tags",
    show_default=True,
    help="What WordPress categories become (series: a post's first category).",
)
@click.option(
    "--media",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A copy of the blog's wp-content/uploads: its pictures are kept and served here.",
)
@click.option("--skip-spam", is_flag=True, help="Leave spam and trashed comments out.")
@click.option(
    "--jobs",
    type=click.IntRange(0, 64),
    help="Worker processes preparing posts (default: one a core, at most 4, from 50 posts).",
)
@friendly
def import_wordpress(export: Path, **choices: object) -> None:
    """Bring a WordPress export's posts in as devotions (Tools > Export > All content;
    see docs/wordpress.md). Again: changes nothing, updates what changed in WordPress."""
    from manna.site import site_import_wordpress

    try:
        lines, refused = site_import_wordpress(export, **choices)
    except ValueError as err:
        raise Failure(str(err)) from None
    for line in lines:
        click.echo(line)
    if refused:
        sys.exit(1)


@main.command("export")
@click.argument("slugs", nargs=-1)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--all", "all_", is_flag=True, help="Every devotion, drafts included.")
@click.option("--force", is_flag=True, help="Overwrite files with changes never imported.")
@friendly
def export(slugs: tuple[str, ...], folder: Path, all_: bool, force: bool) -> None:
    """Write devotions out as files, FOLDER/<date>-<slug>.md: SLUGS, or --all."""
    from manna.site import site_export

    if not slugs and not all_:
        raise Failure("name the devotions to export (their slugs), or give --all")
    try:
        report = site_export(slugs=list(slugs), folder=folder, force=force)
    except ValueError as err:
        raise Failure(str(err)) from None
    for message in report.refused:
        click.echo(message)
    click.echo(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.refused)} refused"
    )
    if report.refused:
        sys.exit(1)


@main.command("admin", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def admin(args: tuple[str, ...]) -> None:
    """Django's management commands, e.g. `manna admin createsuperuser`."""
    from django.core.management import execute_from_command_line

    from manna.site import setup_django

    setup_django()
    execute_from_command_line(["manna admin", *args])


# The options of the commands that send what is due.
_dry_run = click.option(
    "--dry-run", is_flag=True, help="List what is due without sending anything."
)
_now = click.option(
    "--now",
    "now_text",
    metavar="ISO-TIME",
    help="Act as if it were this moment (UTC unless an offset is given), for checking.",
)


@main.command()
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option(
    "--threads",
    default=1,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Tasks run at once by this worker (more for a distant mail server; see docs/email.md).",
)
def worker(once: bool, threads: int) -> None:
    """Run the queue: every email, the edition at each subscriber's hour and the practice
    reminders, sent as they come due (what `manna serve` runs beside the site; run more
    on other machines with MANNA_QUEUE_URL=redis://...)."""
    from manna.site import site_worker

    try:
        for line in site_worker(once=once, threads=threads):
            click.echo(line)
    except ValueError as err:
        raise click.ClickException(str(err)) from None


@main.command("send-editions")
@_dry_run
@_now
def send_editions(dry_run: bool, now_text: str | None) -> None:
    """Send each subscriber's edition whose local hour has come, once. Run it every few
    minutes from cron or a systemd timer; missed editions go out late, once."""
    from manna.site import site_send_editions

    for line in site_send_editions(now=_moment(now_text), dry_run=dry_run):
        click.echo(line)


@main.group()
def subscribers() -> None:
    """Move the email edition's list in and out (CSV)."""


@subscribers.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def subscribers_export(path: Path) -> None:
    """Write every subscriber to PATH: email, depth, send_at, time_zone, consented,
    confirmed, state."""
    from manna.site import site_subscribers_export

    click.echo(f"{site_subscribers_export(path)} subscribers written to {path}")


@subscribers.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--confirmed",
    is_flag=True,
    help="Take them as confirmed at their `consented` date (they agreed elsewhere); logged.",
)
def subscribers_import(path: Path, confirmed: bool) -> None:
    """Add the subscribers of a CSV (an `email` column; depth, send_at, time_zone and
    consented if known). Without --confirmed each is emailed the confirmation link."""
    from manna.site import site_subscribers_import

    result = site_subscribers_import(path, confirmed=confirmed)
    for problem in result.problems:
        click.echo(f"{path}:{problem}")
    how = "confirmed" if confirmed else "each sent the confirmation link"
    click.echo(
        f"{result.added} added ({how}), {result.already} already here, "
        f"{len(result.problems)} refused"
    )
    if result.problems:
        sys.exit(1)


@main.command("send-test")
@click.argument("slug")
@click.argument("email")
@click.option(
    "--depth", default="walk", show_default=True, type=click.Choice(["glimpse", "walk", "study"])
)
def send_test(slug: str, email: str, depth: str) -> None:
    """Email the edition of a devotion to EMAIL, as its subscribers at DEPTH will get it."""
    from manna.site import site_send_test

    try:
        click.echo(site_send_test(slug=slug, email=email, depth=depth))
    except ValueError as err:
        raise Failure(str(err)) from None


@main.command()
@click.argument("email")
@click.argument("role", type=click.Choice(["reader", "author", "moderator", "admin"]))
def role(email: str, role: str) -> None:
    """Give an account a role: reader, author (the devotion editor), moderator, admin."""
    from manna.site import site_set_role

    try:
        click.echo(site_set_role(email=email, role=role))
    except ValueError as err:
        raise Failure(str(err)) from None


@main.command("send-reminders")
@_dry_run
@_now
def send_reminders(dry_run: bool, now_text: str | None) -> None:
    """Email the morning and evening reminders that are due. Run it every 5-15 minutes
    from cron or a systemd timer; each reminder is sent once."""
    from manna.site import site_send_reminders

    lines = site_send_reminders(now=_moment(now_text), dry_run=dry_run)
    for line in lines:
        click.echo(("would send: " if dry_run else "sent: ") + line)
    click.echo(
        f"{len(lines)} reminder{'s' if len(lines) != 1 else ''} {'due' if dry_run else 'sent'}."
    )


def _moment(now_text: str | None) -> Any:
    """--now: a moment (UTC unless it says otherwise), or None for now."""
    import datetime as dt

    if not now_text:
        return None
    try:
        now = dt.datetime.fromisoformat(now_text)
    except ValueError:
        raise Failure(
            f'--now "{now_text}" is not a date and time; write e.g. 2026-11-24T06:30Z'
        ) from None
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)


# Last, so that every command above is defined when `python -m manna.cli` runs.
if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

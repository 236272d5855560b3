"""Plain functions behind `manna init` and `manna serve`."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from manna.config import envbool


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manna.settings")
    django.setup()


def site_init(*, sample: Path | None) -> Iterator[str]:
    """Migrate the database, build the scripture store, load the sample devotions."""
    from manna.scripture.importers import PACKAGED, import_packaged
    from manna.scripture.store import Store, store_path

    path = store_path()
    store = Store(path, create=True)
    have = {t.code for t in store.translations()}
    for code in PACKAGED:
        if code not in have:
            yield f"importing {code} into {path}"
            import_packaged(store, code)
    store.close()

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    yield f"database ready: {_database_label(settings.DATABASES['default'])}"
    call_command("collectstatic", interactive=False, verbosity=0)
    if sample is not None:
        from manna.devotions.services import devotion_import_paths

        report = devotion_import_paths(paths=[sample])
        yield (
            f"sample devotions: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.refused)} refused"
        )
        for checked in report.refused:
            for problem in checked.problems:
                yield problem.format(str(checked.path))


def _database_label(db: dict[str, object]) -> str:
    if "sqlite" in str(db["ENGINE"]):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('NAME')} on {db.get('HOST') or 'localhost'}"


def site_serve(*, host: str, port: int, workers: int) -> None:
    """Serve the site with granian until stopped (Ctrl-C, SIGTERM), and beside it one
    `manna worker` that sends editions and reminders when due (MANNA_WORKER=0: none)."""
    from granian import Granian
    from granian.constants import Interfaces

    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings

    # Each server process counts its requests in files here; /metrics adds them up.
    metrics = Path(settings.DATA_DIR) / f"metrics-{port}"
    shutil.rmtree(metrics, ignore_errors=True)
    metrics.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    server = Granian(
        "manna.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        # Django is synchronous: one request at a time in each process (its GIL would
        # make more threads wait, not work); the server reads and queues the rest.
        blocking_threads=1,
        websockets=False,
        log_access=envbool("MANNA_ACCESS_LOG"),
        log_dictconfig=settings.LOGGING,  # text or JSON lines, as the site's
        respawn_failed_workers=True,
        workers_kill_timeout=30,  # requests at hand finish when stopped, within this
    )
    print(f"Manna at http://{host}:{port}/ ({workers} workers); Ctrl-C stops it", flush=True)
    with worker_beside():
        server.serve()


@contextlib.contextmanager
def worker_beside() -> Iterator[subprocess.Popen[bytes] | None]:
    """One `manna worker` for as long as the site is served (unless MANNA_WORKER=0), so
    the embedded default needs no cron; stopped (SIGTERM: its task at hand finishes) after."""
    if not envbool("MANNA_WORKER", True):
        yield None
        return
    worker = subprocess.Popen([sys.executable, "-m", "manna", "worker"])
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def site_worker(*, once: bool = False, threads: int = 1, clock: Any = None) -> Iterator[str]:
    """Run the queue's worker (manna.queue) until told to stop (SIGTERM, SIGINT): it sends
    each email as it is saved, and every minute plans and sends the editions and reminders
    that have come due. With `once`, do all that is due now in this process and return;
    yields what was done. (`clock`: the time, for tests.)"""
    import logging

    setup_django()
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")  # each app's tasks.py registers its tasks
    from manna.edition.delivery import send_editions
    from manna.queue import outbox
    from manna.queue.engine import queue, submit

    if once:
        from django.utils import timezone

        from manna.practice.reminders import send_reminders

        now = clock() if clock is not None else dt.datetime.now(dt.UTC)
        for due in send_reminders(now):
            yield f"sent reminder: {_reminder_line(due)}"
        yield from send_editions(now).lines
        # The emails queued are due now, whatever `clock` says: one flush for them all.
        for outcome, count in sorted(outbox.send_due(timezone.now(), fresh_too=True).items()):
            yield f"emails {outcome}: {count}"
        return
    huey = queue()
    if huey.immediate:
        raise ValueError(
            "MANNA_QUEUE_URL=immediate runs tasks where they are queued: there is no queue "
            "for a worker to run; unset it (SQLite) or set redis://..."
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("huey").setLevel(logging.WARNING)  # not a line per task
    from manna.edition.tasks import plan_editions
    from manna.practice.tasks import send_reminders_due
    from manna.queue.tasks import sweep_outbox

    # What came due while no worker ran goes out now, not at the next minute.
    for periodic in (sweep_outbox, plan_editions, send_reminders_due):
        submit(periodic)
    # A thread back from the mail server marks the delivery sent at once, not after up to
    # 5 ms of another thread's rendering: the instant a killed worker leaves in doubt.
    sys.setswitchinterval(0.0005)
    # SIGTERM (systemd, `manna serve`) lets the tasks at hand finish: a worker stopped in
    # the middle of handing over a message might send it again once restarted.
    huey.create_consumer(
        workers=threads,
        worker_type="thread",
        initial_delay=0.05,
        max_delay=1.0,
        graceful_signal="TERM",
    ).run()
    return
    yield  # a generator, like `once`


def flush_outbox() -> None:
    """Hand the emails this command queued to the mail server before it returns (a worker
    would send them too; whichever claims one first sends it), so that cron alone works."""
    from django.utils import timezone

    from manna.queue import outbox

    outbox.send_due(timezone.now(), fresh_too=True)


def site_export(*, slugs: list[str], folder: Path, force: bool = False) -> Any:
    """Write the devotions with these slugs (all of them when none is given) to `folder`.
    ValueError names a slug no devotion has."""
    setup_django()
    from manna.devotions.models import Devotion
    from manna.devotions.services import devotion_export

    devotions = list(Devotion.objects.order_by("date", "slug"))
    if slugs:
        by_slug = {d.slug: d for d in devotions}
        unknown = [s for s in slugs if s not in by_slug]
        if unknown:
            raise ValueError(f"no devotion has the slug {', '.join(unknown)} - see the archive")
        devotions = [by_slug[s] for s in slugs]
    return devotion_export(devotions=devotions, folder=folder, force=force)


def site_send_editions(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Send the editions due at `now` (see manna.edition.delivery); one line each, and a
    count."""
    setup_django()
    from manna.edition.delivery import send_editions

    report = send_editions(now or dt.datetime.now(dt.UTC), dry_run=dry_run)
    if dry_run:
        return [*report.lines, f"{report.planned} to send"]
    summary = (
        f"{report.planned} planned, {report.sent} sent, {report.retried} to retry, "
        f"{report.failed} failed"
    )
    return [*report.lines, summary]


def site_subscribers_export(path: Path) -> int:
    setup_django()
    from manna.edition.services import subscribers_export

    with path.open("w", encoding="utf-8", newline="") as out:
        return subscribers_export(out)


def site_subscribers_import(path: Path, *, confirmed: bool) -> Any:
    setup_django()
    from manna.edition.services import subscribers_import

    with path.open(encoding="utf-8-sig", newline="") as source:
        report = subscribers_import(source, confirmed=confirmed)
    flush_outbox()  # the confirmation links
    return report


def site_send_test(*, slug: str, email: str, depth: str) -> str:
    """Send the edition of the devotion with this slug to `email`, as a test; returns what
    was done. ValueError names what is wrong."""
    setup_django()
    from django.core.exceptions import ValidationError

    from manna.devotions.models import Devotion
    from manna.edition.services import send_test

    devotion = Devotion.objects.filter(slug=slug).first()
    if devotion is None:
        raise ValueError(f"no devotion has the slug {slug} - see the archive or the desk")
    try:
        send_test(devotion=devotion, address=email, depth=depth)
    except ValidationError as err:
        raise ValueError(" ".join(err.messages)) from None
    flush_outbox()
    return f"sent the {depth} edition of {slug} to {email.strip().lower()}"


def site_import_wordpress(path: Path, **choices: Any) -> tuple[list[str], int]:
    """Import a WordPress export (manna.wordpress; `choices` are importer.Choices' fields);
    returns the report's lines and how many posts were refused. ValueError says why the
    file was refused whole."""
    setup_django()
    from manna.wordpress.importer import StrictlyRefused, import_export
    from manna.wordpress.wxr import ExportError

    try:
        report = import_export(path, **choices)
    except ExportError as err:
        raise ValueError(f"{path}: {err}; nothing was imported") from None
    except StrictlyRefused as err:
        post = err.report.posts[-1]
        why = "; ".join(post.problems)
        raise ValueError(
            f"post {post.wp_id} {post.title!r} was refused: {why}; with --strict nothing was "
            "imported (leave --strict out to import the others and report this one)"
        ) from None
    lines = []
    for post in report.posts:
        lines.append(
            f"post {post.wp_id} {post.title!r}: {post.outcome}"
            + (f" as /devotions/{post.slug}/" if post.slug else "")
        )
        lines += [f"  {note}" for note in post.notes]
        lines += [f"  refused: {problem}" for problem in post.problems]
    for reason, count in sorted(report.skipped.items()):
        lines.append(f"skipped {count} {reason}")
    if report.comments:
        lines.append(
            "comments: " + ", ".join(f"{n} {what}" for what, n in sorted(report.comments.items()))
        )
    if report.authors:
        lines.append(f"authors' accounts (no password yet): {', '.join(report.authors)}")
    if report.pictures:
        lines.append(f"pictures stored: {report.pictures}")
    if report.redirects:
        lines.append(f"old addresses kept as redirects: {report.redirects}")
    outcomes = ["created", "updated", "unchanged", "refused", "would create", "would update"]
    counts = [f"{report.count(o)} {o}" for o in outcomes if report.count(o)]
    lines.append(", ".join(counts) or "no posts")
    return lines, report.count("refused")


def site_set_role(*, email: str, role: str) -> str:
    """Give the account with this email address a role; returns what was done.
    ValueError names what is wrong (no such account, no such role)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from manna.accounts.services import account_set_role

    user = get_user_model().objects.filter(username=email.strip().lower()).first()
    if user is None:
        raise ValueError(f"No account has the email address {email}; sign up on the site first.")
    try:
        account_set_role(user=user, role=role)
    except ValidationError as err:
        raise ValueError(err.messages[0]) from None
    return f"{user.email} is now {role}"


def site_send_reminders(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Send the practice reminders that are due (see manna.practice.reminders); returns
    one line per reminder sent (or that would be, with `dry_run`)."""
    setup_django()
    from manna.practice.reminders import send_reminders

    sent = send_reminders(now or dt.datetime.now(dt.UTC), dry_run=dry_run)
    if not dry_run:
        flush_outbox()
    return [_reminder_line(d) for d in sent]


def _reminder_line(due: Any) -> str:
    return f"{due.kind} reminder for {due.email} ({due.day}, due {due.at:%Y-%m-%d %H:%M} UTC)"

"""The email edition's benchmark (issue 17): 50,000 confirmed subscribers across 24 time
zones, one hour's cohort rendered and handed to a local SMTP server (aiosmtpd, in its own
process) by two `manna worker` processes; then the same again with one worker killed
(SIGKILL) in the middle of the run, counting at the server what was lost and doubled.

    make bench-edition                 the queue on its SQLite file (the default)
    .venv/bin/python bench/edition.py --redis   the queue on a Redis server it starts

Everything lives in a temporary folder: the store (the KJV), a SQLite database, the sink's
log. The devotions are the sample week's, each dated today in turn, so the editions are
real ones (passage text, notes for each reference) and differ from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "manna" / "sample"
SUBSCRIBERS = 50_000
# 24 zones, one for each whole-hour offset, so that some zone is at its morning whatever
# the hour the bench runs.
ZONES = [f"Etc/GMT{offset:+d}" if offset else "UTC" for offset in range(-12, 12)]
TARGET = 300  # messages a second


def free_port() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from manna.conftest import free_port as free

    return free()


# --- the SMTP server, in its own process -------------------------------------------------


def sink(port: int, log: Path) -> None:
    """An aiosmtpd server that writes a line for each recipient of each message taken."""
    from aiosmtpd.controller import Controller

    out = log.open("a", buffering=1, encoding="utf-8")

    message_id = re.compile(rb"^Message-ID: *(\S+)", re.M | re.I)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            found = message_id.search(envelope.content)
            mid = found.group(1).decode() if found else "-"
            for rcpt in envelope.rcpt_tos:
                out.write(f"{time.monotonic():.6f}\t{rcpt}\t{mid}\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    try:
        while not stop.is_set():
            time.sleep(0.2)
    finally:
        controller.stop()
        out.close()


def received(log: Path) -> list[tuple[float, str, str]]:
    """(when, recipient, Message-ID) of each message the server took."""
    if not log.exists():
        return []
    rows = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    return [(float(row[0]), row[1], row[2]) for row in rows if len(row) == 3]


# --- the site ----------------------------------------------------------------------------


def setup_site(folder: Path, env: dict[str, str]) -> None:
    os.environ.update(env)
    subprocess.run(
        [BIN / "manna", "import-bible", "kjv"], check=True, env=env, stdout=subprocess.DEVNULL
    )
    subprocess.run([BIN / "manna", "admin", "migrate", "-v0"], check=True, env=env)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manna.settings")
    django.setup()


def publish_today(sample: Path, folder: Path) -> int:
    """One sample devotion, dated today (the site's day, UTC); returns its id."""
    from manna.devotions.models import Devotion
    from manna.devotions.services import devotion_save_text

    Devotion.objects.filter(date=dt.datetime.now(dt.UTC).date()).delete()
    text = sample.read_text(encoding="utf-8")
    today = dt.datetime.now(dt.UTC).date()
    lines = [f"date: {today}" if line.startswith("date:") else line for line in text.split("\n")]
    result = devotion_save_text(text="\n".join(lines))
    assert result.devotion is not None, result
    return int(result.devotion.pk)


def subscribe_everyone(now: dt.datetime) -> int:
    """50,000 confirmed subscribers, each in one of 24 zones, at 06:00, 06:15, 06:30 or
    06:45 local, confirmed an hour ago (so the hour before the bench is not caught up);
    returns how many are due within that hour (the cohort)."""
    import zoneinfo

    from manna.edition.models import Subscriber

    rng = random.Random(17)
    depths = ["glimpse", "walk", "walk", "study"]
    confirmed = now - dt.timedelta(minutes=59)
    rows, cohort = [], 0
    for i in range(SUBSCRIBERS):
        zone = ZONES[i % len(ZONES)]
        send_at = dt.time(6, rng.choice((0, 15, 30, 45)))
        rows.append(
            Subscriber(
                email=f"reader{i}@example.org",
                depth=rng.choice(depths),
                send_at=send_at,
                time_zone=zone,
                confirmed=confirmed,
            )
        )
        local = now.astimezone(zoneinfo.ZoneInfo(zone))
        for day in (local.date() - dt.timedelta(days=1), local.date()):
            due = dt.datetime.combine(day, send_at, tzinfo=local.tzinfo)
            if confirmed <= due <= now:
                cohort += 1
    Subscriber.objects.bulk_create(rows, batch_size=2000)
    return cohort


def run(env: dict[str, str], folder: Path, *, kill: bool, label: str, threads: int) -> None:
    from manna.edition.delivery import LEASE, plan, send_due
    from manna.edition.models import Delivery, Subscriber

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    now = dt.datetime.now(dt.UTC)
    cohort = subscribe_everyone(now)
    # What each worker does every minute before it sends: plan (here once, timed, so that
    # the run below measures the sending; the workers' own planning then finds it done).
    began_planning = time.perf_counter()
    planned = plan(now)
    planning = time.perf_counter() - began_planning
    assert planned == cohort, (planned, cohort)
    log = folder / f"sink-{label}.log"
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(log)])
    time.sleep(1.0)
    worker_env = {
        **env,
        "MANNA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "MANNA_EMAIL_HOST": "127.0.0.1",
        "MANNA_EMAIL_PORT": str(port),
    }
    began = time.monotonic()
    worker_logs = [(folder / f"worker{i}-{label}.log").open("w") for i in range(2)]
    workers = [
        subprocess.Popen(
            [BIN / "manna", "worker", "--threads", str(threads)],
            env=worker_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        for out in worker_logs
    ]
    killed = None
    try:
        deadline = time.monotonic() + 600
        last, still = -1, 0.0
        while time.monotonic() < deadline:
            got = len(received(log))
            if kill and killed is None and got >= cohort * 0.4:
                killed = got
                os.kill(workers[0].pid, signal.SIGKILL)
            if got >= cohort:
                break
            if got and got == last and time.monotonic() - still > 5:
                break  # nothing more is coming (the killed worker's part waits)
            if got != last:
                last, still = got, time.monotonic()
            time.sleep(0.1)
        ended = time.monotonic()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    for out in worker_logs:
        out.close()
    lines = received(log)
    if not lines:
        raise SystemExit(f"nothing reached the SMTP server: see {folder}/worker*-{label}.log")
    first, last_at = lines[0][0], lines[-1][0]
    rate = (len(lines) - 1) / (last_at - first) if len(lines) > 1 else 0.0
    print(
        f"{label}: {cohort} due of {SUBSCRIBERS:,} subscribers, planned in {planning:.1f} s; "
        f"{len(lines)} at the server "
        f"{ended - began:.1f} s after the workers started; {rate:.0f} messages/s from the "
        f"first to the last (target >= {TARGET}) {'ok' if rate >= TARGET else 'BELOW TARGET'}"
    )
    if kill:
        # What the next minute's plan finds, then the killed worker's claim after its lease.
        os.environ.update(worker_env)
        from django.conf import settings

        settings.MANNA_EMAIL_TRANSPORT = worker_env["MANNA_EMAIL_BACKEND"]
        settings.EMAIL_PORT = port
        later = send_due(dt.datetime.now(dt.UTC))
        # (send_due, not send_editions: planning then would bring the next zones' hour.)
        lease = send_due(dt.datetime.now(dt.UTC) + LEASE + dt.timedelta(minutes=1))
        time.sleep(0.5)
        lines = received(log)
        counts = collections.Counter(rcpt for _, rcpt, _ in lines)
        ids = collections.Counter(mid for _, _, mid in lines)
        lost = cohort - len(counts)
        doubled = sum(n - 1 for n in counts.values())
        same_id = sum(n - 1 for n in ids.values())
        print(
            f"  killed one worker at {killed} received; then sent {later.sent} (what it "
            f"left unclaimed), {lease.sent} after the lease (its claims); at the server: "
            f"{len(lines)} messages, {len(counts)} addresses, lost {lost}, doubled {doubled}"
            f" ({same_id} of them sent again with the same Message-ID) "
            f"{'ok' if lost == 0 and doubled == 0 else 'NOT EXACTLY ONCE'}"
        )
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def redis_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    sys.path.insert(0, str(ROOT / "src"))
    from manna.conftest import start_redis

    return start_redis(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", action="store_true", help="the queue on a Redis server")
    parser.add_argument("--threads", type=int, default=1, help="each worker's (default 1)")
    parser.add_argument("--kills", type=int, default=3, help="runs with a worker killed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        sink(int(args.sink[0]), Path(args.sink[1]))
        return
    folder = Path(tempfile.mkdtemp(prefix="manna-edition-"))
    redis = None
    try:
        env = {
            **os.environ,
            "MANNA_DATA_DIR": str(folder),
            "MANNA_SECRET_KEY": "the edition benchmark's own key",
        }
        env.pop("DATABASE_URL", None)
        if args.redis:
            redis, env["MANNA_QUEUE_URL"] = redis_server(folder)
        setup_site(folder, env)
        engine = "Redis" if args.redis else "SQLite"
        print(f"queue: {engine}; 2 workers, {args.threads} thread(s) each")
        samples = sorted(SAMPLE.glob("*.md"))
        publish_today(samples[-1], folder)
        run(env, folder, kill=False, label="run", threads=args.threads)
        for i in range(args.kills):
            publish_today(samples[-2 - i % (len(samples) - 1)], folder)
            run(env, folder, kill=True, label=f"kill {i + 1}", threads=args.threads)
    finally:
        if redis is not None:
            redis.terminate()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The edition sent by two real `manna worker` processes on a real queue (the SQLite file,
the embedded default, and a real Redis server) to a real SMTP server, one worker killed
in the middle of a batch: every subscriber gets it exactly once."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from manna.conftest import free_port, wait_for
from manna.devotions.tests.conftest import devotion_text

TRAP = "trap@example.org"
SUBSCRIBERS = 240


class Sink:
    """What an SMTP server received, on which port. Its RCPT for TRAP hangs until
    `released` is set: the worker sending it is then stuck in the middle of its batch,
    with that delivery claimed and not sent, when the test kills it."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.ports: list[int] = []
        self.trapped_on: int | None = None
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == TRAP and not self.released.is_set():
            self.trapped_on = server.transport.get_extra_info("sockname")[1]
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "421 Closing"  # that client is gone
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def manna(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "manna", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = Sink()
    controllers = []
    for _ in range(2):  # one port per worker: the trap tells which worker it holds
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
    handler.ports = [c.port for c in controllers]
    yield handler
    handler.released.set()
    for controller in controllers:
        controller.stop()


def edition_site(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Today's devotion and SUBSCRIBERS + 1 confirmed subscribers whose hour has come."""
    today = dt.datetime.now(dt.UTC).date()
    devotion = folder / "today.md"
    devotion.write_text(devotion_text("See v. 18.", slug="today", date=str(today)))
    manna(env, "import", str(devotion))
    consented = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    rows = [TRAP] + [f"reader{i}@example.org" for i in range(SUBSCRIBERS)]
    listing = folder / "list.csv"
    listing.write_text(
        "email,send_at,time_zone,consented\n"
        + "".join(f"{email},00:00,UTC,{consented}\n" for email in rows)
    )
    manna(env, "subscribers", "import", str(listing), "--confirmed")
    return env


def mail_to(env: dict[str, str], port: int) -> dict[str, str]:
    return {
        **env,
        "MANNA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "MANNA_EMAIL_HOST": "127.0.0.1",
        "MANNA_EMAIL_PORT": str(port),
    }


@pytest.mark.parametrize("engine", ["sqlite", "redis"])
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    engine, site_dir, sink, tmp_path, request
):
    env = edition_site(site_dir, tmp_path)
    if engine == "redis":
        env["MANNA_QUEUE_URL"] = request.getfixturevalue("redis_url")
    logs = [open(tmp_path / f"worker{i}.log", "w") for i in range(2)]  # noqa: SIM115
    workers = [
        subprocess.Popen(
            # One thread each: the trapped worker is stuck at a known point when killed
            # (a second thread would be between messages somewhere; see docs/email.md on
            # the one message in doubt when a worker dies).
            [sys.executable, "-m", "manna", "worker", "--threads", "1"],
            env=mail_to(env, port),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(sink.ports, logs, strict=True)
    ]
    try:
        try:
            wait_for(lambda: sink.trapped_on is not None, 60, "a worker to reach the trap")
        except AssertionError:
            for log in logs:
                log.flush()
                print(Path(log.name).read_text())  # what the workers did instead
            raise
        victim = workers[sink.ports.index(sink.trapped_on)]
        survivor = workers[1 - workers.index(victim)]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        # The survivor sends what is left of the queued batches (the killed worker's batch
        # left the queue with it: the next minute's plan queues its rows again).
        settled = -1
        while settled != len(sink.received):
            settled = len(sink.received)
            time.sleep(1.5)
        assert survivor.poll() is None
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=30)
        for log in logs:
            log.close()
    sink.released.set()
    port = sink.ports[0]
    # What the next minute's run finds (the killed worker's batch, unclaimed), then the
    # killed worker's claimed delivery once its lease is over.
    manna(mail_to(env, port), "send-editions")
    assert TRAP not in sink.received
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)).isoformat()
    manna(mail_to(env, port), "send-editions", "--now", later)
    counts = collections.Counter(sink.received)
    assert len(counts) == SUBSCRIBERS + 1, "lost"
    assert counts.most_common(1)[0][1] == 1, f"doubled: {counts.most_common(3)}"

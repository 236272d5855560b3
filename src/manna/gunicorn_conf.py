"""gunicorn's settings for `manna serve`: beside the web workers, one `manna worker` that
sends the email edition and the practice reminders when they are due, started and stopped
with the server (so the embedded default needs no cron; MANNA_WORKER=0 leaves it out)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from manna.config import envbool

_worker: subprocess.Popen[bytes] | None = None


def on_starting(server: Any) -> None:
    global _worker
    if not envbool("MANNA_WORKER", True):
        return
    _worker = subprocess.Popen([sys.executable, "-m", "manna", "worker"])


def on_exit(server: Any) -> None:
    if _worker is not None and _worker.poll() is None:
        _worker.terminate()
        try:
            _worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _worker.kill()

"""The outbox's tasks: one email sent as soon as it is saved, and the sweep each minute."""

from __future__ import annotations

import logging

from django.utils import timezone

from manna.queue import outbox
from manna.queue.engine import every_minute, task

log = logging.getLogger(__name__)


@task
def send_email(pk: int) -> str:
    return outbox.send(pk)


@every_minute
def sweep_outbox() -> dict[str, int]:
    counts = outbox.send_due(timezone.now())
    if counts:
        log.info("outbox sweep: %s", counts)
    return counts

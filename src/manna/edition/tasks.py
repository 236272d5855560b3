"""The edition on the queue: each minute a worker plans what has come due and queues
batches; any worker sends a batch, claiming each delivery (manna.edition.delivery)."""

from __future__ import annotations

import math

from django.utils import timezone

from manna.edition.delivery import plan, send_due
from manna.edition.models import Delivery
from manna.queue.engine import every_minute, queue, submit, task

BATCH = 100  # deliveries a task sends over one connection
MAX_BATCHES = 200  # queued at once; the next minute queues more


@every_minute
def plan_editions() -> int:
    """Plan the editions whose hour has come and queue enough batches to send them all
    (those already queued count); returns how many batches it queued."""
    now = timezone.now()
    plan(now)
    due = Delivery.objects.filter(state=Delivery.PENDING, due__lte=now).count()
    wanted = min(math.ceil(due / BATCH), MAX_BATCHES) - batches_queued()
    for _ in range(wanted):
        submit(send_editions_batch)
    return max(wanted, 0)


def batches_queued() -> int:
    """The edition batches waiting on the queue. Only those: the other tasks there (every
    worker queues the minute's sweep and plan at once) would make the plan queue too few,
    and the edition wait for the next minute."""
    name = send_editions_batch.task_class.__name__
    return sum(1 for waiting in queue().pending() if waiting.name == name)


@task
def send_editions_batch() -> int:
    return send_due(timezone.now(), limit=BATCH).sent

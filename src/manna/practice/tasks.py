"""The practice reminders on the queue: each minute a worker sends those that are due."""

from __future__ import annotations

from django.utils import timezone

from manna.practice.reminders import send_reminders
from manna.queue.engine import every_minute


@every_minute
def send_reminders_due() -> int:
    return len(send_reminders(timezone.now()))

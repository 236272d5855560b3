from __future__ import annotations

import datetime as dt

from django.db import models

from manna.devotions.models import DepthField


class Subscriber(models.Model):
    """Someone who receives the day's devotion by email, with or without an account.

    Double opt-in: `confirmed` is set when they open the link emailed to the address; an
    address never confirmed is never sent an edition and is forgotten after a week."""

    email = models.EmailField(unique=True)  # stored in lower case
    depth = DepthField()
    send_at = models.TimeField(default=dt.time(6, 0), help_text="Local time of the edition.")
    time_zone = models.CharField(max_length=64, default="UTC")
    created = models.DateTimeField(auto_now_add=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    unsubscribed = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["confirmed", "unsubscribed"])]

    def __str__(self) -> str:
        return f"Subscriber {self.pk}"

    @property
    def active(self) -> bool:
        """Sent the edition: confirmed, not paused, not unsubscribed."""
        return self.confirmed is not None and not self.paused and self.unsubscribed is None

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from manna.devotions.models import DepthField
from manna.queue.models import Claimed


class Subscriber(models.Model):
    """Someone who receives the day's devotion by email, with or without an account.

    Double opt-in: `confirmed` is set when they open the link emailed to the address; an
    address never confirmed is never sent an edition and is forgotten after a week."""

    email = models.EmailField(unique=True)  # stored in lower case
    # The reader's account, when they subscribed from it (deleting the account deletes this).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscription",
    )
    depth = DepthField()
    send_at = models.TimeField(default=dt.time(6, 0), help_text="Local time of the edition.")
    time_zone = models.CharField(max_length=64, default="UTC")
    created = models.DateTimeField(auto_now_add=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    unsubscribed = models.DateTimeField(null=True, blank=True)
    # Permanent refusals (5xx) by the address's mail server; past BOUNCE_LIMIT it is
    # "bouncing" and sent nothing more.
    bounces = models.PositiveSmallIntegerField(default=0)
    bouncing = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["confirmed", "unsubscribed"])]

    def __str__(self) -> str:
        return f"Subscriber {self.pk}"

    @property
    def active(self) -> bool:
        """Sent the edition: confirmed, not paused, not unsubscribed."""
        return (
            self.confirmed is not None
            and not self.paused
            and not self.bouncing
            and self.unsubscribed is None
        )


class Delivery(Claimed):
    """One subscriber's edition of one devotion. There is one row for each pair (the
    unique constraint), claimed by one sender at a time: never sent twice, never skipped."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    devotion = models.ForeignKey(
        "devotions.Devotion", on_delete=models.CASCADE, related_name="deliveries"
    )

    class Meta(Claimed.Meta):
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "devotion"], name="one_edition_each")
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk} ({self.state})"

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests counted for one rate-limit key in one time window (see manna.web.ratelimit)."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="Seconds since the epoch // the window length.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_key_window")]

    def __str__(self) -> str:
        return f"{self.key} @{self.window}: {self.hits}"

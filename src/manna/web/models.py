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


class Redirect(models.Model):
    """An old address that answers with a permanent redirect to its new one (a moved blog's
    permalinks, `?p=ID`, categories, feeds). Looked up only for what would be a 404, and
    for the home page's `?p=`-style queries."""

    old = models.CharField(
        max_length=1000, unique=True, help_text='A path, e.g. "/2019/05/15/slug/" or "/?p=12".'
    )
    new = models.CharField(max_length=1000, help_text="A path on this site.")
    note = models.CharField(max_length=200, blank=True, help_text="Where it came from.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old"]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"

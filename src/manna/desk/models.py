from __future__ import annotations

from django.conf import settings
from django.db import models


class DeskDraft(models.Model):
    """The text an author is writing, autosaved while they type: kept on the server as well
    as in the browser, never published, never a revision (a save makes those)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=80)  # the devotion's slug, or "new"
    text = models.TextField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_draft_a_key")]

    def __str__(self) -> str:
        return f"Desk draft {self.pk} ({self.key})"

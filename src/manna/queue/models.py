from __future__ import annotations

from django.db import models


class Claimed(models.Model):
    """Something a worker sends once: due at `due`, claimed by one worker at a time with a
    conditional update (`pending` to `sending`, `claimed` set), then `sent` or `failed`."""

    PENDING = "pending"
    SENDING = "sending"  # claimed; back to pending if its worker died (the lease ran out)
    SENT = "sent"
    FAILED = "failed"  # refused for good, or too many temporary failures

    due = models.DateTimeField()
    state = models.CharField(max_length=10, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["state", "due"])]


class OutgoingEmail(Claimed):
    """One email waiting for the mail server, or handed to it.

    Every email Manna sends but the edition (which has its own Delivery rows) is saved here
    in the transaction of what made it, then sent by a worker: a mail server that is down,
    or a worker that dies, loses nothing. Claimed like a Delivery: of two workers only one
    sends it. Once the mail server has taken it its words are deleted (a password-reset
    link is not kept); who, what subject and when stay for the record."""

    created = models.DateTimeField(auto_now_add=True)

    # The message, as Django's EmailMessage holds it.
    subject = models.CharField(max_length=998)
    body = models.TextField(blank=True)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    alternatives = models.JSONField(default=list)  # [[content, mimetype], ...]

    class Meta(Claimed.Meta):
        pass

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.state})"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from manna.devotions.models import Devotion


class Reply(models.Model):
    """A reader's reply under a devotion, or an answer to another reply.

    `body` is what they wrote (a small Markdown subset); `body_html` is it rendered once
    and sanitised (see community.render). A reply is never removed from the table: a
    deleted one keeps its place in the thread with no text, so answers to it still read."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        DELETED = "deleted", "Deleted"

    devotion = models.ForeignKey(Devotion, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    guest_name = models.CharField(max_length=60, blank=True)
    guest_email = models.EmailField(blank=True)
    # The site an imported blog comment's author gave: kept for the record, shown to
    # admins only (a link under a reply would invite link spam).
    guest_site = models.URLField(max_length=300, blank=True)
    body = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Now, unless it was written elsewhere before (an imported blog comment keeps its date).
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The form's one-time key: the same form sent twice (a double click, a retry after a
    # dropped connection) stores one reply.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["devotion", "status"]),
            models.Index(fields=["status", "created"]),
        ]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def author_name(self) -> str:
        if self.author_id is not None:
            return self.author.profile.display_name
        if self.guest_name:
            return self.guest_name
        return "A former reader"

    @property
    def is_guest(self) -> bool:
        return self.author_id is None and bool(self.guest_email)


class ReplyEvent(models.Model):
    """One thing that happened to a reply, for its history (moderators see it)."""

    class Kind(models.TextChoices):
        POSTED = "posted", "Posted"
        HELD = "held", "Held for approval"
        EDITED = "edited", "Edited"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Marked as spam"
        BLOCKED = "blocked", "Author blocked"
        FLAGGED = "flagged", "Flagged"
        DELETED = "deleted", "Deleted"
        ANONYMISED = "anonymised", "Author deleted their account"

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField(blank=True, help_text="For an edit: the text before it.")
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]


class Like(models.Model):
    """One account's like of a devotion or of a reply (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    devotion = models.ForeignKey(Devotion, null=True, blank=True, on_delete=models.CASCADE)
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(devotion__isnull=True) ^ Q(reply__isnull=True),
                name="like_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "devotion"],
                condition=Q(reply__isnull=True),
                name="like_devotion_once",
            ),
            models.UniqueConstraint(
                fields=["user", "reply"], condition=Q(devotion__isnull=True), name="like_reply_once"
            ),
        ]


class Flag(models.Model):
    """A reader's report that a reply needs a moderator's look."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "user"], name="flag_once")]


class Block(models.Model):
    """An email address that may no longer reply (an account's or a guest's)."""

    email = models.CharField(max_length=254, unique=True, help_text="Lowercased.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email

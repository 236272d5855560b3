from __future__ import annotations

from django.conf import settings
from django.db import models

from manna.devotions.models import DepthField


class Role:
    """What a person may do. Each role can do what the ones before it can."""

    READER = "reader"
    AUTHOR = "author"
    MODERATOR = "moderator"
    ADMIN = "admin"
    choices = [(READER, "Reader"), (AUTHOR, "Author"), (MODERATOR, "Moderator"), (ADMIN, "Admin")]


class Profile(models.Model):
    """A person's settings beside Django's user (whose username is the lowercased email)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    display_name = models.CharField(max_length=60)
    time_zone = models.CharField(max_length=64, default="UTC")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.READER)
    email_verified = models.BooleanField(default=False)
    notify_answers = models.BooleanField(
        default=True, help_text="Email me when someone answers my reply."
    )
    notify_devotion_replies = models.BooleanField(
        default=True, help_text="Email me about replies to devotions I wrote (authors)."
    )
    depth = DepthField(help_text="How deep the reader reads devotions.")
    depth_invitation_declined = models.DateField(
        null=True, blank=True, help_text="The day the reader last said 'not now' to going deeper."
    )
    remind_by_email = models.BooleanField(
        default=False, help_text="Email me at my morning and evening times (practice)."
    )

    def __str__(self) -> str:
        return self.display_name

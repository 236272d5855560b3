from __future__ import annotations

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

STARTED_SALT = "manna.community.guest-form"


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class ReplyBodyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
        help_text="*emphasis*, [links](https://…), > quotes and - lists work. "
        "Bible references are linked.",
    )


class ReplyForm(ReplyBodyForm):
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class GuestReplyForm(ReplyForm):
    """A reply without an account. `website` is a honeypot: people never see it, form
    robots fill it. `started` is when the form was shown, signed: robots send at once."""

    name = forms.CharField(max_length=200, help_text="Shown beside your reply.")
    email = forms.EmailField(max_length=200, help_text="Never shown; only used to contact you.")
    website = forms.CharField(required=False, label="Leave this empty")
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "email", "body", "website"]

    @staticmethod
    def started_token() -> str:
        return signing.dumps(time.time(), salt=STARTED_SALT)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(
                'The "Leave this empty" field was filled in, as only form robots do. If you '
                "are a person, empty it and send again."
            )
        return ""

    def clean_started(self) -> str:
        try:
            started = float(signing.loads(self.cleaned_data.get("started", ""), salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(
                "The form was incomplete; it is ready again, send it once more."
            ) from None
        wait = settings.MANNA_GUEST_MIN_SECONDS - (time.time() - started)
        if wait > 0:
            raise ValidationError(
                f"That was sent very fast, as form robots do. Wait {max(1, round(wait))} "
                "seconds and send it again."
            )
        return str(self.cleaned_data["started"])


class FlagForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        help_text="What is wrong with this reply? A moderator reads this.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

from __future__ import annotations

import datetime as dt

from django import forms

from manna.accounts.services import clean_time_zone, time_zones
from manna.devotions.depth import DEPTHS, LABELS
from manna.edition import services

DEPTH_CHOICES = [(d, LABELS[d]) for d in DEPTHS]


class SendAtForm(forms.Form):
    """The edition's local hour, as every form that sets it asks for it."""

    send_at = forms.CharField(
        initial="06:00",
        max_length=5,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Your local time, HH:MM.",
    )

    def clean_send_at(self) -> dt.time:
        return services.clean_send_at(self.cleaned_data["send_at"])


class PreferencesForm(SendAtForm):
    depth = forms.ChoiceField(choices=DEPTH_CHOICES, initial="walk")
    time_zone = forms.CharField(
        initial="UTC",
        max_length=64,
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "data-time-zone": "guess"}
        ),
        help_text='Yours, e.g. "Europe/London" (filled in from your browser).',
    )
    field_order = ["depth", "send_at", "time_zone"]

    def clean_time_zone(self) -> str:
        return clean_time_zone(self.cleaned_data["time_zone"])

    @staticmethod
    def zones() -> list[str]:
        return time_zones()


class SubscribeForm(PreferencesForm):
    email = forms.CharField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    field_order = ["email", "depth", "send_at", "time_zone"]

    def clean_email(self) -> str:
        return services.clean_email(self.cleaned_data["email"])


class ManageForm(PreferencesForm):
    paused = forms.BooleanField(required=False, label="Pause: send nothing until I come back")


class AccountEmailsForm(SendAtForm):
    """Every email an account receives, on one page (its time zone is the account's)."""

    edition = forms.BooleanField(required=False, label="The day's devotion")
    depth = forms.ChoiceField(choices=DEPTH_CHOICES, initial="walk", label="As a")
    paused = forms.BooleanField(required=False, label="Paused: send nothing until I come back")
    remind_by_email = forms.BooleanField(
        required=False, label="Practice reminders, at my morning and evening times"
    )
    notify_answers = forms.BooleanField(required=False, label="Answers to my replies")
    notify_devotion_replies = forms.BooleanField(
        required=False, label="Replies to the devotions I wrote"
    )
    field_order = ["edition", "send_at", "depth", "paused"]

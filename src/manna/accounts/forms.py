"""Forms: each re-renders with its errors and keeps what the person typed (but passwords)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from manna.accounts.models import Profile
from manna.accounts.services import clean_display_name, clean_time_zone, email_taken


class TimeZoneField(forms.CharField):
    """A time zone name, typed or chosen from the browser's suggestions (a datalist)."""

    widget = forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"})

    def clean(self, value: object) -> str:
        return clean_time_zone(str(super().clean(value)))


class SignupForm(forms.Form):
    display_name = forms.CharField(
        max_length=200, label="Your name", help_text="Shown beside your replies."
    )
    email = forms.EmailField(max_length=200, help_text="We send a link to confirm it.")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )
    time_zone = TimeZoneField(
        initial="UTC",
        max_length=64,
        # Filled in from the browser (site.js): a reader in New York starts their day there.
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "data-time-zone": "guess"}
        ),
        help_text='Yours, e.g. "America/New_York": filled in from your browser; type to search '
        "the list, or change it.",
    )

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email_taken(email):
            raise ValidationError(
                "An account with this email address exists already. Sign in, or reset its password."
            )
        return str(email)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            from django.contrib.auth.models import User

            probe = User(username=str(data.get("email", "")), email=str(data.get("email", "")))
            try:
                password_validation.validate_password(str(password), probe)
            except ValidationError as err:
                self.add_error("password", err)
        return data


class SigninForm(forms.Form):
    email = forms.EmailField(max_length=200)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(max_length=64)

    class Meta:
        model = Profile
        fields = ["display_name", "time_zone"]

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your password, to confirm it is you.",
    )

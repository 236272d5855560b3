"""Forms: each re-renders with its errors and keeps what the person typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from manna.practice.plans import (
    BUILT_IN,
    Plan,
    PlanError,
    book_plan,
    built_in_plan,
    plan_from_file,
    plan_over,
)
from manna.practice.services import SESSION_MINUTES

TIME_HELP = "24-hour clock, e.g. 06:30"


class TimeField(forms.TimeField):
    """A time of day, refused with the format expected ("25:00" is not a time)."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    default_error_messages = {
        "invalid": "Enter a time of day as hours and minutes, from 00:00 to 23:59 (e.g. 06:30)."
    }

    def __init__(self, **kwargs: object) -> None:
        super().__init__(input_formats=["%H:%M", "%H:%M:%S"], help_text=TIME_HELP, **kwargs)


class RhythmForm(forms.Form):
    morning = TimeField(label="Morning session at")
    evening = TimeField(label="Evening session at")
    minutes = forms.IntegerField(
        label="Minutes per session", min_value=SESSION_MINUTES[0], max_value=SESSION_MINUTES[1]
    )
    remind_by_email = forms.BooleanField(
        required=False, label="Email me at these times (if I have not started yet)"
    )


class JournalForm(forms.Form):
    """One save of the journal editor (the script sends the same fields)."""

    uid = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    writer = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The account the text was written under (selectors.journal_owner): a draft this
    # browser kept for one account is never saved into another's journal.
    owner = forms.CharField(
        max_length=64,
        widget=forms.HiddenInput,
        error_messages={"required": "This page is out of date: reload it to save your text."},
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("morning", "morning"), ("evening", "evening")],
        widget=forms.HiddenInput,
    )
    devotion = forms.SlugField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        required=False,
        strip=False,
        label="Journal",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )


class JournalSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Words", max_length=200)
    passage = forms.CharField(
        required=False, label="Passage", max_length=200, help_text='e.g. "John 1" or "Ps 23"'
    )


class ImportForm(forms.Form):
    file = forms.FileField(help_text="The zip or the JSON file from “Export”.")


class PrayerForm(forms.Form):
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    person = forms.CharField(required=False, max_length=120, label="For (optional)")
    category = forms.CharField(required=False, max_length=60, label="Category (optional)")


class PrayerUpdateForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Update"
    )


class AnswerForm(forms.Form):
    answered_on = forms.DateField(
        label="Answered on", widget=forms.DateInput(attrs={"type": "date"})
    )
    answer = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="How"
    )


class PlanForm(forms.Form):
    """Start a plan: a built-in one, a book in N days, a range over N days, or a file."""

    KINDS = [
        ("built-in", "A built-in plan"),
        ("book", "A book"),
        ("range", "Passages"),
        ("file", "A file"),
    ]
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, initial="built-in")
    built_in = forms.ChoiceField(
        required=False,
        choices=[(key, name) for key, (name, _, _) in BUILT_IN.items()],
        label="Plan",
    )
    book = forms.CharField(required=False, max_length=60, help_text='e.g. "Mark" or "Romans"')
    reading = forms.CharField(
        required=False, max_length=400, label="Passages", help_text='e.g. "Genesis 1-11; John 1-4"'
    )
    days = forms.IntegerField(required=False, min_value=1, max_value=3650, label="In how many days")
    name = forms.CharField(required=False, max_length=200, label="Name (for passages or a file)")
    file = forms.FileField(
        required=False, help_text="CSV lines “day,reading”, or JSON (see the plan file format)."
    )
    start = forms.DateField(label="Start on", widget=forms.DateInput(attrs={"type": "date"}))
    deepen = forms.BooleanField(
        required=False,
        label="Start at glimpse and deepen: the day's devotion as a glimpse for the first "
        "third of the plan, a walk for the second, a study for the last",
    )

    def clean_start(self) -> dt.date:
        start: dt.date = self.cleaned_data["start"]
        today = timezone.localdate()
        earliest, latest = today - dt.timedelta(days=3653), today + dt.timedelta(days=3653)
        if not earliest <= start <= latest:
            raise forms.ValidationError(
                f"Start within ten years of today: between {earliest} and {latest}."
            )
        return start

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        try:
            data["plan"] = self._plan(data)
        except PlanError as err:
            field = {"book": "book", "range": "reading", "file": "file"}.get(str(data.get("kind")))
            self.add_error(field, str(err))
        return data

    def _plan(self, data: dict[str, object]) -> Plan | None:
        kind = data.get("kind")
        days = data.get("days")
        if kind == "built-in":
            return built_in_plan(str(data.get("built_in") or ""))
        if kind in ("book", "range") and not isinstance(days, int):
            self.add_error("days", "Say in how many days (a whole number, 1 or more).")
            return None
        if kind == "book":
            return book_plan(str(data.get("book") or ""), int(days))  # type: ignore[call-overload]
        if kind == "range":
            name = str(data.get("name") or "") or str(data.get("reading"))
            return plan_over(name, str(data.get("reading") or ""), int(days))  # type: ignore[call-overload]
        if kind == "file":
            upload = data.get("file")
            if upload is None:
                raise PlanError("choose the plan file to upload")
            raw = upload.read()  # type: ignore[attr-defined]
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise PlanError(
                    "the file is not UTF-8 text; save it as CSV UTF-8 or JSON"
                ) from None
            name = str(data.get("name") or "") or str(upload.name).rsplit(".", 1)[0]  # type: ignore[attr-defined]
            is_json = str(upload.name).lower().endswith(".json") or text.lstrip().startswith("[")  # type: ignore[attr-defined]
            return plan_from_file(name, text, json_format=is_json)
        return None


def default_start(today: dt.date) -> dict[str, object]:
    return {"start": today, "kind": "built-in"}

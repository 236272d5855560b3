"""The web editor: authors (staff) write the devotion file in the browser.

The form runs the same check as `manna check`; errors keep the text on the page with
their line and column, and after saving, the page shows the rendered devotion.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from manna.devotions.check import Checked, check_text
from manna.devotions.models import Devotion, Revision, Series, Tag
from manna.devotions.selectors import site_today
from manna.devotions.services import devotion_conflicts, devotion_save_text
from manna.scripture import open_store

TEMPLATE = """---
title:
passage:
date:
theme:
tags: []
status: draft
---

Write the exposition here.

## Questions

## Practice

## Prayer
"""


class DevotionForm(forms.ModelForm):
    checked: Checked | None = None  # set by clean_source
    source = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "true"}
        ),
        initial=TEMPLATE,
        help_text="YAML front matter and Markdown; see docs/format.md.",
    )

    class Meta:
        model = Devotion
        fields = ["source", "writer"]
        help_texts = {"writer": "The account that writes it: it is told of replies, and edits it."}

    def clean_source(self) -> str:
        text: str = self.cleaned_data["source"].replace("\r\n", "\n")
        checked = check_text(
            text, store=open_store(), default_translation=settings.MANNA_TRANSLATION
        )
        errors = [
            f"line {p.line}, column {p.column}: {p.message}"
            for p in checked.problems
            if p.severity == "error"
        ]
        if checked.devotion is not None and not errors:
            existing = self.instance if self.instance.pk else None
            errors = [
                message
                for _, message in devotion_conflicts(
                    slug=checked.devotion.slug,
                    date=checked.devotion.date,
                    existing=existing,
                    slot=checked.devotion.slot,
                )
            ]
            if existing is None and Devotion.objects.filter(slug=checked.devotion.slug).exists():
                errors.append(f'the slug "{checked.devotion.slug}" is taken - set another `slug:`')
        if errors:
            raise ValidationError(errors)
        self.checked = checked  # rendered once: save_model saves this result
        return text

    def _post_clean(self) -> None:
        # The devotion is saved by devotion_save_text (which renders it), not by ModelForm.
        pass


@admin.register(Devotion)
class DevotionAdmin(admin.ModelAdmin):
    form = DevotionForm
    list_display = ["date", "title", "passage", "state", "series"]
    list_filter = ["status", "series", "tags"]
    search_fields = ["title", "passage", "plain_text"]
    date_hierarchy = "date"
    readonly_fields = ["preview"]
    fields = ["source", "writer", "preview"]

    @admin.display(description="State", ordering="status")
    def state(self, obj: Devotion) -> str:
        """Draft, Scheduled (published, its day to come) or Published: never "Published"
        for a devotion readers cannot see yet."""
        if obj.status == Devotion.DRAFT:
            return "Draft"
        if obj.date > site_today():
            return f"Scheduled for {obj.date:%-d %B %Y}"
        return "Published"

    def save_model(self, request: HttpRequest, obj: Devotion, form: Any, change: bool) -> None:
        result = devotion_save_text(
            text=form.cleaned_data["source"],
            devotion=obj if obj.pk else None,
            checked=form.checked,
            by=request.user,
            how=Revision.ADMIN,
        )
        for problem in result.checked.problems:
            level = messages.ERROR if problem.severity == "error" else messages.WARNING
            self.message_user(
                request, f"line {problem.line}, column {problem.column}: {problem.message}", level
            )
        if result.devotion is not None:
            obj.pk = result.devotion.pk
            if "writer" in form.changed_data:
                Devotion.objects.filter(pk=obj.pk).update(writer=form.cleaned_data["writer"])
            obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # tags and citations are saved by devotion_save_text

    @admin.display(description="Preview")
    def preview(self, obj: Devotion) -> SafeString:
        """A link to the devotion's own page (staff see drafts there), never the body
        itself: what an author wrote is not shown inside this form, where a button of
        theirs could submit it with the admin's rights."""
        if not obj.pk:
            return mark_safe(
                "<p>Save (and continue editing) to see the devotion as readers will.</p>"
            )
        return format_html(
            '<p><a href="{}" target="_blank" rel="noopener">Open {} as readers will see it</a>'
            "{}</p>",
            obj.get_absolute_url(),
            obj.title,
            " (a draft: only staff can open it)" if obj.status == Devotion.DRAFT else "",
        )


admin.site.register(Series)
admin.site.register(Tag)

"""`{% depth_keep_form %}`: on the devotion page, a signed-in reader's form to keep the depth
they read at as theirs (their own part of the page: a hole in its kept skeleton)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from manna.web.kept import SKELETON, hole

register = template.Library()


@register.simple_tag(takes_context=True)
def depth_keep_form(context: Any) -> SafeString | str:
    if context.get(SKELETON):
        return hole("depth-form")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    html = render_to_string(
        "devotions/_depth_form.html",
        {
            "depth": context.get("depth"),
            "me": context.get("me"),
            "path": context["request"].path,
            "csrf_token": context.get("csrf_token"),
        },
    )
    return mark_safe(html)  # noqa: S308 - our template's HTML

"""`{% depth_invitation %}`: the practice's slot on the devotion page (see practice.depth).
Most pages have no invitation to show: then nothing is rendered at all."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from manna.practice.depth import invitation_for
from manna.web.kept import SKELETON, hole

register = template.Library()


@register.simple_tag(takes_context=True)
def depth_invitation(context: Any) -> SafeString | str:
    if context.get(SKELETON):
        return hole("depth-invitation")
    request = context["request"]
    invitation = invitation_for(request.user, timezone.now(), timezone.localdate())
    if invitation is None:
        return ""
    html = render_to_string(
        "practice/_depth_invitation.html",
        {"invitation": invitation, "request": request, "csrf_token": context.get("csrf_token")},
    )
    return mark_safe(html)  # noqa: S308 - our template's HTML

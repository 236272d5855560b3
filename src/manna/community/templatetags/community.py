"""`{% replies devotion %}`: the likes and replies under a devotion, for its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from manna.community import selectors, services
from manna.community.forms import ReplyForm, new_submission_key
from manna.web.cache import shared

register = template.Library()


@register.simple_tag(takes_context=True)
def replies(context: dict[str, Any], devotion: Any) -> str:
    """The likes and replies under a devotion. What anonymous readers see is the same for
    all of them: built once for each thread_version (community.threads) and kept."""
    request = context["request"]
    if request.user.is_authenticated:
        return _replies_html(request, devotion, context.get("csrf_token"))
    key = ("replies", devotion.pk, devotion.thread_version, settings.MANNA_GUEST_REPLIES)
    return mark_safe(shared(key, lambda: _replies_html(request, devotion, None)))  # noqa: S308 - our template's HTML


def _replies_html(request: Any, devotion: Any, csrf_token: Any) -> str:
    viewer = request.user
    nodes = selectors.flatten(selectors.thread(devotion=devotion, viewer=viewer))
    likes, liked = selectors.devotion_likes(devotion=devotion, viewer=viewer)
    for node in nodes:
        node.can_edit = services.can_edit(node.reply, viewer)
        node.can_delete = services.can_delete(node.reply, viewer)
    form = None
    if viewer.is_authenticated:
        form = ReplyForm(initial={"submission_key": new_submission_key()})
    return render_to_string(
        "community/_replies.html",
        {
            "user": viewer,
            "devotion": devotion,
            "nodes": nodes,
            "count": sum(1 for n in nodes if n.reply.status == n.reply.Status.APPROVED),
            "likes": likes,
            "liked": liked,
            "form": form,
            "guests": settings.MANNA_GUEST_REPLIES,
            "csrf_token": csrf_token,
        },
    )

"""`{% replies devotion %}`: the likes and replies under a devotion, for its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from manna.community import selectors, services
from manna.community.forms import ReplyForm, new_submission_key

register = template.Library()


@register.inclusion_tag("community/_replies.html", takes_context=True)
def replies(context: dict[str, Any], devotion: Any) -> dict[str, Any]:
    request = context["request"]
    viewer = request.user
    nodes = selectors.flatten(selectors.thread(devotion=devotion, viewer=viewer))
    likes, liked = selectors.devotion_likes(devotion=devotion, viewer=viewer)
    for node in nodes:
        node.can_edit = services.can_edit(node.reply, viewer)
        node.can_delete = services.can_delete(node.reply, viewer)
    form = None
    if viewer.is_authenticated:
        form = ReplyForm(initial={"submission_key": new_submission_key()})
    return {
        "request": request,
        "user": viewer,
        "devotion": devotion,
        "nodes": nodes,
        "count": sum(1 for n in nodes if n.reply.status == n.reply.Status.APPROVED),
        "likes": likes,
        "liked": liked,
        "form": form,
        "guests": settings.MANNA_GUEST_REPLIES,
        "csrf_token": context.get("csrf_token"),
    }

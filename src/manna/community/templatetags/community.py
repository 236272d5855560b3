"""`{% replies devotion %}`: the likes and replies under a devotion, for its page."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

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


@functools.cache
def _empty_reply_form() -> str:
    """The new-reply form as Django renders it, once a process (it takes a millisecond)."""
    return str(ReplyForm(initial={"submission_key": _KEY}).as_div())


_KEY = "submission-key-goes-here"


def empty_reply_form(key: str) -> SafeString:
    return mark_safe(_empty_reply_form().replace(_KEY, key))  # noqa: S308 - Django's HTML, a token


def _replies_html(request: Any, devotion: Any, csrf_token: Any) -> str:
    viewer = request.user
    nodes = selectors.flatten(selectors.thread(devotion=devotion, viewer=viewer))
    likes, liked = selectors.devotion_likes(devotion=devotion, viewer=viewer)
    for node in nodes:
        node.can_edit = services.can_edit(node.reply, viewer)
        node.can_delete = services.can_delete(node.reply, viewer)
    form = empty_reply_form(new_submission_key()) if viewer.is_authenticated else ""
    return render_to_string(
        "community/_replies.html",
        {
            "user": viewer,
            "devotion": devotion,
            "nodes": nodes,
            "count": sum(1 for n in nodes if n.reply.status == n.reply.Status.APPROVED),
            "likes": likes,
            "liked": liked,
            "form_html": form,
            "guests": settings.MANNA_GUEST_REPLIES,
            "csrf_token": csrf_token,
        },
    )

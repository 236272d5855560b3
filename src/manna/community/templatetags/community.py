"""`{% replies devotion %}`: the likes and replies under a devotion, for its page."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from manna.accounts.selectors import can_moderate
from manna.community import selectors, services
from manna.community.forms import ReplyForm, new_submission_key
from manna.web.cache import shared
from manna.web.kept import ANYONE_SIGNED_IN, SKELETON, filled, hole, stand_in
from manna.web.kept import CSRF_TOKEN as _TOKEN

register = template.Library()


@register.simple_tag(takes_context=True)
def replies(context: dict[str, Any], devotion: Any) -> str:
    """The likes and replies under a devotion. What anonymous readers see is the same for
    all of them: built once for each thread_version (community.threads) and kept. So is
    what signed-in readers with no stake in the thread see (below)."""
    if context.get(SKELETON):
        return hole("replies")
    request = context["request"]
    if request.user.is_authenticated:
        return _replies_html(request, devotion, context.get("csrf_token"))
    key = ("replies", devotion.pk, devotion.thread_version, settings.MANNA_GUEST_REPLIES)
    return mark_safe(shared(key, lambda: _replies_html(request, devotion, None)))  # noqa: S308 - our template's HTML


@functools.cache
def _empty_reply_form() -> SafeString:
    """The new-reply form as Django renders it, once a process (it takes a millisecond),
    with the submission key's stand-in."""
    return ReplyForm(initial={"submission_key": _KEY}).as_div()


_KEY = stand_in("submission-key")


def empty_reply_form(key: str) -> SafeString:
    return filled(_empty_reply_form(), {_KEY: key})


def _replies_html(request: Any, devotion: Any, csrf_token: Any) -> str:
    viewer = request.user
    if viewer.is_authenticated and not can_moderate(viewer):
        stake, liked = selectors.reader_stake(devotion=devotion, viewer=viewer)
        if not stake:
            return _replies_for_a_reader(devotion, liked, csrf_token)
    nodes = selectors.flatten(selectors.thread(devotion=devotion, viewer=viewer))
    likes, liked = selectors.devotion_likes(devotion=devotion, viewer=viewer)
    for node in nodes:
        node.can_edit = services.can_edit(node.reply, viewer)
        node.can_delete = services.can_delete(node.reply, viewer)
    form = empty_reply_form(new_submission_key()) if viewer.is_authenticated else ""
    return _render(viewer, devotion, nodes, likes, liked, form, csrf_token)


def _replies_for_a_reader(devotion: Any, liked: bool, csrf_token: Any) -> str:
    """The replies as every signed-in reader with no stake in the thread sees them (no reply
    of theirs in it, none they liked, not a moderator): the replies anonymous readers see,
    none pressed. Built once for each thread_version, whether they liked the devotion, and
    their time zone (the replies' times are shown in it); their CSRF token and a new
    submission key put in."""
    key = (
        "replies-reader",
        devotion.pk,
        devotion.thread_version,
        liked,
        timezone.get_current_timezone_name(),
        settings.MANNA_GUEST_REPLIES,
    )

    def build() -> str:
        nodes = selectors.flatten(selectors.thread(devotion=devotion, viewer=_ANONYMOUS))
        likes, _ = selectors.devotion_likes(devotion=devotion, viewer=_ANONYMOUS)
        return _render(_ANY_READER, devotion, nodes, likes, liked, _empty_reply_form(), _TOKEN)

    kept = shared(key, build)
    return filled(kept, {_TOKEN: str(csrf_token), _KEY: new_submission_key()})


_ANONYMOUS = AnonymousUser()


# The viewer the kept replies are written for ("Flag" shows on every reply, as for any
# reader with no stake).
_ANY_READER = ANYONE_SIGNED_IN


def _render(
    viewer: Any, devotion: Any, nodes: list[Any], likes: int, liked: bool, form: str, csrf: Any
) -> str:
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
            "csrf_token": csrf,
        },
    )

"""Emails about replies: to the reader answered and to the devotion's author.

Each email carries a one-click unsubscribe (RFC 8058: List-Unsubscribe with
List-Unsubscribe-Post) and the same link in its text. Sent after the reply is stored,
through Django's email backend (MANNA_EMAIL_BACKEND); a failure to send is logged and
never loses the reply.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from manna.accounts.models import Profile, Role
from manna.accounts.services import unsubscribe_url
from manna.community.models import Reply

log = logging.getLogger(__name__)


def devotion_author_accounts(reply: Reply) -> list[AbstractBaseUser]:
    """Accounts with the author role or above whose display name is the devotion's
    `author` (the name in its front matter)."""
    name = reply.devotion.author.strip()
    if not name:
        return []
    profiles = Profile.objects.filter(
        display_name__iexact=name, role__in=[Role.AUTHOR, Role.MODERATOR, Role.ADMIN]
    ).select_related("user")
    return [p.user for p in profiles]


def reply_visible(reply: Reply) -> None:
    """A reply others can now read: tell whom it concerns (never its own author)."""
    sent_to: set[int] = set()
    if reply.author_id is not None:
        sent_to.add(reply.author_id)
    parent = reply.parent
    if parent is not None and parent.author_id is not None and parent.author_id not in sent_to:
        profile = parent.author.profile
        if profile.notify_answers and profile.email_verified:
            _send(parent.author, reply, "answers", "community/email_answer.txt")
            sent_to.add(parent.author_id)
    for user in devotion_author_accounts(reply):
        profile = user.profile
        if user.pk not in sent_to and profile.notify_devotion_replies:
            _send(user, reply, "devotion", "community/email_devotion_reply.txt")
            sent_to.add(user.pk)


def _send(user: AbstractBaseUser, reply: Reply, kind: str, template: str) -> None:
    unsubscribe = unsubscribe_url(user, kind)
    link = f"{settings.MANNA_SITE_URL}{reply.devotion.get_absolute_url()}#reply-{reply.pk}"
    body = render_to_string(
        template,
        {
            "reply": reply,
            "name": user.profile.display_name,
            "link": link,
            "unsubscribe": unsubscribe,
            "site_name": settings.MANNA_SITE_NAME,
        },
    )
    subject = (
        f"{reply.author_name} answered your reply"
        if kind == "answers"
        else f'New reply to "{reply.devotion.title}"'
    )
    message = EmailMessage(
        subject,
        body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # the reply is stored; a mail server being down must not undo that
        log.exception("could not email %s about reply %s", user.pk, reply.pk)

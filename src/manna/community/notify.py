"""Emails about replies: to the reader answered, to the devotion's writer, to the
moderators when replies wait (a digest), and to a reader whose first reply was approved.

Each email is built by manna.accounts.emails (with its one-click unsubscribe). Sent after
the reply is stored, through Django's email backend (MANNA_EMAIL_BACKEND); a failure to
send is logged and
never loses the reply.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.urls import reverse

from manna.accounts import emails
from manna.accounts.models import Profile, Role
from manna.community.models import Reply
from manna.web.ratelimit import RateLimited, hit

log = logging.getLogger(__name__)


def devotion_author_accounts(reply: Reply) -> list[AbstractBaseUser]:
    """The account that writes the devotion (`Devotion.writer`), never one matched by a
    display name (anyone may take the name in a devotion's `author:`)."""
    writer = reply.devotion.writer
    return [writer] if writer is not None else []


def reply_visible(reply: Reply) -> None:
    """A reply others can now read: tell whom it concerns (never its own author)."""
    sent_to: set[int] = set()
    if reply.author_id is not None:
        sent_to.add(reply.author_id)
    parent = reply.parent
    if parent is not None and parent.author_id is not None and parent.author_id not in sent_to:
        profile = parent.author.profile
        if profile.notify_answers and profile.email_verified:
            _send(parent.author, reply, "answers")
            sent_to.add(parent.author_id)
    for user in devotion_author_accounts(reply):
        profile = user.profile
        if user.pk not in sent_to and profile.notify_devotion_replies:
            _send(user, reply, "devotion")
            sent_to.add(user.pk)


def _send(user: AbstractBaseUser, reply: Reply, kind: str) -> None:
    link = f"{settings.MANNA_SITE_URL}{reply.devotion.get_absolute_url()}#reply-{reply.pk}"
    build = emails.reply_answered if kind == "answers" else emails.devotion_replied
    try:
        build(user, reply=reply, link=link).send()
    except Exception:  # the reply is stored; a mail server being down must not undo that
        log.exception("could not email %s about reply %s", user.pk, reply.pk)


def reply_waiting(reply: Reply) -> None:
    """A reply waits for approval: email the moderators, at most one email an hour
    (MANNA_MODERATION_DIGEST) listing what waits then."""
    try:
        hit("moderation-digest", "moderators")
    except RateLimited:
        return  # told already this hour; the queue and the header count show the rest
    waiting = list(
        Reply.objects.filter(status=Reply.Status.PENDING)
        .select_related("devotion")
        .order_by("created")
    )
    link = f"{settings.MANNA_SITE_URL}{reverse('moderation')}"
    for profile in Profile.objects.filter(
        role__in=[Role.MODERATOR, Role.ADMIN], email_verified=True
    ).select_related("user"):
        message = emails.replies_waiting(
            profile.user.email, count=len(waiting), replies=waiting[:10], link=link
        )
        _deliver(message, f"moderator {profile.user_id}")


def reply_approved(reply: Reply) -> None:
    """A reader's first reply was approved: tell them it is published."""
    address = reply.author.email if reply.author_id else reply.guest_email
    if not address:
        return
    earlier = Reply.objects.filter(status=Reply.Status.APPROVED).exclude(pk=reply.pk)
    earlier = (
        earlier.filter(author=reply.author)
        if reply.author_id
        else earlier.filter(author=None, guest_email__iexact=reply.guest_email)
    )
    if earlier.exists():
        return  # not their first
    link = f"{settings.MANNA_SITE_URL}{reply.devotion.get_absolute_url()}#reply-{reply.pk}"
    _deliver(emails.reply_approved(address, reply=reply, link=link), f"reply {reply.pk}")


def _deliver(message: EmailMessage, about: str) -> None:
    try:
        message.send()
    except Exception:  # the reply is stored; a mail server being down must not undo that
        log.exception("could not email about %s", about)

"""Every email Manna sends, one function each, all built by `make_message`.

An email about something a person can stop (answers, replies to a devotion, reminders)
carries a one-click unsubscribe: the link in its text and the `List-Unsubscribe` /
`List-Unsubscribe-Post` headers (RFC 8058), written here once. The apps pass what an email
is about; nothing here imports them. (The password-reset email is Django's own view's.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from manna.accounts.selectors import profile_of
from manna.accounts.tokens import unsubscribe_url


def make_message(
    *,
    user: AbstractBaseUser,
    subject: str,
    template: str,
    context: dict[str, Any],
    unsubscribe: str | None = None,
) -> EmailMessage:
    """An email to `user` from `template`; with `unsubscribe` (a kind of email, see
    accounts.services.UNSUBSCRIBE_KINDS), its one-click unsubscribe link and headers."""
    context = {
        "name": profile_of(user).display_name,
        "site_name": settings.MANNA_SITE_NAME,
        **context,
    }
    headers = {}
    if unsubscribe is not None:
        link = unsubscribe_url(user, unsubscribe)
        context["unsubscribe"] = link
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    body = render_to_string(template, context)
    return EmailMessage(subject, body, to=[user.email], headers=headers)


def address_confirmation(user: AbstractBaseUser, *, link: str) -> EmailMessage:
    return make_message(
        user=user,
        subject=f"Confirm your email address for {settings.MANNA_SITE_NAME}",
        template="accounts/email_verify.txt",
        context={"link": link},
    )


def reply_answered(user: AbstractBaseUser, *, reply: Any, link: str) -> EmailMessage:
    """To a reader whose reply was answered by `reply`."""
    return make_message(
        user=user,
        subject=f"{reply.author_name} answered your reply",
        template="community/email_answer.txt",
        context={"reply": reply, "link": link},
        unsubscribe="answers",
    )


def devotion_replied(user: AbstractBaseUser, *, reply: Any, link: str) -> EmailMessage:
    """To a devotion's author: a new reply to it."""
    return make_message(
        user=user,
        subject=f'New reply to "{reply.devotion.title}"',
        template="community/email_devotion_reply.txt",
        context={"reply": reply, "link": link},
        unsubscribe="devotion",
    )


def session_reminder(user: AbstractBaseUser, *, kind: str, context: dict[str, Any]) -> EmailMessage:
    """A reader's morning or evening reminder (`context`: the day's reading and devotion)."""
    return make_message(
        user=user,
        subject=f"{settings.MANNA_SITE_NAME}: your {kind} session",
        template="practice/email_reminder.txt",
        context={"kind": kind, **context},
        unsubscribe="reminders",
    )

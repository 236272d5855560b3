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
from django.core.mail import EmailMessage, EmailMultiAlternatives
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
    link = unsubscribe_url(user, unsubscribe) if unsubscribe is not None else None
    return make_message_to(
        address=user.email, subject=subject, template=template, context=context, unsubscribe=link
    )


def make_message_to(
    *,
    address: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    unsubscribe: str | None = None,
) -> EmailMessage:
    """An email to an address that may have no account (a subscriber's); with
    `unsubscribe` (the one-click link), its link in the text and the RFC 8058 headers."""
    context = {"site_name": settings.MANNA_SITE_NAME, **context}
    headers = {}
    if unsubscribe is not None:
        context["unsubscribe"] = unsubscribe
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    body = render_to_string(template, context)
    return EmailMessage(subject, body, to=[address], headers=headers)


def subscription_confirmation(address: str, *, link: str) -> EmailMessage:
    """To an address someone subscribed: the link that confirms it (double opt-in)."""
    return make_message_to(
        address=address,
        subject=f"Confirm your subscription to {settings.MANNA_SITE_NAME}",
        template="edition/email_confirm.txt",
        context={"link": link},
    )


def subscription_already(address: str, *, link: str, unsubscribe: str) -> EmailMessage:
    """To a confirmed subscriber who subscribed again: nothing changed, and where to
    change it (the page said the same to whoever typed the address)."""
    return make_message_to(
        address=address,
        subject=f"You already receive {settings.MANNA_SITE_NAME}",
        template="edition/email_already.txt",
        context={"link": link},
        unsubscribe=unsubscribe,
    )


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


def edition(
    address: str,
    *,
    subject: str,
    text: str,
    html: str,
    unsubscribe: str,
    list_id: str,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The day's devotion to a subscriber: the plain text and the HTML part, `List-Id`,
    the one-click unsubscribe (RFC 8058), and the edition's sender and reply-to
    (`headers`: more, as the mail merge's stand-ins for Date and Message-ID)."""
    message = EmailMultiAlternatives(
        subject,
        text,
        from_email=settings.MANNA_EDITION_FROM or None,
        to=[address],
        reply_to=[settings.MANNA_EDITION_REPLY_TO] if settings.MANNA_EDITION_REPLY_TO else None,
        headers={
            "List-Id": list_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **(headers or {}),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def replies_waiting(address: str, *, count: int, replies: list[Any], link: str) -> EmailMessage:
    """To a moderator: replies wait for approval (at most one such email an hour)."""
    return make_message_to(
        address=address,
        subject=f"{count} repl{'y waits' if count == 1 else 'ies wait'} for moderation on "
        f"{settings.MANNA_SITE_NAME}",
        template="community/email_waiting.txt",
        context={"count": count, "replies": replies, "link": link},
    )


def reply_approved(address: str, *, reply: Any, link: str) -> EmailMessage:
    """To a reader whose first reply a moderator approved: it is published now."""
    return make_message_to(
        address=address,
        subject=f'Your reply to "{reply.devotion.title}" is published',
        template="community/email_approved.txt",
        context={"reply": reply, "link": link},
    )

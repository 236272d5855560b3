"""The mail server, and what its answers mean.

`EMAIL_BACKEND` is the queue (`QueuedEmailBackend`): `.send()` anywhere saves the email in
the outbox. The worker hands it to the transport, MANNA_EMAIL_BACKEND (SMTP in production).
Where EMAIL_BACKEND is anything else (a test's in-memory box, a test's SMTP server), that is
the transport itself.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

QUEUED = "manna.queue.backend.QueuedEmailBackend"


def transport() -> BaseEmailBackend:
    """A connection to the mail server (not opened yet)."""
    backend = settings.EMAIL_BACKEND
    if backend == QUEUED:
        backend = settings.MANNA_EMAIL_TRANSPORT
    return get_connection(backend, fail_silently=False)


@dataclass(frozen=True, slots=True)
class Refusal:
    """The mail server did not take a message: for good (`permanent`, a 5xx) or for now
    (a 4xx, a lost connection, a server that does not answer)."""

    permanent: bool
    error: str


def refusal(err: Exception) -> Refusal | None:
    """What a failed send means; None for an error that is not the mail server's."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):  # the address itself, at RCPT
        code, reply = next(iter(err.recipients.values()))
        return _answered(code, reply)
    if isinstance(err, smtplib.SMTPResponseException):
        return _answered(err.smtp_code, err.smtp_error)
    if isinstance(err, smtplib.SMTPException | OSError):
        return Refusal(permanent=False, error=(str(err) or type(err).__name__)[:300])
    return None


def _answered(code: int, reply: bytes | str) -> Refusal:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return Refusal(permanent=500 <= code < 600, error=f"{code} {text}"[:300])

"""EMAIL_BACKEND: every `.send()` in Manna (and Django's password reset) saves the email
in the outbox; a worker sends it (manna.queue.outbox)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from manna.queue import outbox


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            outbox.save(message)
        return len(email_messages)

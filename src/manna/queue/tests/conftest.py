import pytest
from django.core import mail

from manna.queue.transport import QUEUED

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queued(settings):
    """Manna's own email settings: the queue in front, the in-memory box as the mail
    server behind it."""
    settings.EMAIL_BACKEND = QUEUED
    settings.MANNA_EMAIL_TRANSPORT = LOCMEM
    mail.outbox = []
    return settings

from __future__ import annotations

from django.http import HttpRequest

from manna.accounts.selectors import can_moderate
from manna.community.models import Reply


def moderation(request: HttpRequest) -> dict[str, object]:
    """For a moderator's header: how many replies wait for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_moderate(user):
        return {}
    return {"replies_waiting": Reply.objects.filter(status=Reply.Status.PENDING).count()}

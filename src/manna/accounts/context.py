from __future__ import annotations

from django.http import HttpRequest

from manna.accounts.models import Role
from manna.accounts.selectors import can_moderate, has_role, profile_of


def account(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's profile, and whether they moderate and write, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "me": profile_of(user),
        "i_moderate": can_moderate(user),
        "i_write": has_role(user, Role.AUTHOR),
    }

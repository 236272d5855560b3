"""Reads: a person's profile and role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from manna.accounts.models import Profile, Role

ORDER: list[str] = [Role.READER, Role.AUTHOR, Role.MODERATOR, Role.ADMIN]


def profile_of(user: AbstractBaseUser) -> Profile:
    """The person's profile, made on first use (accounts made by `manna admin
    createsuperuser` or in the admin have none until then)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        email = getattr(user, "email", "") or user.get_username()
        name = email.split("@")[0][:60] or "Reader"
        profile, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": name})
        return profile


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The person's role, None for a visitor who is not signed in."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return profile_of(user).role


def has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    """True when the person's role is `role` or above it."""
    mine = role_of(user)
    return mine is not None and ORDER.index(mine) >= ORDER.index(role)


def can_moderate(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.MODERATOR)

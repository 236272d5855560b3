"""Writes: accounts, their email address, profile, role and deletion."""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from manna.accounts import emails
from manna.accounts.models import Profile, Role
from manna.accounts.selectors import has_role, profile_of
from manna.accounts.signals import account_deleting, profile_updated
from manna.accounts.tokens import unsubscribe_data

User = get_user_model()
VERIFY_SALT = "manna.accounts.verify"
VERIFY_MAX_AGE = 7 * 24 * 3600
UNSUBSCRIBE_KINDS = {
    "answers": ("notify_answers", "answers to your replies"),
    "devotion": ("notify_devotion_replies", "replies to the devotions you wrote"),
    "reminders": ("remind_by_email", "morning and evening reminders"),
}
DISPLAY_NAME_MAX = 60


@cache
def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def clean_display_name(name: str) -> str:
    """A display name without surrounding space, control or invisible characters."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter the name other readers will see.")
    if len(name) > DISPLAY_NAME_MAX:
        raise ValidationError(
            f"Keep the name to {DISPLAY_NAME_MAX} characters (this one has {len(name)})."
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in name):
        raise ValidationError("The name has invisible or control characters; remove them.")
    return name


def clean_time_zone(name: str) -> str:
    name = name.strip()
    if name not in time_zones():
        raise ValidationError(
            f'"{name}" is not a time zone Manna knows; choose one such as "Europe/London" '
            'or "America/New_York".'
        )
    return name


def account_create(
    *, email: str, password: str | None, display_name: str, time_zone: str = "UTC"
) -> AbstractBaseUser:
    """A new reader. The username is the lowercased email, so an address has one account.
    `password` None: none yet (they set one by password reset)."""
    email = User.objects.normalize_email(email.strip())
    username = email.lower()
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            Profile.objects.create(
                user=user,
                display_name=clean_display_name(display_name),
                time_zone=clean_time_zone(time_zone),
            )
    except IntegrityError:
        raise ValidationError(
            "An account with this email address exists already. Sign in, or reset its password."
        ) from None
    return user


def account_import_author(*, email: str, display_name: str) -> AbstractBaseUser:
    """An author brought in from another platform (a WordPress export): an account with
    the author role and no password (they set one by "forgot your password", which also
    shows the address is theirs; it stays unconfirmed until then). An account that has the
    address already is theirs: a reader there becomes an author, nothing else changes."""
    existing = User.objects.filter(username=email.strip().lower()).first()
    if existing is None:
        # No password, so none is hashed (the password hasher's memory cost is 100 MB).
        existing = account_create(
            email=email, password=None, display_name=display_name or email.split("@")[0]
        )
    if not has_role(existing, Role.AUTHOR):
        account_set_role(user=existing, role=Role.AUTHOR)
    return existing


def account_create_admin(*, email: str, password: str, display_name: str = "") -> AbstractBaseUser:
    """An administrator made on the command line: one who signs in on the site with this
    email address (confirmed: whoever runs the command owns the site), has the admin role,
    and whom `manna role` finds. ValidationError says what is wrong."""
    email = email.strip()
    if "@" not in email or " " in email:
        raise ValidationError(f'"{email}" is not an email address; give one like ruth@example.org.')
    validate_password(password)
    name = display_name or email.split("@")[0]
    with transaction.atomic():
        user = account_create(email=email, password=password, display_name=name)
        account_set_role(user=user, role=Role.ADMIN)
        profile = profile_of(user)
        profile.email_verified = True
        profile.save(update_fields=["email_verified"])
    return user


def email_taken(email: str) -> bool:
    return User.objects.filter(username=email.strip().lower()).exists()


# --- email verification ------------------------------------------------------------------


def verification_token(user: AbstractBaseUser) -> str:
    # The address is part of the token: a link sent to an old address stops working.
    return signing.dumps({"id": user.pk, "email": user.email.lower()}, salt=VERIFY_SALT)


def send_verification(user: AbstractBaseUser) -> None:
    link = settings.MANNA_SITE_URL + reverse("verify_email", args=[verification_token(user)])
    emails.address_confirmation(user, link=link).send()


def account_verify(token: str) -> AbstractBaseUser:
    """Mark the address in `token` verified; ValidationError says what is wrong with it."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            "This confirmation link has expired. Sign in and ask for a new one."
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            "This confirmation link is not valid. Check that the whole link was copied."
        ) from None
    user = User.objects.filter(pk=data["id"]).first()
    if user is None or user.email.lower() != data["email"]:
        raise ValidationError("This link was for an address that is no longer on any account.")
    Profile.objects.filter(user=user).update(email_verified=True)
    return user


# --- profile, role ------------------------------------------------------------------------


def profile_update(*, user: AbstractBaseUser, display_name: str, time_zone: str) -> Profile:
    profile = profile_of(user)
    profile.display_name = clean_display_name(display_name)
    profile.time_zone = clean_time_zone(time_zone)
    profile.save()
    profile_updated.send(sender=Profile, user=user, profile=profile)
    return profile


def email_preferences_update(
    *,
    user: AbstractBaseUser,
    notify_answers: bool,
    notify_devotion_replies: bool,
    remind_by_email: bool,
) -> None:
    """The account's emails besides the edition (whose preferences are the subscription's)."""
    Profile.objects.filter(user=user).update(
        notify_answers=notify_answers,
        notify_devotion_replies=notify_devotion_replies,
        remind_by_email=remind_by_email,
    )


AUTHOR_PERMISSIONS = ["add_devotion", "change_devotion", "view_devotion", "add_series"]
AUTHOR_PERMISSIONS += ["change_series", "view_series", "add_tag", "view_tag"]


def account_set_role(*, user: AbstractBaseUser, role: str) -> None:
    """Give a person a role: authors and above may use the admin's devotion editor,
    admins may do everything there."""
    if role not in dict(Role.choices):
        names = ", ".join(dict(Role.choices))
        raise ValidationError(f'Unknown role "{role}"; use one of: {names}.')
    profile = profile_of(user)
    profile.role = role
    profile.save(update_fields=["role"])
    user.is_staff = role != Role.READER
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    permissions = Permission.objects.filter(
        content_type__app_label="devotions", codename__in=AUTHOR_PERMISSIONS
    )
    user.user_permissions.set(permissions if role != Role.READER else [])


# --- unsubscribe ---------------------------------------------------------------------------


def unsubscribe_read(token: str) -> tuple[AbstractBaseUser, str]:
    """The account and the kind of email a token unsubscribes from."""
    try:
        data = unsubscribe_data(token)
    except signing.BadSignature:
        raise ValidationError(
            "This unsubscribe link is not valid. Check that the whole link was copied, or "
            "change your email settings on your account page."
        ) from None
    user = User.objects.filter(pk=data.get("id")).first()
    if user is None or data.get("kind") not in UNSUBSCRIBE_KINDS:
        raise ValidationError("This unsubscribe link is for an account that no longer exists.")
    return user, data["kind"]


def unsubscribe(token: str) -> tuple[AbstractBaseUser, str]:
    user, kind = unsubscribe_read(token)
    field, _ = UNSUBSCRIBE_KINDS[kind]
    Profile.objects.filter(user=user).update(**{field: False})
    return user, kind


# --- deletion -------------------------------------------------------------------------------


def account_delete(*, user: AbstractBaseUser) -> None:
    """Remove the person and what identifies them. The apps that keep something of theirs
    are told first (`account_deleting`: the community keeps their public replies, so the
    conversation still reads, but without their name); likes and flags go."""
    with transaction.atomic():
        account_deleting.send(sender=User, user=user)
        user.delete()

"""The replies and likes anonymous readers see under a devotion are built once and kept
(manna.web.cache.shared) under the devotion's `thread_version`. Every write that changes
them moves that number on, in the write's own transaction: a reply posted, edited,
deleted or moderated (here or in the admin), a like given or taken back, an import, an
account anonymised or renamed. No cache has to be told: the next page reads the new number
with the devotion's row, on every server."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from manna.community.models import Like, Reply
from manna.devotions.models import Devotion


def threads_changed(devotion_ids: Iterable[int | None]) -> None:
    ids = {pk for pk in devotion_ids if pk is not None}
    if ids:
        Devotion.objects.filter(pk__in=ids).update(thread_version=F("thread_version") + 1)


def _reply_written(sender: Any, instance: Reply, **kwargs: Any) -> None:
    threads_changed([instance.devotion_id])


def _like_written(sender: Any, instance: Like, **kwargs: Any) -> None:
    if instance.devotion_id is not None:
        threads_changed([instance.devotion_id])
    else:
        threads_changed(
            Reply.objects.filter(pk=instance.reply_id).values_list("devotion_id", flat=True)
        )


def _renamed(sender: Any, *, user: Any, **kwargs: Any) -> None:
    """Their replies show their name."""
    threads_changed(Reply.objects.filter(author=user).values_list("devotion_id", flat=True))


def connect() -> None:
    from manna.accounts.signals import profile_updated

    for signal in (post_save, post_delete):
        signal.connect(_reply_written, sender=Reply, dispatch_uid=f"thread-reply-{signal}")
        signal.connect(_like_written, sender=Like, dispatch_uid=f"thread-like-{signal}")
    profile_updated.connect(_renamed, dispatch_uid="thread-renamed")

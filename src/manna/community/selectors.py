"""Reads: a devotion's thread as a viewer sees it, likes, the moderation queue."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value

from manna.accounts.selectors import can_moderate
from manna.community.models import Flag, Like, Reply
from manna.devotions.models import Devotion
from manna.web.prepared import Prepared

Status = Reply.Status
Viewer: TypeAlias = Any  # a user or AnonymousUser (Django has no type stubs here)
MAX_DEPTH = 4  # deeper answers are shown at this depth, so the thread stays readable


@dataclass(slots=True)
class Node:
    reply: Reply
    depth: int
    likes: int = 0
    liked: bool = False
    can_edit: bool = False
    can_delete: bool = False
    answers: list[Node] = field(default_factory=list)


def replies_visible(*, viewer: Viewer) -> QuerySet[Reply]:
    """Replies a viewer may see: approved and deleted ones (a deleted one shows only its
    place), their own waiting ones; moderators see every reply."""
    replies = Reply.objects.select_related("author__profile", "devotion")
    if can_moderate(viewer):
        return replies
    return replies.filter(_shown_to(viewer.pk if viewer.is_authenticated else None))


def _shown_to(viewer_id: int | None) -> Q:
    """What a reader who does not moderate sees: approved and deleted replies, and their
    own waiting ones (None: an anonymous reader)."""
    shown = Q(status__in=[Status.APPROVED, Status.DELETED])
    if viewer_id is None:
        return shown
    return shown | Q(author_id=viewer_id, status=Status.PENDING)


def reply_get_visible(*, pk: int, viewer: Viewer) -> Reply | None:
    return replies_visible(viewer=viewer).filter(pk=pk).first()


def thread(*, devotion: Devotion, viewer: Viewer) -> list[Node]:
    """The devotion's replies as a tree, oldest first, with likes."""
    if not viewer.is_authenticated:
        replies = _THREAD(devotion_id=devotion.pk)
    elif can_moderate(viewer):
        replies = _THREAD_MODERATOR(devotion_id=devotion.pk, viewer_id=viewer.pk)
    else:
        replies = _THREAD(devotion_id=devotion.pk, viewer_id=viewer.pk)
    for reply in replies:
        reply.devotion = devotion
    nodes = {r.pk: Node(r, 0, r.like_count, bool(r.liked)) for r in replies}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.reply.parent_id) if node.reply.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.answers.append(node)
    for root in roots:
        _set_depth(root, 0)
    return _prune_deleted(roots)


def _set_depth(node: Node, depth: int) -> None:
    node.depth = min(depth, MAX_DEPTH)
    for answer in node.answers:
        _set_depth(answer, depth + 1)


def _prune_deleted(nodes: list[Node]) -> list[Node]:
    """A deleted reply is shown only while answers to it are."""
    kept = []
    for node in nodes:
        node.answers = _prune_deleted(node.answers)
        if node.reply.status != Status.DELETED or node.answers:
            kept.append(node)
    return kept


def flatten(nodes: list[Node]) -> list[Node]:
    """The tree in reading order (each reply followed by its answers)."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.answers))
    return out


def devotion_likes(*, devotion: Devotion, viewer: Viewer) -> tuple[int, bool]:
    """How many liked the devotion, and whether the viewer did: one prepared query."""
    if not viewer.is_authenticated:
        (found,) = _LIKES(devotion_id=devotion.pk)
        return found.n, False
    (found,) = _LIKES(devotion_id=devotion.pk, viewer_id=viewer.pk)
    return found.n, bool(found.mine)


def _likes_query(devotion_id: int, viewer_id: int | None = None) -> QuerySet[Devotion]:
    """The devotion's id with its likes (n) and the viewer's among them (mine)."""
    counted = Devotion.objects.filter(pk=devotion_id).only("pk").annotate(n=Count("like"))
    if viewer_id is None:
        return counted
    return counted.annotate(mine=Count("like", filter=Q(like__user_id=viewer_id)))


_LIKES = Prepared(Devotion, _likes_query)


def _thread_query(
    devotion_id: int, viewer_id: int | None = None, *, moderator: bool = False
) -> QuerySet[Reply]:
    """A thread's replies as replies_visible shows them to a viewer (None: anonymous), each
    with its likes and how many of them are the viewer's; the author with their profile,
    not the devotion's every column again."""
    replies = Reply.objects.select_related("author__profile").filter(devotion_id=devotion_id)
    if not moderator:
        replies = replies.filter(_shown_to(viewer_id))
    if viewer_id is None:
        return replies.annotate(like_count=Count("like"), liked=Value(0))
    mine = Count("like", filter=Q(like__user_id=viewer_id))
    return replies.annotate(like_count=Count("like"), liked=mine)


def reader_stake(*, devotion: Devotion, viewer: Viewer) -> tuple[bool, bool]:
    """Whether a signed-in reader has a stake in the devotion's thread (a reply of theirs
    in it, waiting or not, or a reply they liked), and whether they liked the devotion: one
    prepared query, however long the thread and however many liked it."""
    (found,) = _STAKE(devotion_id=devotion.pk, viewer_id=viewer.pk)
    return bool(found.wrote or found.liked_reply), bool(found.liked)


def _stake_query(devotion_id: int, viewer_id: int) -> QuerySet[Devotion]:
    theirs = {"user_id": viewer_id}
    return (
        Devotion.objects.filter(pk=devotion_id)
        .only("pk")
        .annotate(
            wrote=Exists(Reply.objects.filter(devotion_id=OuterRef("pk"), author_id=viewer_id)),
            liked_reply=Exists(Like.objects.filter(reply__devotion_id=OuterRef("pk"), **theirs)),
            liked=Exists(Like.objects.filter(devotion_id=OuterRef("pk"), **theirs)),
        )
    )


_STAKE = Prepared(Devotion, _stake_query)

# The thread is read on every devotion page: compiled once (manna.web.prepared).
_THREAD = Prepared(Reply, _thread_query)  # anonymous (no viewer_id) or a reader
_THREAD_MODERATOR = Prepared(Reply, functools.partial(_thread_query, moderator=True))


def moderation_queue() -> QuerySet[Reply]:
    """Replies waiting for approval and replies readers flagged, oldest first."""
    flagged = Flag.objects.filter(resolved=False).values("reply")
    return (
        Reply.objects.filter(Q(status=Status.PENDING) | Q(pk__in=flagged, status=Status.APPROVED))
        .select_related("author__profile", "devotion", "parent")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved=False)))
        .prefetch_related("flags")
        .order_by("created")
    )


def reply_sent_before(
    *, submission_key: str, viewer: Viewer, guest_email: str = ""
) -> Reply | None:
    """The reply this form already stored for this sender (a form sent twice), if any."""
    if not submission_key:
        return None
    replies = Reply.objects.select_related("devotion").filter(submission_key=submission_key)
    if viewer.is_authenticated:
        return replies.filter(author=viewer).first()
    return (
        replies.filter(author=None, guest_email__iexact=guest_email).first()
        if guest_email
        else None
    )

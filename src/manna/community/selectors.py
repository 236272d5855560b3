"""Reads: a devotion's thread as a viewer sees it, likes, the moderation queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.db.models import Count, Q, QuerySet, Value

from manna.accounts.selectors import can_moderate
from manna.community.models import Flag, Like, Reply
from manna.devotions.models import Devotion

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
    visible = Q(status__in=[Status.APPROVED, Status.DELETED])
    if viewer.is_authenticated:
        visible |= Q(author=viewer, status=Status.PENDING)
    return replies.filter(visible)


def reply_get_visible(*, pk: int, viewer: Viewer) -> Reply | None:
    return replies_visible(viewer=viewer).filter(pk=pk).first()


def thread(*, devotion: Devotion, viewer: Viewer) -> list[Node]:
    """The devotion's replies as a tree, oldest first, with likes."""
    replies = list(
        replies_visible(viewer=viewer)
        .select_related(None)
        .select_related("author__profile")  # not the devotion's every column again
        .filter(devotion=devotion)
        .annotate(like_count=Count("like"), liked=_liked_by(viewer))
    )
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
    """How many liked the devotion, and whether the viewer did: one query."""
    likes = Like.objects.filter(devotion=devotion)
    if not viewer.is_authenticated:
        return likes.count(), False
    found = likes.aggregate(n=Count("pk"), mine=Count("pk", filter=Q(user=viewer)))
    return found["n"], bool(found["mine"])


def _liked_by(viewer: Viewer) -> Any:
    """How many of a reply's likes are the viewer's (none for an anonymous viewer)."""
    if not viewer.is_authenticated:
        return Value(0)
    return Count("like", filter=Q(like__user=viewer))


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

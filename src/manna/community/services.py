"""Writes: replies, likes, flags, moderation and the emails they send."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from manna.accounts.selectors import can_moderate, profile_of
from manna.accounts.services import clean_display_name
from manna.community import notify
from manna.community.models import Block, Flag, Like, Reply, ReplyEvent
from manna.community.threads import threads_changed
from manna.devotions.models import Devotion
from manna.markup import RenderedReply, render_reply
from manna.scripture import open_store, parse_osis
from manna.scripture.store import Store

Status = Reply.Status
Kind = ReplyEvent.Kind


@dataclass(frozen=True, slots=True)
class Poster:
    """Who is replying: an account, or a guest with a name and an email address."""

    user: AbstractBaseUser | None = None
    guest_name: str = ""
    guest_email: str = ""

    @property
    def email(self) -> str:
        return (self.user.email if self.user else self.guest_email).lower()


def _render(devotion: Devotion, body: str) -> str:
    """The reply's HTML, or ValidationError naming what to change."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something before sending."})
    limit = settings.MANNA_REPLY_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            {"body": f"Keep a reply under {limit} characters (this one has {len(body)})."}
        )
    rendered = _rendered(devotion, body, open_store())
    most = settings.MANNA_REPLY_MAX_LINKS
    if rendered.links > most:
        raise ValidationError(
            {
                "body": f"A reply may have at most {most} links to other sites (this one has "
                f"{rendered.links}). Bible references do not count."
            }
        )
    return rendered.html


@dataclass(frozen=True, slots=True)
class ImportedReply:
    """A reply as another platform kept it (a blog's comment): `key` names it there,
    `parent_key` the one it answers. `body_html` is its rendering when the importer has
    made it already (render_reply, against its devotion); "" renders it here."""

    key: str
    body: str
    status: str
    created: dt.datetime
    author_id: int | None = None
    guest_name: str = ""
    guest_email: str = ""
    guest_site: str = ""
    parent_key: str = ""
    body_html: str = ""


@dataclass(slots=True)
class RepliesImported:
    new: int = 0
    updated: int = 0  # its words or status changed there since the last import
    unchanged: int = 0
    kept: int = 0  # changed there, but edited or moderated here since: left as it is


IMPORT_NOTE, REIMPORT_NOTE = "imported", "updated by an import"


def replies_import(*, replies: list[tuple[Devotion, list[ImportedReply]]]) -> RepliesImported:
    """Bring in devotions' replies from another platform, kept whole as they were written
    there (no length or link limit), with their dates, statuses and threads, and no email
    to anyone. A reply imported before (by its key) takes the words and status it has
    there now, unless it was edited or moderated here since. A few queries for them all,
    not several each."""
    counts = RepliesImported()
    every = [(devotion, r) for devotion, some in replies for r in some]
    known = {
        row["submission_key"]: row
        for row in Reply.objects.filter(submission_key__in=[r.key for _, r in every]).values(
            "pk", "submission_key", "body", "status", "edited"
        )
    }
    pks = {key: row["pk"] for key, row in known.items()}
    store = open_store()
    new: list[tuple[ImportedReply, Reply]] = []
    changed: list[tuple[ImportedReply, Devotion, int]] = []
    for devotion, imported in every:
        row = known.get(imported.key)
        if row is not None:
            if row["body"] == imported.body.strip() and row["status"] == imported.status:
                counts.unchanged += 1
            elif row["edited"] is not None:
                counts.kept += 1
            else:
                changed.append((imported, devotion, row["pk"]))
            continue
        new.append(
            (
                imported,
                Reply(
                    devotion=devotion,
                    author_id=imported.author_id,
                    guest_name="" if imported.author_id else _imported_name(imported.guest_name),
                    guest_email="" if imported.author_id else imported.guest_email,
                    guest_site="" if imported.author_id else imported.guest_site,
                    body=imported.body.strip(),
                    body_html=imported.body_html or _rendered(devotion, imported.body, store).html,
                    status=imported.status,
                    submission_key=imported.key,
                    created=imported.created,
                ),
            )
        )
    with transaction.atomic():
        counts.new = _insert_threaded(new, pks)
        _update_imported(changed, store, counts)
        # Saved in bulk, without the signals that move a thread on one reply at a time.
        threads_changed([reply.devotion_id for _, reply in new])
        threads_changed([devotion.pk for _, devotion, _ in changed])
    return counts


def _rendered(devotion: Devotion, body: str, store: Store) -> RenderedReply:
    """A reply's words rendered, its references read against the devotion's passage."""
    context = parse_osis(devotion.passage_osis)
    return render_reply(body, store=store, translation=devotion.translation, context=context)


def _insert_threaded(new: list[tuple[ImportedReply, Reply]], pks: dict[str, int]) -> int:
    """Insert imported replies generation by generation, so that each answer's parent has
    its id already; those whose parent is nowhere go at the top level."""
    waiting = new
    while waiting:
        ready = [(i, r) for i, r in waiting if not i.parent_key or i.parent_key in pks]
        if not ready:
            ready = waiting
        for imported, reply in ready:
            reply.parent_id = pks.get(imported.parent_key)
        made = Reply.objects.bulk_create([reply for _, reply in ready])
        pks.update({reply.submission_key: reply.pk for reply in made})
        ReplyEvent.objects.bulk_create(
            [ReplyEvent(reply=reply, kind=Kind.POSTED, note=IMPORT_NOTE) for reply in made]
        )
        placed = {id(reply) for _, reply in ready}
        waiting = [(i, r) for i, r in waiting if id(r) not in placed]
    return len(new)


def _update_imported(
    changed: list[tuple[ImportedReply, Devotion, int]], store: Store, counts: RepliesImported
) -> None:
    """Imported replies whose words or status changed there: updated, unless a moderator
    acted on them here since (any event but the imports' own)."""
    touched = set(
        ReplyEvent.objects.filter(reply_id__in=[pk for _, _, pk in changed])
        .exclude(note__in=(IMPORT_NOTE, REIMPORT_NOTE))
        .values_list("reply_id", flat=True)
    )
    for imported, devotion, pk in changed:
        if pk in touched:
            counts.kept += 1
            continue
        html = imported.body_html or _rendered(devotion, imported.body, store).html
        Reply.objects.filter(pk=pk).update(
            body=imported.body.strip(), body_html=html, status=imported.status
        )
        ReplyEvent.objects.create(reply_id=pk, kind=Kind.EDITED, note=REIMPORT_NOTE)
        counts.updated += 1


def _imported_name(name: str) -> str:
    """A name as another platform kept it, made one a reply can show (visible
    characters, one line, at most the display name's length)."""
    visible = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs"))
    return " ".join(visible.split())[:60].strip() or "A reader"


def is_blocked(email: str) -> bool:
    return bool(email) and Block.objects.filter(email=email.lower()).exists()


def _needs_approval(poster: Poster) -> bool:
    if poster.user is not None and can_moderate(poster.user):
        return False
    if not settings.MANNA_MODERATE_FIRST_REPLY:
        return False
    earlier = Reply.objects.filter(status=Status.APPROVED)
    if poster.user is not None:
        return not earlier.filter(author=poster.user).exists()
    return not earlier.filter(author=None, guest_email__iexact=poster.guest_email).exists()


def reply_post(
    *,
    devotion: Devotion,
    body: str,
    poster: Poster,
    submission_key: str,
    parent: Reply | None = None,
    ip: str | None = None,
) -> tuple[Reply, bool]:
    """Store a reply; returns it and whether it was new (False when this form was sent
    before). ValidationError or PermissionDenied say why a reply is refused."""
    if parent is not None and (
        parent.devotion_id != devotion.pk or parent.status != Status.APPROVED
    ):
        raise ValidationError(
            "That reply can no longer be answered; reply to the devotion instead."
        )
    if poster.user is None:
        name = clean_display_name(poster.guest_name)
        poster = Poster(guest_name=name, guest_email=poster.guest_email.strip())
    elif not profile_of(poster.user).email_verified:
        raise PermissionDenied(
            "Confirm your email address before replying: open the link we sent you, or ask "
            "for a new one on your account page."
        )
    if is_blocked(poster.email):
        raise PermissionDenied("This account or address may no longer reply here.")
    if not submission_key or len(submission_key) > 64:
        raise ValidationError("The form was incomplete. Reload the page and send it again.")
    earlier = Reply.objects.filter(submission_key=submission_key).first()
    if earlier is not None:
        return _same_sender(earlier, poster), False
    html = _render(devotion, body)
    status = Status.PENDING if _needs_approval(poster) else Status.APPROVED
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                devotion=devotion,
                parent=parent,
                author=poster.user,
                guest_name=poster.guest_name,
                guest_email=poster.guest_email,
                body=body.strip(),
                body_html=html,
                status=status,
                ip=ip or None,
                submission_key=submission_key,
            )
            ReplyEvent.objects.create(
                reply=reply,
                kind=Kind.POSTED if status == Status.APPROVED else Kind.HELD,
                actor=poster.user,
            )
    except IntegrityError:  # the same form, sent twice at the same moment
        earlier = Reply.objects.get(submission_key=submission_key)
        return _same_sender(earlier, poster), False
    if status == Status.APPROVED:
        transaction.on_commit(lambda: notify.reply_visible(reply))
    else:
        transaction.on_commit(lambda: notify.reply_waiting(reply))
    return reply, True


def _same_sender(reply: Reply, poster: Poster) -> Reply:
    if reply.author_id != (poster.user.pk if poster.user else None):
        raise ValidationError("The form was incomplete. Reload the page and send it again.")
    return reply


def edit_deadline(reply: Reply) -> dt.datetime:
    return reply.created + dt.timedelta(minutes=settings.MANNA_REPLY_EDIT_MINUTES)


def can_edit(reply: Reply, user: AbstractBaseUser) -> bool:
    return (
        user.is_authenticated
        and reply.author_id == user.pk
        and reply.status in (Status.APPROVED, Status.PENDING)
        and timezone.now() <= edit_deadline(reply)
    )


def check_can_edit(reply: Reply, user: AbstractBaseUser) -> None:
    if not can_edit(reply, user):
        minutes = settings.MANNA_REPLY_EDIT_MINUTES
        raise PermissionDenied(
            f"Only the person who wrote a reply can change it, within {minutes} minutes of "
            "sending it."
        )


def reply_edit(*, reply: Reply, user: AbstractBaseUser, body: str) -> Reply:
    check_can_edit(reply, user)
    html = _render(reply.devotion, body)
    with transaction.atomic():
        ReplyEvent.objects.create(reply=reply, kind=Kind.EDITED, actor=user, body=reply.body)
        reply.body = body.strip()
        reply.body_html = html
        reply.edited = timezone.now()
        reply.save(update_fields=["body", "body_html", "edited"])
    return reply


def can_delete(reply: Reply, user: AbstractBaseUser) -> bool:
    if not user.is_authenticated or reply.status == Status.DELETED:
        return False
    return reply.author_id == user.pk or can_moderate(user)


def check_can_delete(reply: Reply, user: AbstractBaseUser) -> None:
    if not can_delete(reply, user):
        raise PermissionDenied("Only the person who wrote a reply, or a moderator, can delete it.")


def reply_delete(*, reply: Reply, user: AbstractBaseUser) -> None:
    """Remove the text; the reply keeps its place so answers to it still read."""
    check_can_delete(reply, user)
    with transaction.atomic():
        reply.body = ""
        reply.body_html = ""
        reply.status = Status.DELETED
        reply.save(update_fields=["body", "body_html", "status"])
        ReplyEvent.objects.create(reply=reply, kind=Kind.DELETED, actor=user)


# --- likes and flags ---------------------------------------------------------------------


def like_toggle(
    *, user: AbstractBaseUser, devotion: Devotion | None = None, reply: Reply | None = None
) -> bool:
    """Like, or take back a like; returns whether the person likes it now."""
    if is_blocked(user.email):
        raise PermissionDenied("This account may no longer like replies or devotions.")
    target = {"devotion": devotion} if devotion is not None else {"reply": reply}
    mine = Like.objects.filter(user=user, **target)
    if mine.delete()[0]:
        return False
    try:
        with transaction.atomic():
            Like.objects.create(user=user, **target)
    except IntegrityError:  # liked in another tab at the same moment
        pass
    return True


def reply_flag(*, reply: Reply, user: AbstractBaseUser, reason: str) -> Flag:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say in a few words what is wrong with this reply."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Keep the reason under 300 characters."})
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reply=reply, user=user, reason=reason)
            ReplyEvent.objects.create(reply=reply, kind=Kind.FLAGGED, actor=user, note=reason)
    except IntegrityError:
        raise ValidationError(
            "You have flagged this reply already; a moderator will look at it."
        ) from None
    return flag


# --- moderation ------------------------------------------------------------------------------

ACTIONS = {
    "approve": (Status.APPROVED, Kind.APPROVED),
    "reject": (Status.REJECTED, Kind.REJECTED),
    "spam": (Status.SPAM, Kind.SPAM),
    "block": (Status.SPAM, Kind.BLOCKED),
}


def moderate(*, replies: Iterable[Reply], action: str, moderator: AbstractBaseUser) -> int:
    """Approve, reject, mark spam, or block the authors of `replies` (their replies
    waiting for approval are marked spam too). Resolves the replies' flags."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can do this.")
    if action not in ACTIONS:
        raise ValidationError(f'Unknown action "{action}"; use one of: {", ".join(ACTIONS)}.')
    status, kind = ACTIONS[action]
    replies = [r for r in replies if r.status != Status.DELETED]
    approved: list[Reply] = []
    with transaction.atomic():
        if action == "block":
            replies = _block_authors(replies, moderator)
        for reply in replies:
            was_visible = reply.status == Status.APPROVED
            reply.status = status
            reply.save(update_fields=["status"])
            ReplyEvent.objects.create(reply=reply, kind=kind, actor=moderator)
            if status == Status.APPROVED and not was_visible:
                approved.append(reply)
        Flag.objects.filter(reply__in=replies).update(resolved=True)
    for reply in approved:
        transaction.on_commit(lambda reply=reply: notify.reply_approved(reply))
        transaction.on_commit(lambda reply=reply: notify.reply_visible(reply))
    return len(replies)


def _block_authors(replies: list[Reply], moderator: AbstractBaseUser) -> list[Reply]:
    """Block the replies' authors; returns the replies with their others still waiting."""
    accounts = {r.author_id for r in replies if r.author_id is not None}
    guests = {r.guest_email.lower() for r in replies if r.author_id is None and r.guest_email}
    emails = guests | {e.lower() for e in _account_emails(accounts)}
    for email in emails:
        Block.objects.get_or_create(email=email, defaults={"by": moderator})
    theirs = Q(author__in=accounts)
    for email in guests:
        theirs |= Q(author=None, guest_email__iexact=email)
    waiting = Reply.objects.filter(theirs, status=Status.PENDING)
    return list({r.pk: r for r in [*replies, *waiting]}.values())


def _account_emails(ids: set[int]) -> list[str]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=ids).values_list("email", flat=True))


def replies_anonymise(*, user: AbstractBaseUser) -> int:
    """Before an account is deleted: its replies stay, without a name or an address."""
    replies = list(Reply.objects.filter(author=user))
    ReplyEvent.objects.bulk_create(ReplyEvent(reply=r, kind=Kind.ANONYMISED) for r in replies)
    threads_changed(r.devotion_id for r in replies)  # an update() sends no signal
    return Reply.objects.filter(author=user).update(
        author=None, guest_name="", guest_email="", guest_site="", ip=None
    )

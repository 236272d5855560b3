"""Writes from the desk: a save is an explicit action (draft, schedule, publish, unpublish,
save changes) that writes `status:` and `date:` into the text before it is saved, so the
file stays the source of truth and nothing goes public by accident."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from manna.desk.models import DeskDraft
from manna.devotions.format import Problem, parse, with_front_matter
from manna.devotions.models import Devotion, Revision
from manna.devotions.selectors import site_today
from manna.devotions.services import devotion_save_text

ACTIONS = ("draft", "schedule", "publish", "unpublish", "save")


@dataclass(slots=True)
class DeskResult:
    text: str  # the text as saved, or as written when it could not be
    devotion: Devotion | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return self.devotion is not None and not any(p.severity == "error" for p in self.problems)


def desk_save(
    *,
    user: AbstractBaseUser,
    text: str,
    action: str,
    devotion: Devotion | None = None,
    base_revision: int | None = None,
    schedule_on: dt.date | None = None,
    schedule_slot: str | None = None,
    today: dt.date | None = None,
) -> DeskResult:
    """Save `text` as the `action` says. Refused, with the text kept and the reason given:
    an unknown action, a schedule that is not after today, a devotion someone else saved
    after this editor opened it (`base_revision`), and whatever the check finds."""
    today = today or site_today()
    if action not in ACTIONS:
        return _refused(text, f'unknown action "{action[:20]}" - use one of {", ".join(ACTIONS)}')
    if devotion is not None:
        latest = devotion.revisions.select_related("saved_by").first()
        if latest is not None and base_revision is not None and latest.pk != base_revision:
            return _refused(text, _conflict(latest))
    if action == "draft" or action == "unpublish":
        text = with_front_matter(text, status="draft")
    elif action == "schedule":
        if schedule_on is None or schedule_on <= today:
            return _refused(
                text,
                f"choose a day after today ({today:%A} {today.day} {today:%B}) to schedule it; "
                "to publish it today, use Publish now",
            )
        values = {"status": "published", "date": schedule_on.isoformat()}
        if schedule_slot:  # one of the day's slots: morning, evening
            values["slot"] = schedule_slot
        text = with_front_matter(text, **values)
    elif action == "publish":
        parsed = parse(text).devotion
        values = {"status": "published"}
        if parsed is not None and parsed.date > today:  # "now": not on a later day
            values["date"] = today.isoformat()
        text = with_front_matter(text, **values)
    result = devotion_save_text(text=text, devotion=devotion, by=user, how=Revision.DESK)
    return DeskResult(text, result.devotion, result.checked.problems)


def desk_restore(*, user: AbstractBaseUser, revision: Revision) -> DeskResult:
    """Make an earlier text the devotion's again (kept as a new revision: nothing is lost)."""
    result = devotion_save_text(
        text=revision.source, devotion=revision.devotion, by=user, how=Revision.RESTORE
    )
    return DeskResult(revision.source, result.devotion, result.checked.problems)


def _refused(text: str, message: str) -> DeskResult:
    return DeskResult(text, None, [Problem(1, 1, "error", message)])


def _conflict(latest: Revision) -> str:
    who = latest.saved_by.get_username() if latest.saved_by else "an import"
    when = timezone.localtime(latest.saved).strftime("%-d %B, %H:%M")
    return (
        f"{who} saved this devotion ({when}) after you opened it; your text is kept here, "
        "not saved - see the history for their changes, then save again"
    )


@dataclass(frozen=True, slots=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def differences(old: str, new: str) -> list[DiffLine]:
    """The lines of `new` against `old`, with those around each change (a history entry)."""
    out = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            out.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("removed", line[1:]))
        else:
            out.append(DiffLine("same", line[1:]))
    return out


def draft_keep(*, user: AbstractBaseUser, key: str, text: str) -> DeskDraft:
    """Autosave: the text being written, for this author and devotion (`key`: its slug, or
    "new"), kept until a save makes it the devotion's."""
    draft, _ = DeskDraft.objects.update_or_create(user=user, key=key, defaults={"text": text})
    return draft


def draft_forget(*, user: AbstractBaseUser, key: str) -> None:
    DeskDraft.objects.filter(user=user, key=key).delete()

"""The author's desk, `/write/`: the devotions an author writes, the editor with its live
preview, and each devotion's history. Thin: the desk's services and selectors do the work."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from manna.desk import selectors, services
from manna.desk.models import DeskDraft
from manna.devotions.check import check_text
from manna.devotions.depth import DEPTHS, LABELS, reading_minutes
from manna.devotions.format import Problem
from manna.devotions.models import Devotion, Revision
from manna.devotions.selectors import devotion_list_visible, site_today
from manna.scripture import open_store
from manna.web.http import see_other

_REF_IDS = re.compile(r'(id|aria-describedby)="ref-')
MAX_SOURCE = 200_000  # characters: a devotion is a page, not a book

View = Callable[..., HttpResponse]


def desk(view: View) -> View:
    """Signed in, and an author (or above)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_write(request.user):
            raise PermissionDenied(
                "The desk is for authors. An admin can give you the author role "
                "(manna role EMAIL author)."
            )
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@desk
def index(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in ("", *selectors.STATES):
        state = ""
    query = request.GET.get("q", "").strip()[:100]
    today = site_today()
    rows = [
        {
            "devotion": d,
            "state": selectors.state_of(d, today),
            "words": selectors.state_words(d, today),
        }
        for d in selectors.desk_devotions(user=request.user, state=state, query=query)[:200]
    ]
    return render(
        request,
        "desk/index.html",
        {"rows": rows, "state": state, "query": query, "states": selectors.STATES},
    )


@require_http_methods(["GET", "POST"])
@desk
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    today = site_today()
    text = f"---\ntitle: \npassage: \ndate: {today.isoformat()}\nstatus: draft\n---\n\n"
    return _editor(request, text=text, devotion=None)


@require_http_methods(["GET", "POST"])
@desk
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = _devotion(request, slug)
    if request.method == "POST":
        return _save(request, devotion)
    return _editor(request, text=devotion.source, devotion=devotion)


@require_safe
@desk
def format_help(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/format.html")


@require_POST
@desk
def preview(request: HttpRequest) -> HttpResponse:
    """The devotion as readers will see it, rendered from `source` (not saved): the
    editor's live preview, and its Preview button without JavaScript."""
    text = _source(request)
    context = _preview_context(text)
    return render(request, "desk/_preview.html", context, status=200 if text is not None else 400)


@require_POST
@desk
def autosave(request: HttpRequest) -> HttpResponse:
    """The editor's text, kept on the server while the author types (JSON: when)."""
    text = _source(request)
    key = request.POST.get("key", "")
    if text is None or not re.fullmatch(r"[a-z0-9-]{1,80}", key):
        return JsonResponse(
            {"error": "send the text (at most 200,000 characters) and its key"}, status=400
        )
    if key != "new":
        _devotion(request, key)  # a devotion this author may write
    draft = services.draft_keep(user=request.user, key=key, text=text)
    return JsonResponse({"saved": timezone.localtime(draft.updated).strftime("%H:%M:%S")})


@require_safe
@desk
def history(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = _devotion(request, slug)
    revisions = list(selectors.revisions_of(devotion))
    entries = []
    for i, revision in enumerate(revisions):
        before = revisions[i + 1].source if i + 1 < len(revisions) else ""
        entries.append(
            {
                "revision": revision,
                "changes": services.differences(before, revision.source),
                "current": i == 0,
            }
        )
    return render(request, "desk/history.html", {"devotion": devotion, "entries": entries})


@require_POST
@desk
def restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    devotion = _devotion(request, slug)
    revision = get_object_or_404(Revision, pk=pk, devotion=devotion)
    result = services.desk_restore(user=request.user, revision=revision)
    if not result.saved or result.devotion is None:
        return _editor(request, text=result.text, devotion=devotion, problems=result.problems)
    when = f"{revision.saved:%-d %B, %H:%M}"
    messages.success(request, f"The text of {when} is the devotion's again (kept as a revision).")
    return see_other(reverse("desk_edit", args=[result.devotion.slug]))


@require_safe
def author(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's published devotions, newest first (a public page)."""
    profile = selectors.authors_by_slug().get(slug)
    if profile is None:
        raise Http404(f'No author "{slug[:80]}" has published a devotion here.')
    devotions = devotion_list_visible().filter(writer=profile.user_id)
    return render(request, "desk/author.html", {"profile": profile, "devotions": devotions})


# --- helpers ---


def _devotion(request: HttpRequest, slug: str) -> Devotion:
    devotion = Devotion.objects.filter(slug=slug).first()
    if devotion is None:
        raise Http404(f'No devotion "{slug[:80]}". The desk lists every one you write.')
    if not selectors.may_edit(request.user, devotion):
        raise PermissionDenied("Another author writes this devotion; an admin can edit it.")
    return devotion


def _too_long() -> Problem:
    return Problem(1, 1, "error", f"the text is over {MAX_SOURCE:,} characters long")


def _source(request: HttpRequest) -> str | None:
    text = request.POST.get("source", "")
    if len(text) > MAX_SOURCE:
        return None
    return text.replace("\r\n", "\n")


def _save(request: HttpRequest, devotion: Devotion | None) -> HttpResponse:
    data = request.POST
    text = _source(request)
    if text is None:
        return _editor(request, text="", devotion=devotion, problems=[_too_long()], status=400)
    action = data.get("action", "")
    if action == "preview":
        return _editor(request, text=text, devotion=devotion, base=data.get("base_revision"))
    try:
        schedule_on = (
            dt.date.fromisoformat(data["schedule_on"]) if data.get("schedule_on") else None
        )
    except ValueError:
        schedule_on = None
    result = services.desk_save(
        user=request.user,
        text=text,
        action=action,
        devotion=devotion,
        base_revision=_int(data.get("base_revision", "")),
        schedule_on=schedule_on,
        schedule_slot=data.get("schedule_slot", "")[:40],
    )
    if not result.saved or result.devotion is None:
        return _editor(
            request,
            text=result.text,
            devotion=devotion,
            problems=result.problems,
            base=data.get("base_revision"),
            status=400,
        )
    services.draft_forget(user=request.user, key=devotion.slug if devotion else "new")
    messages.success(request, _done(action, result.devotion))
    return see_other(reverse("desk_edit", args=[result.devotion.slug]))


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,12}", text) else None  # "²" is a digit too


def _done(action: str, devotion: Devotion) -> str:
    words = selectors.state_words(devotion)
    return {
        "draft": "Saved as a draft: only authors see it.",
        "unpublish": "Unpublished: readers no longer see it; it is a draft.",
    }.get(action, f"Saved. {words}.")


def _editor(
    request: HttpRequest,
    *,
    text: str,
    devotion: Devotion | None,
    problems: list[Problem] | None = None,
    base: str | None = None,
    status: int = 200,
) -> HttpResponse:
    today = site_today()
    latest = devotion.revisions.first() if devotion else None
    key = devotion.slug if devotion else "new"
    kept = DeskDraft.objects.filter(user=request.user, key=key).first()
    if kept is not None and (kept.text == text or (latest and kept.updated < latest.saved)):
        kept = None  # nothing unsaved, or older than the last save
    context = {
        "kept": kept,
        "key": key,
        "devotion": devotion,
        "text": text,
        "line_count": max(text.count("\n") + 1, 30),
        "state": selectors.state_of(devotion, today) if devotion else "new",
        "state_words": selectors.state_words(devotion, today) if devotion else "New, not saved",
        "base_revision": base if base is not None else (latest.pk if latest else ""),
        "today": today,
        "tomorrow": today + dt.timedelta(days=1),
        "time_zone": settings.TIME_ZONE,
        "slots": settings.MANNA_SLOTS,
        "save_problems": problems or [],
        **_preview_context(text),
    }
    return render(request, "desk/editor.html", context, status=status)


def _preview_context(text: str | None) -> dict[str, Any]:
    if text is None:
        return {"checked": None, "problems": [_too_long()], "depth_views": []}
    checked = check_text(text, store=open_store(), default_translation=settings.MANNA_TRANSLATION)
    rendered = checked.rendered
    depth_views = []
    if rendered is not None:
        for depth in DEPTHS:
            html = rendered.body_html if depth == "study" else rendered.depth_html.get(depth, "")
            if depth != "study":  # one page shows every depth: its previews' ids stay unique
                html = _REF_IDS.sub(rf'\1="{depth}-ref-', html)
            words = rendered.word_count if depth == "study" else rendered.depth_words.get(depth, 0)
            depth_views.append(
                {
                    "depth": depth,
                    "label": LABELS[depth],
                    "html": html,
                    "minutes": reading_minutes(words),
                }
            )
    return {"checked": checked, "problems": checked.problems, "depth_views": depth_views}

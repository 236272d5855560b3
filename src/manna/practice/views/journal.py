"""The private journal: list and search, the editor's saves, export and import."""

from __future__ import annotations

import functools
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from manna.devotions.selectors import devotion_get_visible
from manna.practice import exports, selectors, services
from manna.practice.forms import (
    ImportForm,
    JournalForm,
    JournalSearchForm,
)
from manna.practice.models import JournalEntry
from manna.practice.views._common import back_to, delete_confirmed, owned, today_of
from manna.scripture import ScriptureError, parse_reference
from manna.web.csrf import masked_token
from manna.web.http import posted, see_other, wants_json
from manna.web.kept import CSRF_TOKEN as _TOKEN
from manna.web.kept import filled, stand_in


def editor_form(
    request: HttpRequest, *, entry: JournalEntry | None, kind: str = "", devotion: str = ""
) -> JournalForm:
    """The journal editor's form: an entry's text and version, or a new entry's uid
    (tied to the day's `kind` session when written on a session page)."""
    initial = {
        "uid": entry.uid if entry else uuid.uuid4(),
        "version": entry.version if entry else 0,
        "writer": uuid.uuid4().hex,  # one per page: a second tab is a second writer
        "kind": kind,
        "devotion": devotion,
        "body": entry.body if entry else "",
    }
    return JournalForm(initial=initial)


def new_entry_editor(
    request: HttpRequest, *, kind: str, next_url: str, label: str, form_id: str
) -> SafeString:
    """The editor of a new entry (a session page before anything is written): the same
    for every reader but for their CSRF token, their owner mark and the page's fresh ids,
    so rendered once a process for each place and filled in (it took a fifth of the page)."""
    return filled(
        _new_entry_editor(kind, next_url, label, form_id),
        {
            _TOKEN: masked_token(request),
            _OWNER: selectors.journal_owner(request.user),
            _UID: str(uuid.uuid4()),
            _WRITER: uuid.uuid4().hex,
        },
    )


_OWNER, _UID, _WRITER = (stand_in(name) for name in ("owner", "uid", "writer"))


@functools.lru_cache(maxsize=64)
def _new_entry_editor(kind: str, next_url: str, label: str, form_id: str) -> str:
    form = JournalForm(initial={"uid": _UID, "version": 0, "writer": _WRITER, "kind": kind})
    context = {"form": form, "next": next_url, "label": label, "form_id": form_id}
    return render_to_string(
        "practice/_editor.html", {**context, "csrf_token": _TOKEN, "owner": _OWNER}
    )


@login_required
@require_safe
def journal(request: HttpRequest) -> HttpResponse:
    """The reader's entries, newest first, or those matching words and a passage."""
    form = JournalSearchForm(request.GET)
    entries = selectors.journal_search(user=request.user)
    searched = False
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["passage"]):
        passage = None
        if form.cleaned_data["passage"]:
            try:
                passage = parse_reference(form.cleaned_data["passage"])
            except ScriptureError as err:
                form.add_error("passage", str(err))
        if not form.errors:
            searched = True
            entries = selectors.journal_search(
                user=request.user, words=form.cleaned_data["q"], passage=passage
            )
    context = {"form": form, "entries": entries[:200], "searched": searched}
    return render(request, "practice/journal.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def journal_new(request: HttpRequest) -> HttpResponse:
    """A new entry; `?devotion=slug` ties it to that devotion and its passage."""
    devotion = devotion_get_visible(slug=request.GET.get("devotion", ""))
    form = editor_form(request, entry=None, devotion=devotion.slug if devotion else "")
    return render(request, "practice/entry.html", {"form": form, "devotion": devotion})


@login_required
@require_safe
def journal_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = owned(selectors.entry_get(user=request.user, pk=pk))
    context = {"form": editor_form(request, entry=entry), "entry": entry}
    return render(request, "practice/entry.html", context)


@require_POST
def journal_save(request: HttpRequest) -> HttpResponse:
    """One save from the editor: JSON for the script, a redirect (or the form again with
    its text and the reason) without it."""
    if not request.user.is_authenticated:
        if wants_json(request):
            return JsonResponse(
                {
                    "error": "You are signed out. Sign in again in another tab; your text is "
                    "kept in this browser and will be sent then."
                },
                status=401,
            )
        return redirect(f"{reverse('signin')}?next={reverse('journal_new')}")
    form = JournalForm(request.POST)
    saved, error, status = save_posted(request, form)
    if saved is None:
        if wants_json(request):
            answer = {"error": error, **({"owner": "other"} if status == 403 else {})}
            return JsonResponse(answer, status=status)
        return render(request, "practice/entry.html", {"form": form, "error": error}, status=status)
    entry = saved.entry
    if wants_json(request):
        return JsonResponse(
            {
                "uid": str(entry.uid),
                "version": entry.version,
                "conflict": saved.conflict,
                "url": reverse("journal_entry", args=[entry.pk]),
                "saved": entry.updated.isoformat(),
            }
        )
    if saved.conflict:
        messages.warning(request, _CONFLICT)
    else:
        messages.success(request, "Saved.")
    return see_other(back_to(request, reverse("journal_entry", args=[entry.pk])))


def save_posted(request: HttpRequest, form: JournalForm) -> tuple[services.Saved | None, str, int]:
    """Save the editor's posted text (the journal's Save, or a session's timer button,
    which sends the text with it): (what was saved, "", 200) or (None, why not, status)."""
    if not form.is_valid():
        return None, _INCOMPLETE, 400
    data = form.cleaned_data
    if data["owner"] != selectors.journal_owner(request.user):
        # Kept in this browser for another account: never saved into this journal.
        return None, _OTHER_ACCOUNT, 403
    now = timezone.now()
    try:
        session = None
        if data["kind"]:
            session = services.session_open(user=request.user, kind=data["kind"], now=now)
        devotion = devotion_get_visible(slug=data["devotion"]) if data["devotion"] else None
        saved = services.entry_save(
            user=request.user,
            uid=data["uid"],
            body=data["body"],
            base_version=data["version"],
            writer=data["writer"],
            now=now,
            session=session,
            devotion=devotion,
            passage=devotion.passage_osis if devotion else "",
        )
    except ValidationError as err:
        return None, " ".join(err.messages), 400
    return saved, "", 200


_INCOMPLETE = "The form was incomplete; reload the page (your text is below) and save again."
_OTHER_ACCOUNT = (
    "This text was written while another account was signed in on this browser. It stays "
    "in this browser for that account and is not saved here."
)


_CONFLICT = (
    "This entry was changed in another tab or device meanwhile, so what you wrote here is "
    "saved as a separate entry beside it. Nothing was overwritten."
)


@login_required
@require_http_methods(["GET", "POST"])
def journal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = owned(selectors.entry_get(user=request.user, pk=pk))
    return delete_confirmed(
        request,
        thing=entry,
        name="entry",
        delete=lambda: services.entry_delete(entry=entry),
        done=reverse("journal"),
    )


@login_required
@require_safe
def journal_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("zip", "json"):
        raise Http404("Export as .zip (Markdown files and JSON) or .json.")
    stamp = today_of(request).isoformat()
    if fmt == "zip":
        response = HttpResponse(exports.export_zip(request.user), content_type="application/zip")
    else:
        data = json.dumps(exports.export_data(request.user), ensure_ascii=False, indent=2)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="manna-journal-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def journal_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(posted(request), request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                data = exports.read_upload(form.cleaned_data["file"].read())
                report = exports.import_data(request.user, data)
            except ValidationError as err:
                form.add_error("file", err)
            else:
                messages.success(
                    request,
                    f"Imported {report.added} entries ({report.unchanged} were here already, "
                    f"{report.kept_both} kept beside a different version) and "
                    f"{report.prayers_added} prayers ({report.prayers_unchanged} were here).",
                )
                return see_other(reverse("journal"))
    return render(request, "practice/import.html", {"form": form}, status=status)

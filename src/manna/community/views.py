"""Replies, likes, flags and the moderation queue. Thin: services write, selectors read.

Status codes: a reply or devotion a person may not see is 404; one they may see but not
change is 403; a refused form is shown again with what was typed (400, 403 or 429).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from manna.accounts.selectors import can_moderate
from manna.community import selectors, services
from manna.community.forms import (
    STARTED_SALT,
    FlagForm,
    GuestReplyForm,
    ReplyBodyForm,
    ReplyForm,
    new_submission_key,
)
from manna.community.models import Reply, ReplyEvent
from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_get_visible
from manna.web.http import object_id, posted, see_other
from manna.web.ratelimit import RateLimited, check_rate, client_ip, too_many


def _devotion_or_404(request: HttpRequest, slug: str) -> Devotion:
    devotion = devotion_get_visible(slug=slug, staff=request.user.is_staff)
    if devotion is None:
        raise Http404(f'No devotion "{slug}" has been published.')
    return devotion


def _reply_or_404(request: HttpRequest, pk: int) -> Reply:
    reply = selectors.reply_get_visible(pk=pk, viewer=request.user)
    if reply is None:
        raise Http404("No such reply, or it is not visible.")
    return reply


def _reply_url(reply: Reply) -> str:
    return f"{reply.devotion.get_absolute_url()}#reply-{reply.pk}"


def _started(request: HttpRequest) -> str:
    """The guest form's signed start time: the one sent back when valid, else now."""
    token = request.POST.get("started", "")
    try:
        signing.loads(token, salt=STARTED_SALT)
    except signing.BadSignature:
        return GuestReplyForm.started_token()
    return token


@require_http_methods(["GET", "POST"])
def reply_new(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = _devotion_or_404(request, slug)
    guest = not request.user.is_authenticated
    if guest and not settings.MANNA_GUEST_REPLIES:
        return redirect_to_login(request.get_full_path())
    parent_id = request.POST.get("parent") or request.GET.get("to")
    parent = None
    if parent_id:
        number = object_id(parent_id)
        if number is None:
            raise Http404("No such reply.")
        parent = _reply_or_404(request, number)
        if parent.devotion_id != devotion.pk:
            raise Http404("That reply is under another devotion.")
    form_class = GuestReplyForm if guest else ReplyForm
    initial = {"submission_key": new_submission_key(), "parent": parent.pk if parent else None}
    form = form_class(posted(request), initial=initial)
    context = {
        "devotion": devotion,
        "parent": parent,
        "form": form,
        "guest": guest,
        "started": _started(request) if guest else "",
    }
    template = "community/reply_form.html"
    if request.method == "GET":
        return render(request, template, context)
    earlier = selectors.reply_sent_before(
        submission_key=request.POST.get("submission_key", ""),
        viewer=request.user,
        guest_email=request.POST.get("email", ""),
    )
    if earlier is not None:  # the same form again: show the reply it stored, count nothing
        return see_other(_reply_url(earlier))
    try:
        who = str(request.user.pk) if not guest else request.POST.get("email", "")
        check_rate("reply", request, who=who)
    except RateLimited as err:
        return too_many(request, template, context, err)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        poster = (
            services.Poster(guest_name=data["name"], guest_email=data["email"])
            if guest
            else services.Poster(user=request.user)
        )
        try:
            reply, _ = services.reply_post(
                devotion=devotion,
                body=data["body"],
                poster=poster,
                parent=parent,
                submission_key=data["submission_key"],
                ip=client_ip(request),
            )
        except ValidationError as err:
            form.add_error(None, err)
        except PermissionDenied as err:
            form.add_error(None, str(err))
            status = 403
        else:
            if reply.status == Reply.Status.PENDING:
                messages.info(
                    request,
                    "Thank you. Your reply waits for a moderator, as a first reply does; "
                    "it will appear once approved.",
                )
            return see_other(_reply_url(reply))
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    services.check_can_edit(reply, request.user)
    form = ReplyBodyForm(posted(request), initial={"body": reply.body})
    context = {"reply": reply, "form": form, "deadline": services.edit_deadline(reply)}
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(reply=reply, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return see_other(_reply_url(reply))
    status = 400 if form.errors else 200
    return render(request, "community/reply_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    services.check_can_delete(reply, request.user)
    if request.method == "POST":
        services.reply_delete(reply=reply, user=request.user)
        messages.success(request, "The reply is deleted.")
        return see_other(_reply_url(reply))
    return render(request, "community/reply_delete.html", {"reply": reply})


@require_POST
@login_required
def reply_like(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    if reply.status != Reply.Status.APPROVED:
        raise PermissionDenied("Only approved replies can be liked.")
    return _like(request, _reply_url(reply), reply=reply)


@require_POST
@login_required
def devotion_like(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = _devotion_or_404(request, slug)
    return _like(request, f"{devotion.get_absolute_url()}#likes", devotion=devotion)


def _like(request: HttpRequest, back: str, **target: object) -> HttpResponse:
    try:
        check_rate("like", request, who=str(request.user.pk))
    except RateLimited as err:
        return too_many(request, "429.html", {"message": str(err)}, err)
    services.like_toggle(user=request.user, **target)  # type: ignore[arg-type]
    return see_other(back)


@require_http_methods(["GET", "POST"])
@login_required
def reply_flag(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    form = FlagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_flag(reply=reply, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, "Thank you. A moderator will look at this reply.")
            return see_other(_reply_url(reply))
    status = 400 if form.errors else 200
    return render(
        request, "community/reply_flag.html", {"reply": reply, "form": form}, status=status
    )


@require_http_methods(["GET"])
@login_required
def reply_history(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_or_404(request, pk)
    if not can_moderate(request.user):
        raise PermissionDenied("Only moderators can see a reply's history.")
    events = reply.events.select_related("actor__profile")
    return render(request, "community/reply_history.html", {"reply": reply, "events": events})


@require_http_methods(["GET", "POST"])
@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        raise PermissionDenied("Only moderators can see the moderation queue.")
    if request.method == "POST":
        ids = [n for n in map(object_id, request.POST.getlist("reply")) if n is not None]
        action = request.POST.get("action", "")
        if not ids:
            messages.error(request, "Choose at least one reply, then an action.")
        else:
            try:
                count = services.moderate(
                    replies=Reply.objects.filter(pk__in=ids).select_related("author"),
                    action=action,
                    moderator=request.user,
                )
            except ValidationError as err:
                messages.error(request, err.messages[0])
            else:
                done = dict(ReplyEvent.Kind.choices)[services.ACTIONS[action][1]].lower()
                messages.success(
                    request, f"{count} {'reply' if count == 1 else 'replies'}: {done}."
                )
        return see_other(request.path)
    queue = selectors.moderation_queue()
    return render(
        request, "community/moderation.html", {"queue": queue, "actions": services.ACTIONS}
    )

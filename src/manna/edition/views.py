"""Subscribing to the email edition without an account: `/subscribe/`, the confirmation
link, the preferences page every email links to, and the one-click unsubscribe (RFC 8058:
a POST with no form, no session and no CSRF token)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from manna.accounts.models import Role
from manna.accounts.selectors import has_role, profile_of
from manna.devotions.depth import DEPTHS
from manna.devotions.models import Devotion
from manna.edition import services, tokens
from manna.edition.forms import AccountEmailsForm, ManageForm, SubscribeForm
from manna.edition.models import Subscriber
from manna.web.http import posted, see_other
from manna.web.ratelimit import RateLimited, check_rate, too_many

BAD_LINK = (
    "This link is not valid: it is more than {days} days old, it was changed on the way, or "
    "the address has changed since. Subscribe again at /subscribe/ and a new link is sent."
)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    # A devotion page's small form arrives here by GET with the address (a cached page
    # carries no CSRF token); the full form is then sent by POST.
    initial = {
        "email": request.GET.get("email", "")[:254],
        "depth": request.GET.get("depth", "walk")[:10],
    }
    form = SubscribeForm(posted(request), initial=initial)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        try:
            check_rate("subscribe", request, who=request.POST.get("email", "").strip().lower())
        except RateLimited as err:
            return too_many(request, "edition/subscribe.html", context, err)
        if form.is_valid():
            data = form.cleaned_data
            services.subscribe(
                email=data["email"],
                depth=data["depth"],
                send_at=data["send_at"],
                time_zone=data["time_zone"],
            )
            # The same page whether the address was new, waiting or subscribed already.
            return render(request, "edition/check_inbox.html", {"email": data["email"]})
    status = 400 if form.errors else 200
    return render(request, "edition/subscribe.html", context, status=status)


def _subscriber(token: str, *, confirming: bool) -> Subscriber | None:
    try:
        return tokens.subscriber_from(token, confirming=confirming)
    except signing.BadSignature:
        return None


def _bad_link(request: HttpRequest, days: int) -> HttpResponse:
    message = BAD_LINK.format(days=days)
    return render(request, "400.html", {"message": message}, status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    subscriber = _subscriber(token, confirming=True)
    if subscriber is None:
        return _bad_link(request, tokens.CONFIRM_DAYS)
    if request.method == "POST":
        services.confirm(subscriber)
        return render(
            request,
            "edition/confirmed.html",
            {"subscriber": subscriber, "manage": tokens.manage_url(subscriber)},
        )
    return render(request, "edition/confirm.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token, confirming=False)
    if subscriber is None:
        return _bad_link(request, tokens.CONFIRM_DAYS)
    initial = {
        "depth": subscriber.depth,
        "send_at": subscriber.send_at.strftime("%H:%M"),
        "time_zone": subscriber.time_zone,
        "paused": subscriber.paused,
    }
    form = ManageForm(posted(request), initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_preferences(
            subscriber,
            depth=data["depth"],
            send_at=data["send_at"],
            time_zone=data["time_zone"],
            paused=data["paused"],
        )
        saved = True
    context = {"form": form, "subscriber": subscriber, "token": token, "saved": saved}
    return render(request, "edition/manage.html", context, status=400 if form.errors else 200)


@csrf_exempt  # RFC 8058: mail clients POST here with no session and no form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """POST unsubscribes at once (the mail client's one click, or the page's button); GET
    asks first (a link scanner must not unsubscribe anyone)."""
    subscriber = _subscriber(token, confirming=False)
    if subscriber is None:
        return _bad_link(request, tokens.CONFIRM_DAYS)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return render(request, "edition/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "edition/unsubscribe.html", {"subscriber": subscriber, "token": token})


@require_http_methods(["GET"])
def email_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """`/write/<slug>/email/?depth=walk`: for authors, the edition as subscribers at that
    depth will receive it (its HTML part), before it goes out."""
    devotion = _author_devotion(request, slug)
    depth = request.GET.get("depth", "walk")
    if depth not in DEPTHS:
        return render(
            request, "400.html", {"message": "depth: choose glimpse, walk or study."}, status=400
        )
    stand_in = Subscriber(pk=0, email="preview@example.org", depth=depth)
    message = services.edition_message(stand_in, devotion)
    html = str(message.alternatives[0][0])
    response = HttpResponse(html)
    # The preview is an email: what a mail client shows (no script runs in it either).
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
    )
    return response


def _author_devotion(request: HttpRequest, slug: str) -> Devotion:
    if not request.user.is_authenticated or not has_role(request.user, Role.AUTHOR):
        raise PermissionDenied("The email edition's pages are for authors.")
    return get_object_or_404(Devotion, slug=slug)


@require_http_methods(["GET"])
def edition_page(request: HttpRequest, slug: str) -> HttpResponse:
    """`/write/<slug>/edition/`: for authors, the devotion's email edition: its preview at
    each depth, a test sent to yourself, and what happened to it (no open or click
    tracking: only what the mail servers said)."""
    devotion = _author_devotion(request, slug)
    context = {"devotion": devotion, "counts": services.edition_counts(devotion)}
    return render(request, "edition/edition_page.html", context)


@require_http_methods(["POST"])
def send_test_to_me(request: HttpRequest, slug: str) -> HttpResponse:
    devotion = _author_devotion(request, slug)
    depth = request.POST.get("depth", "walk")
    try:
        services.send_test(devotion=devotion, address=request.user.email, depth=depth)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, f"The {depth} edition was sent to {request.user.email}.")
    return see_other(reverse("edition_page", args=[devotion.slug]))


@require_http_methods(["POST"])
def account_subscription(request: HttpRequest) -> HttpResponse:
    """The account page's button: receive the edition (`start`), or stop it (`stop`)."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in first: this is your account's subscription.")
    if request.POST.get("action") == "stop":
        found = Subscriber.objects.filter(user=request.user).first()
        if found is not None:
            services.unsubscribe(found)
        messages.success(request, "The daily email is stopped.")
    else:
        subscriber = services.account_subscribe(user=request.user)
        if subscriber.confirmed is None:
            messages.success(request, "Open the link we emailed you to confirm your address.")
        else:
            messages.success(request, "The day's devotion will come to you by email.")
    return see_other(reverse("account"))


@require_http_methods(["GET", "POST"])
@login_required
def account_emails(request: HttpRequest) -> HttpResponse:
    """Every email the account receives, on one page: the day's devotion (hour, depth,
    pause), practice reminders, answers to replies, replies to devotions written."""
    profile = profile_of(request.user)
    subscriber = Subscriber.objects.filter(user=request.user).first()
    receiving = subscriber is not None and subscriber.unsubscribed is None
    initial = {
        "edition": receiving,
        "send_at": f"{subscriber.send_at:%H:%M}" if subscriber else "06:00",
        "depth": subscriber.depth if subscriber else profile.depth,
        "paused": bool(subscriber and subscriber.paused),
        "remind_by_email": profile.remind_by_email,
        "notify_answers": profile.notify_answers,
        "notify_devotion_replies": profile.notify_devotion_replies,
    }
    form = AccountEmailsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        subscriber = services.account_emails_update(user=request.user, **form.cleaned_data)
        if form.cleaned_data["edition"] and subscriber and subscriber.confirmed is None:
            messages.success(
                request, "Saved. Open the link we emailed you to confirm your address."
            )
        else:
            messages.success(request, "Your emails are saved.")
        return see_other(reverse("account_emails"))
    context = {
        "form": form,
        "profile": profile,
        "subscriber": subscriber if receiving else None,
        "writes": has_role(request.user, Role.AUTHOR),
    }
    return render(
        request, "edition/account_emails.html", context, status=400 if form.errors else 200
    )

"""Account pages: sign up, sign in and out, confirm the address, profile, delete."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from manna.accounts import forms, services
from manna.accounts.selectors import profile_of
from manna.web.http import on_site, posted, see_other
from manna.web.ratelimit import RateLimited, check_rate, too_many


def _next_url(request: HttpRequest, default: str = "account") -> str:
    """The `next` address when it is a path on this site (never an open redirect, and
    never a bare word, which Django's redirect() would take for a view's name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if on_site(request, target):
        return target
    return str(reverse_lazy(default))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("account")
    form = forms.SignupForm(posted(request))
    context = {"form": form, "time_zones": services.time_zones()}
    if request.method == "POST":
        try:
            check_rate("signup", request, who=request.POST.get("email", ""))
        except RateLimited as err:
            return too_many(request, "accounts/signup.html", context, err)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.account_create(
                    email=data["email"],
                    password=data["password"],
                    display_name=data["display_name"],
                    time_zone=data["time_zone"],
                )
            except ValidationError as err:
                form.add_error("email", err)
            else:
                services.send_verification(user)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    f"Welcome. We sent a link to {user.email} to confirm the address; "
                    "open it to start replying.",
                )
                return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/signup.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = forms.SigninForm(posted(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    if request.method == "POST":
        try:
            check_rate("signin", request, who=request.POST.get("email", ""))
        except RateLimited as err:
            return too_many(request, "accounts/signin.html", context, err)
        if form.is_valid():
            user = authenticate(
                request,
                username=form.cleaned_data["email"].strip().lower(),
                password=form.cleaned_data["password"],
            )
            if user is not None:
                login(request, user)
                return HttpResponseRedirect(_next_url(request))
            form.add_error(
                None,
                "That email address and password do not match an account. Check both, or "
                "reset the password.",
            )
        return render(request, "accounts/signin.html", context, status=400)
    return render(request, "accounts/signin.html", context)


@require_http_methods(["GET", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in is the site's: one form, one rate limit, for staff as for
    readers. A signed-in person who is not staff is told so."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return HttpResponseRedirect(_next_url(request, default="admin:index"))
        raise PermissionDenied(
            "This account cannot open the admin. Sign out and sign in with a staff account."
        )
    target = _next_url(request, default="admin:index")
    return see_other(f"{reverse('signin')}?{urlencode({'next': target})}")


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.account_verify(token)
    except ValidationError as err:
        return render(request, "accounts/verify_failed.html", {"message": err.message}, status=400)
    messages.success(request, "Thank you: your email address is confirmed.")
    return redirect("account" if request.user.is_authenticated else "signin")


@require_POST
@login_required
def verify_resend(request: HttpRequest) -> HttpResponse:
    try:
        check_rate("email", request, who=str(request.user.pk))
    except RateLimited as err:
        messages.error(request, str(err))
        return see_other(reverse("account"))
    services.send_verification(request.user)
    messages.success(request, f"We sent a new link to {request.user.email}.")
    return redirect("account")


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    form = forms.ProfileForm(posted(request), instance=profile)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.profile_update(user=request.user, **data)
            messages.success(request, "Your settings are saved.")
            return redirect("account")
        # A failed ModelForm leaves the instance half-changed: show the saved name.
        profile.refresh_from_db()
    context = {"form": form, "profile": profile, "time_zones": services.time_zones()}
    return render(request, "accounts/account.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            services.account_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for reading with us.")
            return redirect("home")
        form.add_error("password", "That is not your password.")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links); POST, from the page or a mail client's
    one-click List-Unsubscribe-Post, turns the email off. The signed token is the
    authority, so this needs no sign-in and no CSRF token."""
    try:
        if request.method == "POST":
            _, kind = services.unsubscribe(token)
            done = True
        else:
            _, kind = services.unsubscribe_read(token)
            done = False
    except ValidationError as err:
        return render(request, "accounts/verify_failed.html", {"message": err.message}, status=400)
    what = services.UNSUBSCRIBE_KINDS[kind][1]
    return render(request, "accounts/unsubscribe.html", {"what": what, "done": done})


class _RefusedIs400:
    """A refused form is shown again with status 400, as every other form on the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class PasswordChange(_RefusedIs400, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)


class PasswordReset(_RefusedIs400, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email_password_reset.txt"
    subject_template_name = "accounts/email_password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        try:
            check_rate("email", request, who=request.POST.get("email", ""))
        except RateLimited as err:
            form = self.get_form()
            return too_many(request, self.template_name, {"form": form}, err)
        return super().post(request, *args, **kwargs)

    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"site_url": settings.MANNA_SITE_URL, "site_name": settings.MANNA_SITE_NAME}


class PasswordResetConfirm(_RefusedIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("signin")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Sign in with it.")
        return super().form_valid(form)

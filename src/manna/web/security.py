"""Two walls every request passes.

- The Content-Security-Policy header, on every response. The site has no inline scripts
  or styles, so the policy allows only the site's own files: even markup that slipped
  past the sanitiser could not run a script. MANNA_CSP replaces the policy (an empty value
  turns the header off).
- No NUL character in an address or a form: no page takes one, and PostgreSQL refuses
  to store one (a 500 where SQLite would have kept it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.MANNA_CSP
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            message = (
                "The address or the form holds a NUL character (%00), which no page takes. "
                "Remove it and send it again."
            )
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for form in forms
        for key, values in form.lists()
    )

"""Old addresses (manna.web.models.Redirect) answering with a permanent redirect.

Only a request that would be a 404 is looked up, so a page that exists costs nothing; the
home page's WordPress-style queries (`/?p=12`, `/?page_id=3`, `/?cat=4`, `/?feed=rss2`) are
looked up before the home page answers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from manna.web.models import Redirect

QUERY_KEYS = ("p", "page_id", "cat", "tag", "feed")


def redirects_set(pairs: list[tuple[str, str]], *, note: str = "") -> int:
    """Make each `old` (a path, or "/?p=12") answer with a permanent redirect to its `new`
    (one query for all); returns how many."""
    rows = {old[:1000]: new for old, new in pairs if old and old != new}
    Redirect.objects.bulk_create(
        [Redirect(old=old, new=new, note=note) for old, new in rows.items()],
        update_conflicts=True,
        unique_fields=["old"],
        update_fields=["new", "note"],
    )
    return len(rows)


def _target(path: str) -> str | None:
    candidates = [path]
    if not path.endswith("/") and "?" not in path:
        candidates.append(path + "/")
    elif path.endswith("/") and len(path) > 1:
        candidates.append(path.rstrip("/"))
    found = Redirect.objects.filter(old__in=candidates).values_list("new", flat=True).first()
    return found


class OldAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value and len(value) <= 200:
                    target = _target(f"/?{key}={value}")
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = _target(request.path)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response

"""Small helpers the site's views share."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data on a POST (even an empty one, which must show its errors), None on
    a GET. (`request.POST or None` would treat an empty POST as a GET.)"""
    return request.POST if request.method == "POST" else None


def see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST, the browser GETs `url` (a reload does not send the form again)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response

"""The page's CSRF token drawn faster: the same kind of token as Django's, checked by
Django's middleware as its own."""

from __future__ import annotations

import collections
import re

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _unmask_cipher_token,
    get_token,
)
from django.test import Client, RequestFactory

from manna.accounts.services import account_create
from manna.web.csrf import _random_indices, masked_token

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def test_it_masks_the_secret_as_django_does_afresh_each_time():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    tokens = {masked_token(request) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # the cookie renewed, as Django


def test_with_no_secret_yet_django_makes_one_and_its_cookie():
    request = RequestFactory().get("/")
    token = masked_token(request)
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(get_token(request)) == request.META["CSRF_COOKIE"]


def test_every_character_is_equally_likely():
    drawn = collections.Counter(_random_indices(62 * 2000))
    assert set(drawn) == set(range(62))
    assert max(drawn.values()) < 2000 * 1.25 and min(drawn.values()) > 2000 * 0.75


@pytest.mark.django_db
def test_djangos_middleware_accepts_a_pages_token(site_store):
    ann = account_create(email="ann@example.org", password="a long passphrase", display_name="A")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ann)
    page = client.get("/practice/session/morning/").content.decode()
    tokens = set(re.findall(r'csrfmiddlewaretoken" value="(\w{64})"', page))
    assert len(tokens) >= 2  # the header's and the editor's, each masked afresh
    for token in tokens:
        kept = client.post("/practice/depth/not-now/", {"csrfmiddlewaretoken": token})
        assert kept.status_code in (302, 303)
    refused = client.post("/practice/depth/not-now/", {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403

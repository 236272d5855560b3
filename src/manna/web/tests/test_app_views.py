"""The installable app's pieces as the server gives them (the browser's side is in
test_app.py)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image

from manna.web.app import owner_mark

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_site_and_its_icons(client, settings):
    settings.MANNA_SITE_NAME = "Morning Manna"
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert (body["name"], body["short_name"], body["display"]) == (
        "Morning Manna",
        "Morning Mann",
        "standalone",
    )
    assert [i["src"] for i in body["icons"]] == [
        "/icons/192-any.png",
        "/icons/512-any.png",
        "/icons/512-maskable.png",
    ]


@pytest.mark.parametrize(("size", "purpose"), [(192, "any"), (512, "any"), (512, "maskable")])
def test_each_icon_is_a_png_of_its_size(client, size, purpose):
    response = client.get(f"/icons/{size}-{purpose}.png")
    image = Image.open(io.BytesIO(response.content))
    assert (response["Content-Type"], image.format, image.size) == (
        "image/png",
        "PNG",
        (size, size),
    )
    corner = image.convert("RGBA").getpixel((0, 0))
    assert isinstance(corner, tuple)
    # a maskable icon fills its square; the other one has rounded (clear) corners
    assert (corner[3] == 255) == (purpose == "maskable")


@pytest.mark.parametrize("path", ["/icons/64-any.png", "/icons/192-round.png"])
def test_an_icon_that_is_not_one_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_service_worker_lives_at_the_root_and_names_this_releases_files(client):
    response = client.get("/sw.js")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert (response["Cache-Control"], response["Service-Worker-Allowed"]) == ("no-cache", "/")
    assert '"/static/manna/site.css"' in text and '"/offline/"' in text
    assert 'const SIGNOUT = "/account/signout/";' in text


def make_user(name):
    from manna.accounts.services import account_create

    return account_create(email=f"{name}@example.org", password=None, display_name=name)


def test_a_signed_in_readers_pages_say_whose_they_are(client):
    assert "Manna-Owner" not in client.get("/offline/")
    ruth = make_user("ruth")
    client.force_login(ruth)
    response = client.get("/offline/")
    assert response["Manna-Owner"] == owner_mark(ruth)
    assert owner_mark(make_user("boaz")) != owner_mark(ruth)


def test_the_owner_mark_is_the_accounts_keyed_hash_and_follows_the_secret_key(settings):
    from django.utils.crypto import salted_hmac

    ruth = make_user("ruth")
    purpose = "manna.web.offline-owner"
    assert owner_mark(ruth) == salted_hmac(purpose, str(ruth.pk)).hexdigest()[:32]
    before = owner_mark(ruth)
    settings.SECRET_KEY = "another secret key, long enough to be one" * 2
    assert owner_mark(ruth) != before
    assert owner_mark(ruth) == salted_hmac(purpose, str(ruth.pk)).hexdigest()[:32]


def test_the_recent_devotions_are_today_and_the_seven_days_before(client, site_store, monkeypatch):
    from django.utils import timezone

    from manna.conftest import SAMPLE
    from manna.devotions.models import Devotion
    from manna.devotions.services import devotion_import_paths

    devotion_import_paths(paths=[SAMPLE])
    dates = sorted(Devotion.objects.values_list("date", flat=True))
    today = dates[-1] + dt.timedelta(days=3)  # the first three days are more than 7 days old
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    urls = client.get("/offline/recent.json").json()["urls"]
    expected = Devotion.objects.filter(date__gte=today - dt.timedelta(days=7)).order_by("-date")
    assert urls == ["/"] + [d.get_absolute_url() for d in expected]
    assert len(urls) - 1 == sum(1 for d in dates if d >= today - dt.timedelta(days=7))

"""Every practice page is for a signed-in reader; the calendar feed is for its token."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/practice/",
    "/practice/settings/",
    "/practice/session/",
    "/practice/session/morning/",
    "/practice/journal/",
    "/practice/journal/new/",
    "/practice/journal/export.zip",
    "/practice/journal/import/",
    "/practice/prayers/",
    "/practice/prayers/answered/",
    "/practice/plans/",
    "/practice/rhythm/",
]
ACTIONS = [
    "/practice/settings/calendar/",
    "/practice/session/morning/start/",
    "/practice/plans/1/push/",
    "/practice/readings/1/done/",
]


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_readers_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/account/signin/?next={url}")


@pytest.mark.parametrize("url", ACTIONS)
def test_signed_out_actions_change_nothing(client, url):
    response = client.post(url)
    assert response.status_code == 302 and "/account/signin/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_opens_for_a_reader(reader, signed_in, site_store, url):
    response = signed_in(reader).get(url, follow=True)
    assert response.status_code == 200


def test_pages_link_the_practice_from_the_header(reader, signed_in, site_store):
    html = signed_in(reader).get("/").content.decode()
    assert '<a href="/practice/">Practice</a>' in html


def test_export_format_must_be_known(reader, signed_in):
    assert signed_in(reader).get("/practice/journal/export.pdf").status_code == 404

"""The Bible reader: going to a reference, verse addresses, the chapter picker."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/bible/kjv/John/3:16/", "/bible/kjv/John/3/#v16"),
        ("/bible/kjv/John/3:16-18/", "/bible/kjv/John/3/#v16"),
        ("/bible/kjv/Jn/3:16/", "/bible/kjv/John/3/#v16"),
        ("/bible/go/?ref=Ps+119%3A105&translation=kjv", "/bible/kjv/Ps/119/#v105"),
        ("/bible/go/?ref=John+3&translation=web", "/bible/web/John/3/"),
        ("/bible/go/?ref=Psalm+23", "/bible/kjv/Ps/23/"),
    ],
)
def test_a_reference_opens_its_chapter_at_its_verse(client, site_store, url, location):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, location)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/bible/go/?ref=Exodis+3", "unknown book &quot;Exodis&quot; - did you mean Exodus?"),
        ("/bible/go/?ref=John+30", "John has 21 chapters"),
        ("/bible/go/?ref=", "empty reference"),
        ("/bible/kjv/John/3:99/", "John 3 has 36 verses"),
    ],
)
def test_a_reference_that_cannot_be_read_says_why_in_the_page(client, site_store, url, message):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "<h1>Not understood</h1>" in html


def test_the_chapter_page_has_a_picker_a_go_box_and_a_psalms_heading(client, site_store):
    html = client.get("/bible/kjv/Ps/119/").content.decode()
    assert "<h1>Psalm 119</h1>" in html
    assert "<title>Psalm 119 (KJV)" in html
    assert html.count('href="/bible/kjv/Ps/') >= 150  # every psalm one click away
    assert '<a href="/bible/kjv/Ps/119/" aria-current="page">119</a>' in html
    assert 'action="/bible/go/"' in html and 'name="translation" value="kjv"' in html
    jude = client.get("/bible/kjv/Jude/1/").content.decode()
    assert "chapter-picker" not in jude  # one chapter: nothing to pick
    assert 'action="/bible/go/"' in client.get("/bible/").content.decode()

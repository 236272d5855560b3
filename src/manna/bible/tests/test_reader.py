"""The Bible reader: going to a reference, verse addresses, the chapter picker."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/bible/kjv/John/3:16/", "/bible/kjv/John/3/#v16"),
        ("/bible/kjv/John/3:16-18/", "/bible/kjv/John/3/?mark=16-18#v16"),
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


def test_a_psalms_title_heads_its_chapter_unnumbered(client, site_store):
    html = client.get("/bible/web/Ps/3/").content.decode()
    title = html.index('<li id="title" class="psalm-title">')
    assert html.index("A Psalm by David, when he fled from Absalom, his son.") > title
    assert html.index('<li id="v1" value="1">') > title
    assert client.get("/bible/go/?ref=Ps+3+title&translation=web")["Location"] == (
        "/bible/web/Ps/3/#title"
    )


def test_the_linked_passage_is_marked_whole(client, site_store):
    html = client.get("/bible/kjv/John/3/?mark=16-18").content.decode()
    assert [n for n in range(14, 21) if f'<li id="v{n}" value="{n}" class="marked">' in html] == [
        16,
        17,
        18,
    ]
    to_end = client.get("/bible/kjv/John/3/?mark=35-").content.decode()
    assert to_end.count('class="marked"') == 2  # 35 and 36, the chapter's last


@pytest.mark.parametrize("mark", ["x", "17-16", "40", "1-99", "-3"])
def test_a_mark_that_is_not_a_passage_of_the_chapter_says_so(client, site_store, mark):
    response = client.get(f"/bible/kjv/John/3/?mark={mark}")
    assert response.status_code == 400
    assert "is not a passage of John 3" in response.content.decode()


def test_the_parallel_lines_up_by_words_not_by_number(client, site_store):
    # The WEB (PyPI) places Romans' doxology at 14:24-26: beside the KJV's 16:25 stands
    # the WEB's 14:24, numbered as the WEB numbers it.
    html = client.get("/bible/kjv/Rom/16/?parallel=web").content.decode()
    row = html[html.index('<li id="v25"') :]
    row = row[: row.index("</li>")]
    assert '<sup class="pvn" title="WEB numbers it 14:24">14:24</sup>' in row
    assert "Now to him who is able to establish you" in row


def test_cited_in_follows_the_translations_numbering(client, site_store):
    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    saved = devotion_save_text(text=devotion_text("The doxology: Romans 16:25-27."))
    assert saved.devotion is not None
    web = client.get("/bible/web/Rom/14/").content.decode()
    row = web[web.index('<li id="v24"') :]
    assert "Cited in: " in row[: row.index("</li>")]  # the WEB's 14:24 is the KJV's 16:25
    kjv = client.get("/bible/kjv/Rom/16/").content.decode()
    row = kjv[kjv.index('<li id="v25"') :]
    assert "Cited in: " in row[: row.index("</li>")]

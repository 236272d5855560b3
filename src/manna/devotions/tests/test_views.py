import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from manna.devotions.services import devotion_save_text
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def devotions(site_store):
    saved = [
        devotion_save_text(
            text=devotion_text("See v.2 and Isaiah 43:1.", tags="[glory]", series="Seeing God")
        ),
        devotion_save_text(
            text=devotion_text(
                "Earlier.", title="Earlier", date="2026-11-23", passage="John 1:14-18"
            )
        ),
        devotion_save_text(text=devotion_text("Later.", title="Tomorrow", date="2026-11-25")),
        devotion_save_text(
            text=devotion_text("Draft.", title="Draft", date="2026-11-01", status="draft")
        ),
    ]
    assert all(s.devotion is not None for s in saved)
    return [s.devotion for s in saved]


def test_home_shows_todays_devotion(client, devotions):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Show Me Your Glory</h1>" in html
    assert 'href="/bible/kjv/Exod/33/#v2"' in html
    assert '<meta property="og:title" content="Show Me Your Glory (Exodus 33:12-23)">' in html


def test_home_without_devotions(client, site_store):
    assert "No devotion yet" in client.get("/").content.decode()


def test_future_and_draft_devotions_are_hidden(client, devotions):
    assert client.get("/devotions/tomorrow/").status_code == 404
    assert client.get("/devotions/draft/").status_code == 404
    archive = client.get("/archive/").content.decode()
    assert "Earlier" in archive and "Tomorrow" not in archive and "Draft" not in archive


def test_a_future_devotion_appears_on_its_day(client, devotions, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY + dt.timedelta(days=1))
    assert client.get("/devotions/tomorrow/").status_code == 200
    assert "<h1>Tomorrow</h1>" in client.get("/").content.decode()


def test_unknown_devotion_gives_a_helpful_404(client, devotions):
    response = client.get("/devotions/nope/")
    assert response.status_code == 404
    assert "No devotion &quot;nope&quot; has been published." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/archive/",
        "/series/",
        "/series/seeing-god/",
        "/tags/glory/",
        "/scripture/",
        "/bible/",
        "/search/",
    ],
)
def test_pages_render(client, devotions, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/archive/", "/scripture/", "/bible/kjv/Exod/33/", "/search/?q=glory"]
)
def test_pages_refuse_post(client, devotions, url):
    assert client.post(url).status_code == 405


def test_scripture_index_lists_cited_passages_by_book(client, devotions):
    html = client.get("/scripture/").content.decode()
    assert html.index('id="Exod"') < html.index('id="Isa"') < html.index('id="John"')
    assert '<dt><a href="/bible/kjv/Isa/43/#v1">Isaiah 43:1</a></dt>' in html


def test_reader_shows_verses_parallel_and_citing_devotions(client, devotions):
    html = client.get("/bible/kjv/Exod/33/?parallel=web").content.decode()
    assert '<li id="v2" value="2">' in html
    assert 'Cited in: <a href="/devotions/show-me-your-glory/">Show Me Your Glory</a>' in html
    assert 'rel="prev" href="/bible/kjv/Exod/32/?parallel=web"' in html
    assert 'rel="next" href="/bible/kjv/Exod/34/?parallel=web"' in html


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/bible/kjv/Exod/41/", 404, "Exodus has 40 chapters: choose one from 1 to 40."),
        (
            "/bible/xyz/Exod/1/",
            404,
            "No translation &quot;xyz&quot; is installed here. Installed: kjv, web.",
        ),
        ("/bible/kjv/Exdus/1/", 404, "There is no book &quot;Exdus&quot;. Did you mean Exodus?"),
        (
            "/bible/kjv/Exod/1/?parallel=xyz",
            400,
            # inside the site's page now, not a bare line of text
            "parallel: no translation &quot;xyz&quot; is installed (installed: kjv, web)",
        ),
        ("/search/?q=%22open", 400, "unclosed quote in search"),
        ("/search/?q=glory&translation=xyz", 400, "No translation &quot;xyz&quot; is installed"),
    ],
)
def test_bad_addresses_and_queries(client, site_store, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


def test_reader_redirects_book_names_to_osis(client, site_store):
    response = client.get("/bible/kjv/Exodus/3/")
    assert (response.status_code, response["Location"]) == (302, "/bible/kjv/Exod/3/")


def test_search_finds_scripture_and_devotions(client, devotions):
    html = client.get("/search/?q=glory").content.decode()
    assert '<a href="/devotions/show-me-your-glory/">Show Me Your Glory</a>' in html
    assert "<mark>glory</mark>" in html


def test_rss_and_atom_feeds_are_valid_with_absolute_links(client, devotions):
    rss = ET.fromstring(client.get("/feeds/rss.xml").content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [
        "Show Me Your Glory (Exodus 33:12-23)",
        "Earlier (John 1:14-18)",
    ]
    assert items[0].findtext("link") == "http://testserver/devotions/show-me-your-glory/"
    atom = ET.fromstring(client.get("/feeds/atom.xml").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert [e.find("a:link", ns).get("href") for e in atom.findall("a:entry", ns)] == [
        "http://testserver/devotions/show-me-your-glory/",
        "http://testserver/devotions/earlier/",
    ]


def test_sitemap_lists_visible_devotions(client, devotions):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)] == [
        "http://testserver/devotions/show-me-your-glory/",
        "http://testserver/devotions/earlier/",
    ]


def test_the_home_page_says_today_only_on_the_devotions_day(client, devotions, monkeypatch):
    html = client.get("/").content.decode()
    assert "Today · <time" in html and "Latest" not in html
    # a week on, nothing new published: the latest, said plainly
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 1))
    later = client.get("/?later").content.decode()  # another address: not the cached page
    assert "Today ·" not in later
    assert "Latest · <time" in later
    assert "Nothing is published for today yet; this is the latest devotion." in later


def test_a_days_devotions_in_slot_order(client, site_store):
    devotion_save_text(text=devotion_text("Night.", slug="night", title="By Night", slot="evening"))
    devotion_save_text(text=devotion_text("Dawn.", slug="dawn", title="At Dawn", slot="morning"))
    html = client.get("/").content.decode()
    assert "<h1>At Dawn</h1>" in html  # the morning's first
    assert 'Also on this day: <a href="/devotions/night/">Evening: By Night</a>' in html
    archive = client.get("/archive/").content.decode()
    assert archive.index("At Dawn") < archive.index("By Night")


def test_full_text_feeds_read_well_away_from_the_site(client, devotions, settings):
    settings.MANNA_SITE_NAME = "Daily Bread"
    rss = ET.fromstring(client.get("/feeds/rss.xml?depth=study").content)
    assert rss.findtext("./channel/title") == "Daily Bread: daily devotions"
    html = rss.find("./channel/item").findtext("description")
    assert "ref-preview" not in html and 'class="' not in html
    # "See v.2": a link with an absolute address, without the preview's words after it
    assert '<a href="http://testserver/bible/kjv/Exod/33/#v2">v.2</a>' in html
    assert "<h2>Exodus 33:12-23 (KJV)</h2>" in html  # the passage comes first
    assert "And Moses said unto the LORD, See, thou sayest unto me" in html
    footer = client.get("/archive/").content.decode()
    assert '(full text: <a href="/feeds/rss.xml?depth=study">RSS</a>' in footer


def test_a_devotion_has_a_share_card_drawn_by_the_server(client, devotions):
    import io

    from PIL import Image

    page = client.get("/devotions/show-me-your-glory/").content.decode()
    assert (
        '<meta property="og:image" content="http://testserver/devotions/show-me-your-glory/card.png">'
        in page
    )
    assert (
        'data-share="http://testserver/devotions/show-me-your-glory/" hidden' in page
    )  # shown by script
    response = client.get("/devotions/show-me-your-glory/card.png")
    image = Image.open(io.BytesIO(response.content))
    assert (response["Content-Type"], image.format, image.size) == ("image/png", "PNG", (1200, 630))
    assert client.get("/devotions/no-such-thing/card.png").status_code == 404

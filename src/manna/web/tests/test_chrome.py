"""`{% site_header %}`: the header kept per name, roles and waiting count, the token put in."""

import re

import pytest
from django.urls import set_script_prefix
from django.utils.html import escape

from manna.accounts.models import Role
from manna.accounts.services import account_create, account_set_role

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase"


def _header(page) -> str:
    html = page.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _person(name: str, role: str = Role.READER):
    user = account_create(email=f"{name}@example.org", password=PASSWORD, display_name=name)
    if role != Role.READER:
        account_set_role(user=user, role=role)
    return user


def test_each_person_sees_their_own_name_and_links(client):
    ann, bob = _person("Ann <b>"), _person("Bob", Role.AUTHOR)
    client.force_login(ann)
    header = _header(client.get("/archive/"))
    assert escape("Ann <b>") in header and "Bob" not in header
    assert ">Write<" not in header and ">Sign in<" not in header
    client.force_login(bob)
    header = _header(client.get("/archive/"))
    assert ">Bob<" in header and "Ann" not in header and ">Write<" in header
    client.logout()
    header = _header(client.get("/archive/"))
    assert ">Sign in<" in header and "Bob" not in header and "csrfmiddlewaretoken" not in header


def test_the_sign_out_form_carries_this_requests_token(client):
    client.force_login(_person("Ann"))
    first, second = (_header(client.get("/archive/")) for _ in range(2))
    tokens = [
        re.search(r'csrfmiddlewaretoken" value="(\w{64})"', h).group(1) for h in (first, second)
    ]
    assert tokens[0] != tokens[1]  # masked afresh for each page, as Django does
    assert "\x00" not in first
    signed_out = client.post("/account/signout/", {"csrfmiddlewaretoken": tokens[1]})
    assert signed_out.status_code == 302


def test_a_moderator_sees_the_waiting_count_of_the_moment(client, site_store):
    from manna.community.models import Reply
    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    devotion = devotion_save_text(text=devotion_text(date="2025-01-06"), store=site_store).devotion
    for n in range(2):
        Reply.objects.create(
            devotion=devotion, guest_name="G", body="Hi.", status="pending", submission_key=f"k{n}"
        )
    client.force_login(_person("Ruth", Role.MODERATOR))
    assert 'aria-label="2 waiting">(2)' in _header(client.get("/archive/"))
    Reply.objects.filter(submission_key="k0").update(status="approved")
    assert 'aria-label="1 waiting">(1)' in _header(client.get("/archive/"))


def test_the_head_links_and_footer_follow_the_site_name_and_the_script_prefix(client, settings):
    settings.MANNA_PAGE_CACHE_SECONDS = 0  # each page built afresh
    page = client.get("/archive/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Manna (RSS)" href="/feeds/rss.xml">'
        in page
    )
    assert '<a href="/feeds/atom.xml?depth=study">Atom</a>' in page
    settings.MANNA_SITE_NAME = "Morning & Evening"
    set_script_prefix("/daily/")  # served under /daily/ (the test client sets none)
    try:
        under = client.get("/archive/").content.decode()
    finally:
        set_script_prefix("/")
    assert 'title="Morning &amp; Evening (RSS)" href="/daily/feeds/rss.xml">' in under
    assert '<a href="/daily/feeds/atom.xml?depth=study">Atom</a>' in under
    assert client.get("/archive/").content.decode().count('href="/daily/') == 0

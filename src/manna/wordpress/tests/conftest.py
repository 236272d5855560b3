"""WordPress exports written by the tests, as WordPress writes them (WXR 1.2)."""

from __future__ import annotations

from pathlib import Path

import pytest


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def item(
    wp_id: int,
    title: str,
    content: str,
    *,
    status: str = "publish",
    post_type: str = "post",
    date: str = "2019-05-15 06:00:00",
    slug: str = "",
    creator: str = "ruth",
    excerpt: str = "",
    terms: tuple[tuple[str, str, str], ...] = (),
    comments: tuple[str, ...] = (),
) -> str:
    categories = "".join(
        f'<category domain="{domain}" nicename="{nice}">{cdata(name)}</category>'
        for domain, nice, name in terms
    )
    return f"""
  <item>
    <title>{cdata(title)}</title>
    <link>https://blog.example.org/2019/05/15/{slug}/</link>
    <pubDate>Wed, 15 May 2019 06:00:00 +0000</pubDate>
    <dc:creator>{cdata(creator)}</dc:creator>
    <guid isPermaLink="false">https://blog.example.org/?p={wp_id}</guid>
    <description></description>
    <content:encoded>{cdata(content)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{wp_id}</wp:post_id>
    <wp:post_date>{cdata(date)}</wp:post_date>
    <wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt>
    <wp:comment_status>{cdata("open")}</wp:comment_status>
    <wp:post_name>{cdata(slug)}</wp:post_name>
    <wp:status>{cdata(status)}</wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:post_type>{cdata(post_type)}</wp:post_type>
    {categories}
    {"".join(comments)}
  </item>"""


def comment(
    wp_id: int,
    content: str,
    *,
    author: str = "Naomi",
    email: str = "naomi@example.org",
    approved: str = "1",
    parent: int = 0,
    kind: str = "comment",
    date: str = "2019-05-15 08:00:00",
) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{wp_id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
      <wp:comment_author_url>https://naomi.example.org/</wp:comment_author_url>
      <wp:comment_author_IP>{cdata("192.0.2.1")}</wp:comment_author_IP>
      <wp:comment_date>{cdata(date)}</wp:comment_date>
      <wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(content)}</wp:comment_content>
      <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
      <wp:comment_type>{cdata(kind)}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>"""


def export(*items: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Morning Manna</title>
  <link>https://blog.example.org</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://blog.example.org</wp:base_site_url>
  <wp:base_blog_url>https://blog.example.org</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata("ruth")}</wp:author_login><wp:author_email>{cdata("ruth@example.org")}</wp:author_email><wp:author_display_name>{cdata("Ruth Moab")}</wp:author_display_name></wp:author>
  {"".join(items)}
</channel>
</rss>
"""


CLASSIC = """Moses asks to <strong>see</strong> God&#8217;s glory&nbsp;(v. 18).

He is answered at the rock (v.22)
and covered by a hand.

<blockquote>Fear not: for I have redeemed thee<cite>Isaiah 43:1</cite></blockquote>
[caption id="attachment_7" width="300"]<img src="https://blog.example.org/wp-content/uploads/2019/05/rock.jpg" alt="A rock" /> The cleft of the rock[/caption]

[gallery ids="7,8"]

He said, &#8220;Please show me your glory.&#8221;

Practice: Find a quiet place for ten minutes.

Dear Lord, show us your glory today. Amen."""

BLOCKS = """<!-- wp:paragraph -->
<p>Read: Psalm 23</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>The Lord is my shepherd; <em>I shall not want</em>.</p>
<!-- /wp:paragraph -->

<!-- wp:list -->
<ul class="wp-block-list"><li>Rest</li><li>Trust</li></ul>
<!-- /wp:list -->"""


COMMENTS = (
    comment(11, "Thank you. Verse 18 <em>is</em> my prayer too."),
    comment(
        12,
        "So is mine!",
        author="Ruth Moab",
        email="ruth@example.org",
        parent=11,
        date="2019-05-15 09:00:00",
    ),
    comment(
        13,
        "Waiting for a moderator",
        author="Boaz",
        email="boaz@example.org",
        approved="0",
        date="2019-05-15 10:00:00",
    ),
    comment(14, "Cheap pills", author="Spammer", email="spam@example.org", approved="spam"),
    comment(15, "Removed", approved="trash"),
    comment(16, "", author="Other blog", kind="pingback"),
    comment(17, "", author="Another", kind="trackback"),
)


def exodus(comments: tuple[str, ...]) -> str:
    """The blog's classic post (101), with these comments."""
    return item(
        101,
        "EXODUS 33:12-23 The more we commune",
        CLASSIC,
        slug="the-more-we-commune",
        terms=(("category", "devotions", "Devotions"), ("post_tag", "glory", "glory")),
        comments=comments,
    )


@pytest.fixture
def write_export(tmp_path: Path):
    def write(*items: str, name: str = "export.xml") -> Path:
        path = tmp_path / name
        path.write_text(export(*items), encoding="utf-8")
        return path

    return write


@pytest.fixture
def blog(write_export):
    """A classic post with comments of every kind, a block-editor post, a scheduled one, a
    draft, a post with no passage, a page and an attachment."""
    return write_export(
        exodus(COMMENTS),
        item(
            102,
            "THE LORD IS MY SHEPHERD",
            BLOCKS,
            slug="shepherd",
            date="2019-05-16 06:00:00",
            excerpt="<p>Rest in <em>him</em>.</p>",
        ),
        item(
            103,
            "John 3:16-21 So loved",
            "<p>Love.</p>",
            status="future",
            slug="so-loved",
            date="2030-01-01 06:00:00",
        ),
        item(
            104,
            "Romans 8:28 A draft",
            "<p>Not yet.</p>",
            status="draft",
            slug="",
            date="0000-00-00 00:00:00",
        ),
        item(
            105,
            "A note about the summer",
            "<p>We rest in July.</p>",
            slug="summer",
            date="2019-05-17 06:00:00",
        ),
        item(106, "About", "<p>Who we are.</p>", post_type="page", slug="about"),
        item(107, "rock", "", post_type="attachment", status="inherit", slug="rock"),
    )

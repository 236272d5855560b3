"""`manna import-wordpress`: a WordPress export's posts as devotions."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core import mail

from manna.cli import main
from manna.devotions.models import Devotion
from manna.wordpress import wxr
from manna.wordpress.importer import import_export
from manna.wordpress.models import ImportedPost
from manna.wordpress.tests.conftest import item

pytestmark = pytest.mark.django_db


def outcomes(report):
    return {p.wp_id: p.outcome for p in report.posts}


def test_posts_become_devotions_and_the_rest_is_skipped_and_counted(blog, site_store):
    report = import_export(blog)
    assert outcomes(report) == {
        101: "created",
        102: "created",
        103: "created",
        104: "created",
        105: "refused",
    }
    assert dict(report.skipped) == {
        "pages: not devotions": 1,
        "attachments (pictures and files): not devotions": 1,
    }
    exodus = Devotion.objects.get(slug="the-more-we-commune")
    assert (exodus.title, exodus.passage, str(exodus.date), exodus.status, exodus.author) == (
        "The more we commune",
        "Exodus 33:12-23",
        "2019-05-15",
        "published",
        "Ruth Moab",
    )
    assert sorted(t.name for t in exodus.tags.all()) == ["Devotions", "glory"]
    source = exodus.source
    assert "Moses asks to **see** God’s glory (v. 18)." in source
    assert "He is answered at the rock (v.22)  \nand covered by a hand." in source
    assert "> Isaiah 43:1 Fear not: for I have redeemed thee" in source  # cited: a quotation
    assert "> 18 He said, “Please show me your glory.”" in source  # the WEB's words
    assert "## Practice\n\nFind a quiet place for ten minutes." in source
    assert "## Prayer\n\nDear Lord, show us your glory today. Amen." in source
    # No media folder: the picture is a link to its old address (the site's pages load
    # pictures from the site alone), named in the report.
    assert "[Picture: A rock](https://blog.example.org/wp-content/uploads/2019/05/rock.jpg)" in (
        source
    )
    assert "<img" not in exodus.body_html
    assert "[gallery" not in source and "[caption" not in source
    assert (
        'href="/bible/kjv/Exod/33/?mark=18#v18"' in exodus.body_html
        or "Exod/33" in exodus.body_html
    )
    notes = {p.wp_id: p.notes for p in report.posts}
    assert "passage Exodus 33:12-23 from the title" in notes[101]
    assert "a paragraph quoting v. 18 marked as its quotation" in notes[101]
    assert "the closing prayer recognised" in notes[101]
    assert any("[gallery ids=7,8] was left out" in n for n in notes[101])
    assert (
        "1 picture(s) linked at their old addresses (no --media folder given): "
        "https://blog.example.org/wp-content/uploads/2019/05/rock.jpg"
    ) in notes[101]


def test_the_passage_from_the_first_line_and_capitals_restored(blog, site_store):
    import_export(blog)
    shepherd = Devotion.objects.get(slug="shepherd")
    assert (shepherd.title, shepherd.passage, shepherd.summary) == (
        "The Lord is my shepherd",
        "Psalm 23",
        "Rest in him.",
    )
    assert "Read: Psalm 23" not in shepherd.source
    assert "The Lord is my shepherd; *I shall not want*." in shepherd.source
    assert "- Rest\n- Trust" in shepherd.source
    assert "wp:paragraph" not in shepherd.source


def test_scheduled_and_draft_posts_keep_their_state(blog, site_store):
    import_export(blog)
    scheduled = Devotion.objects.get(slug="so-loved")
    assert (scheduled.status, str(scheduled.date)) == ("published", "2030-01-01")
    draft = Devotion.objects.get(passage="Romans 8:28")
    assert (draft.status, draft.slug) == ("draft", "a-draft")


def test_as_drafts_imports_every_post_as_a_draft(blog, site_store):
    import_export(blog, as_drafts=True)
    assert set(Devotion.objects.values_list("status", flat=True)) == {"draft"}


def test_a_post_without_a_passage_is_refused_with_what_to_do(blog, site_store):
    report = import_export(blog)
    [summer] = [p for p in report.posts if p.wp_id == 105]
    assert summer.outcome == "refused"
    assert "no passage found in the title, the first line or a category" in summer.problems[0]
    assert not Devotion.objects.filter(slug="summer").exists()


def test_importing_again_changes_nothing_and_a_later_export_updates(blog, write_export, site_store):
    import_export(blog)
    again = import_export(blog)
    assert set(outcomes(again).values()) == {"unchanged", "refused"}
    assert Devotion.objects.count() == 4 and ImportedPost.objects.count() == 4
    later = write_export(
        item(
            101,
            "EXODUS 33:12-23 The more we commune",
            "<p>Rewritten (v. 19).</p>",
            slug="the-more-we-commune",
        ),
        name="later.xml",
    )
    assert outcomes(import_export(later)) == {101: "updated"}
    assert "Rewritten" in Devotion.objects.get(slug="the-more-we-commune").source
    assert Devotion.objects.count() == 4


def test_a_devotion_edited_in_manna_since_is_left_alone_unless_forced(
    blog, write_export, site_store
):
    import_export(blog)
    edited = Devotion.objects.get(slug="so-loved")
    edited.source = edited.source.replace("Love.", "Love, edited at the desk.")
    edited.save()
    later = write_export(
        item(
            103,
            "John 3:16-21 So loved",
            "<p>Love, changed in WordPress.</p>",
            status="future",
            slug="so-loved",
            date="2030-01-01 06:00:00",
        ),
        name="later.xml",
    )
    [post] = import_export(later).posts
    assert post.outcome == "refused" and "was edited in Manna since" in post.problems[0]
    assert "edited at the desk" in Devotion.objects.get(slug="so-loved").source
    assert outcomes(import_export(later, force=True)) == {103: "updated"}
    assert "changed in WordPress" in Devotion.objects.get(slug="so-loved").source


def test_a_slug_taken_by_another_devotion_gets_the_post_id(write_export, site_store):
    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    devotion_save_text(text=devotion_text("Mine.", slug="shepherd", date="2020-01-01"))
    path = write_export(item(102, "Psalm 23 Shepherd", "<p>Theirs.</p>", slug="shepherd"))
    [post] = import_export(path).posts
    assert (post.outcome, post.slug) == ("created", "shepherd-wp102")
    assert "Mine." in Devotion.objects.get(slug="shepherd").source
    assert outcomes(import_export(path)) == {102: "unchanged"}


def test_dry_run_changes_nothing(blog, site_store):
    report = import_export(blog, dry_run=True)
    assert outcomes(report)[101] == "would create"
    assert Devotion.objects.count() == 0 and ImportedPost.objects.count() == 0


def test_the_command_reports_each_post_and_the_counts(blog, site_store):
    result = CliRunner().invoke(main, ["import-wordpress", str(blog)])
    assert result.exit_code == 1, result.output  # one post refused
    out = result.output
    assert (
        "post 101 'EXODUS 33:12-23 The more we commune': created as /devotions/the-more-we-commune/"
        in out
    )
    assert "  passage Exodus 33:12-23 from the title" in out
    assert "  refused: no passage found" in out
    assert "skipped 1 pages: not devotions" in out
    assert "comments: 5 imported, 1 pingbacks skipped, 1 trackbacks skipped" in out
    assert "authors' accounts (no password yet): ruth@example.org" in out
    assert out.strip().endswith("4 created, 1 refused")


# --- bad input: refused whole, with where ---


def test_a_truncated_export_is_refused_with_its_line_and_nothing_imported(blog, site_store):
    text = blog.read_text()
    blog.write_text(text[: len(text) // 2])
    with pytest.raises(wxr.ExportError, match=r"line \d+, column \d+: the file ends in the middle"):
        import_export(blog)
    assert Devotion.objects.count() == 0
    result = CliRunner().invoke(main, ["import-wordpress", str(blog)])
    assert result.exit_code == 2 and "nothing was imported" in result.output


def test_malformed_xml_is_refused_with_its_place(write_export, site_store):
    path = write_export(item(1, "Psalm 1 Blessed", "<p>x</p>"))
    path.write_text(
        path.read_text().replace("<wp:post_id>1</wp:post_id>", "<wp:post_id>1</wp:postid>")
    )
    with pytest.raises(wxr.ExportError) as err:
        import_export(path)
    assert err.value.line > 1 and "not well-formed XML (mismatched tag)" in str(err.value)


def test_an_entity_expansion_bomb_is_refused_unread(tmp_path, site_store):
    bomb = tmp_path / "bomb.xml"
    # "Billion laughs": each entity ten of the one before; expanded, a few GB.
    entities = '<!ENTITY e0 "ha">' + "".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss>&e9;</rss>')
    with pytest.raises(wxr.ExportError, match="declares a DTD or entities"):
        import_export(bomb)


def test_a_file_that_is_not_an_export_says_so(tmp_path, site_store):
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    with pytest.raises(wxr.ExportError, match="not <rss>: this is not a WordPress export"):
        import_export(other)


# --- comments and authors ---


def test_comments_become_replies_threaded_dated_and_in_their_state(blog, site_store):
    from manna.community.models import Reply

    report = import_export(blog)
    devotion = Devotion.objects.get(slug="the-more-we-commune")
    replies = {r.body: r for r in Reply.objects.filter(devotion=devotion)}
    assert set(replies) == {
        "Thank you. Verse 18 *is* my prayer too.",
        "So is mine!",
        "Waiting for a moderator",
        "Cheap pills",
        "Removed",
    }
    first, answer = replies["Thank you. Verse 18 *is* my prayer too."], replies["So is mine!"]
    assert (first.status, first.guest_name, first.guest_email) == (
        "approved",
        "Naomi",
        "naomi@example.org",
    )
    assert f"{first.created:%Y-%m-%d %H:%M}" == "2019-05-15 08:00"
    assert (first.guest_site, answer.guest_site) == ("https://naomi.example.org/", "")
    assert "<em>is</em>" in first.body_html
    assert answer.parent == first and answer.author.email == "ruth@example.org"  # the author's
    assert replies["Waiting for a moderator"].status == "pending"
    assert (replies["Cheap pills"].status, replies["Removed"].status) == ("spam", "deleted")
    assert report.comments == {"imported": 5, "pingbacks skipped": 1, "trackbacks skipped": 1}
    assert mail.outbox == []  # nobody is emailed about old comments
    again = import_export(blog)
    assert again.comments["unchanged"] == 5 and Reply.objects.count() == 5


def test_the_public_page_shows_only_approved_replies(blog, site_store, client):
    import_export(blog)
    page = client.get("/devotions/the-more-we-commune/").content.decode()
    assert "So is mine!" in page and "Naomi" in page
    assert "Waiting for a moderator" not in page and "Cheap pills" not in page


def test_authors_become_accounts_with_no_password_who_write_their_devotions(blog, site_store):
    from django.contrib.auth import get_user_model

    from manna.accounts.models import Profile
    from manna.accounts.selectors import role_of

    report = import_export(blog)
    ruth = get_user_model().objects.get(username="ruth@example.org")
    assert report.authors == ["ruth@example.org"]
    assert (role_of(ruth), ruth.has_usable_password()) == ("author", False)
    profile = Profile.objects.get(user=ruth)
    assert (profile.display_name, profile.email_verified) == ("Ruth Moab", False)
    assert Devotion.objects.get(slug="the-more-we-commune").writer == ruth


# --- old addresses ---


def test_old_addresses_answer_with_a_permanent_redirect(blog, site_store, client):
    report = import_export(blog)
    new = "/devotions/the-more-we-commune/"
    for old in (
        "/2019/05/15/the-more-we-commune/",
        "/2019/05/15/the-more-we-commune",
        "/?p=101",
        "/2019/05/15/the-more-we-commune/feed/",
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/category/devotions/")["Location"] == "/tags/devotions/"
    assert client.get("/tag/glory/")["Location"] == "/tags/glory/"
    assert client.get("/feed/")["Location"] == "/feeds/rss.xml"
    assert client.get("/?feed=rss2")["Location"] == "/feeds/rss.xml"
    assert client.get("/?p=999").status_code == 200  # not one of the blog's: the home page
    assert client.get("/2019/05/15/never-was/").status_code == 404
    assert report.redirects > 0


def test_redirects_are_listed_in_the_admin(blog, site_store, client):
    from manna.accounts.services import account_create_admin

    import_export(blog)
    admin = account_create_admin(email="admin@example.org", password="a long admin passphrase")
    client.force_login(admin)
    page = client.get("/admin/web/redirect/").content.decode()
    assert "/2019/05/15/the-more-we-commune/" in page and "WordPress" in page


def test_an_older_export_wxr_1_1_reads_the_same(blog, site_store):
    blog.write_text(
        blog.read_text().replace("wordpress.org/export/1.2/", "wordpress.org/export/1.1/")
    )
    report = import_export(blog)
    assert report.count("created") == 4 and report.comments["imported"] == 5


def test_strict_stops_at_the_first_post_refused_and_keeps_nothing(blog, site_store):
    from manna.wordpress.importer import StrictlyRefused

    with pytest.raises(StrictlyRefused) as err:
        import_export(blog, strict=True)
    assert err.value.report.posts[-1].wp_id == 105
    assert Devotion.objects.count() == 0 and ImportedPost.objects.count() == 0
    result = CliRunner().invoke(main, ["import-wordpress", str(blog), "--strict"])
    assert result.exit_code == 2
    assert "post 105 'A note about the summer' was refused: no passage found" in result.output
    assert "with --strict nothing was imported" in result.output
    assert Devotion.objects.count() == 0


def test_categories_as_series(blog, site_store, client):
    import_export(blog, categories="series")
    exodus = Devotion.objects.get(slug="the-more-we-commune")
    assert exodus.series.title == "Devotions"
    assert [t.name for t in exodus.tags.all()] == ["glory"]
    assert client.get("/category/devotions/")["Location"] == exodus.series.get_absolute_url()
    with pytest.raises(ValueError, match='categories must be one of tags, series, not "menus"'):
        import_export(blog, categories="menus")

"""The import's pictures, its comments in a later export, its options for spam and trash,
and its worker processes (the same result as without them)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from manna.cli import main
from manna.community.models import Reply, ReplyEvent
from manna.devotions.models import Citation, Devotion, Revision
from manna.wordpress.importer import import_export
from manna.wordpress.tests.conftest import CLASSIC, COMMENTS, comment, exodus, item

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def uploads(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "uploads"
    (folder / "2019" / "05").mkdir(parents=True)
    (folder / "2019" / "05" / "rock.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 40)
    return folder


def test_with_a_media_folder_pictures_are_stored_and_served_by_manna(
    blog, uploads, site_store, client, settings
):
    report = import_export(blog, media=uploads)
    exodus = Devotion.objects.get(slug="the-more-we-commune")
    [stored] = list((settings.MEDIA_ROOT).iterdir())
    assert f"![A rock](/media/{stored.name})" in exodus.source
    assert f'<img alt="A rock" src="/media/{stored.name}"' in exodus.body_html
    assert "1 picture(s) from the media folder" in report.posts[0].notes
    assert report.pictures == 1
    assert client.get(f"/media/{stored.name}").status_code == 200
    assert import_export(blog, media=uploads).pictures == 0  # stored already


def test_a_picture_not_in_the_media_folder_is_linked_and_named(write_export, uploads, site_store):
    missing = CLASSIC.replace("2019/05/rock.jpg", "2018/01/gone.jpg")
    path = write_export(item(1, "Exodus 33:12-23 Glory", missing, slug="glory"))
    [post] = import_export(path, media=uploads).posts
    assert (
        "1 picture(s) linked at their old addresses (not in the media folder): "
        "https://blog.example.org/wp-content/uploads/2018/01/gone.jpg"
    ) in post.notes
    assert "[Picture: A rock](https://blog.example.org/wp-content/uploads/2018/01/gone.jpg)" in (
        Devotion.objects.get(slug="glory").source
    )


def test_a_media_folder_that_is_not_there_is_refused_first(blog, tmp_path, site_store):
    with pytest.raises(ValueError, match=r"--media .*nowhere: no such folder; give a copy"):
        import_export(blog, media=tmp_path / "nowhere")
    assert Devotion.objects.count() == 0


def test_spam_and_trash_can_be_left_out(blog, site_store):
    report = import_export(blog, skip_spam=True)
    devotion = Devotion.objects.get(slug="the-more-we-commune")
    assert sorted(Reply.objects.filter(devotion=devotion).values_list("status", flat=True)) == [
        "approved",
        "approved",
        "pending",
    ]
    assert report.comments == {
        "imported": 3,
        "spam comments skipped": 1,
        "trashed comments skipped": 1,
        "pingbacks skipped": 1,
        "trackbacks skipped": 1,
    }


def test_a_later_export_updates_changed_comments_unless_moderated_here(
    write_export, blog, site_store
):
    import_export(blog)
    held = Reply.objects.get(body="Waiting for a moderator")
    first = Reply.objects.get(body__startswith="Thank you.")
    spam = Reply.objects.get(body="Cheap pills")
    # A moderator here marks the spam as deleted; WordPress later approves the held
    # comment, its author corrects the first one, and WordPress approves the spam.
    spam.status = "deleted"
    spam.save()
    ReplyEvent.objects.create(reply=spam, kind=ReplyEvent.Kind.DELETED)
    kept = ("<wp:comment_id>15<", "<wp:comment_id>16<", "<wp:comment_id>17<")
    later = [c for c in COMMENTS if any(k in c for k in kept)]
    later += [
        comment(11, "Thank you. Verse 18 is <em>still</em> my prayer."),
        comment(12, "So is mine!", author="Ruth Moab", email="ruth@example.org", parent=11),
        comment(13, "Waiting for a moderator", author="Boaz", email="boaz@example.org"),
        comment(14, "Cheap pills", author="Spammer", email="spam@example.org"),
    ]
    path = write_export(exodus(tuple(later)), name="later.xml")
    report = import_export(path)
    first.refresh_from_db()
    held.refresh_from_db()
    spam.refresh_from_db()
    assert first.body == "Thank you. Verse 18 is *still* my prayer."
    assert "<em>still</em>" in first.body_html
    assert held.status == "approved"
    assert spam.status == "deleted"  # what the moderator here decided stays
    assert report.comments["updated"] == 2
    assert report.comments["left as edited or moderated in Manna"] == 1
    assert report.comments["unchanged"] == 2
    assert Reply.objects.count() == 5
    assert ReplyEvent.objects.filter(reply=first, note="updated by an import").count() == 1


def _everything() -> list[tuple]:
    devotions = list(
        Devotion.objects.order_by("slug").values_list(
            "slug", "title", "passage", "date", "status", "body_html", "source"
        )
    )
    replies = [
        (slug, parent, re.sub(r"\br[0-9a-f]{8}-", "r-", html), status, created)  # each its own
        for slug, parent, html, status, created in Reply.objects.order_by(
            "submission_key"
        ).values_list("devotion__slug", "parent__submission_key", "body_html", "status", "created")
    ]
    cited = list(Citation.objects.order_by("devotion__slug", "start").values_list("osis"))
    tags = list(
        Devotion.tags.through.objects.order_by("devotion__slug", "tag__slug").values_list(
            "devotion__slug", "tag__slug"
        )
    )
    return [devotions, replies, cited, tags, Revision.objects.count()]


def test_worker_processes_import_exactly_what_one_process_does(blog, site_store):
    from django.db import transaction

    inline = import_export(blog, jobs=0)
    alone = _everything()
    outcomes = [(p.wp_id, p.outcome, p.slug, p.notes, p.problems) for p in inline.posts]
    # undo, then the same export through two worker processes
    with transaction.atomic():
        Reply.objects.all().delete()
        Devotion.objects.all().delete()
        from manna.wordpress.models import ImportedPost

        ImportedPost.objects.all().delete()
    parallel = import_export(blog, jobs=2)
    assert [(p.wp_id, p.outcome, p.slug, p.notes, p.problems) for p in parallel.posts] == outcomes
    assert parallel.comments == inline.comments
    assert _everything() == alone


def test_the_command_takes_the_media_folder_spam_and_workers(blog, uploads, site_store):
    result = CliRunner().invoke(
        main,
        ["import-wordpress", str(blog), "--media", str(uploads), "--skip-spam", "--jobs", "2"],
    )
    assert result.exit_code == 1, result.output  # one post refused (no passage)
    assert "comments: 3 imported, 1 pingbacks skipped, 1 spam comments skipped" in result.output
    assert "pictures stored: 1" in result.output

import pytest
from click.testing import CliRunner

from manna.cli import main
from manna.devotions.models import Citation, Devotion
from manna.devotions.services import devotion_import_paths, devotion_save_text
from manna.devotions.tests.conftest import devotion_text

pytestmark = pytest.mark.django_db


def test_import_is_idempotent(site_store, write_devotion, tmp_path):
    write_devotion("a.md", "See v.2.", tags="[glory]", series="Seeing God")
    first = devotion_import_paths(paths=[tmp_path])
    second = devotion_import_paths(paths=[tmp_path])
    assert (len(first.created), len(first.updated)) == (1, 0)
    assert (len(second.created), len(second.updated), len(second.unchanged)) == (0, 0, 1)
    assert Devotion.objects.count() == 1
    devotion = Devotion.objects.get()
    assert [t.name for t in devotion.tags.all()] == ["glory"]
    assert devotion.series.title == "Seeing God"
    assert sorted(c.osis for c in devotion.citations.all()) == [
        "Exod.33.12-Exod.33.23",
        "Exod.33.2",
    ]


def test_reimport_updates_the_text(site_store, write_devotion, tmp_path):
    path = write_devotion("a.md", "First.")
    devotion_import_paths(paths=[path])
    path.write_text(devotion_text("Second."), encoding="utf-8")
    devotion_import_paths(paths=[path])
    assert Devotion.objects.get().body_html == "<p>Second.</p>"


def test_a_file_with_errors_is_refused_whole(site_store, write_devotion, tmp_path):
    write_devotion("good.md", date="2026-11-20", slug="good")
    write_devotion("bad.md", "See Exodus 41:2.", slug="bad", date="2026-11-21")
    report = devotion_import_paths(paths=[tmp_path])
    assert [d.slug for d in report.created] == ["good"]
    assert [c.path.name for c in report.refused] == ["bad.md"]
    assert not Devotion.objects.filter(slug="bad").exists()
    assert Citation.objects.filter(devotion__slug="bad").count() == 0


def test_a_date_already_taken_is_refused(site_store):
    devotion_save_text(text=devotion_text(slug="one"))
    result = devotion_save_text(text=devotion_text(slug="two"))
    assert result.devotion is None
    assert [p.message for p in result.checked.problems if p.severity != "note"] == [
        '2026-11-24 already has a devotion ("Show Me Your Glory", slug one) - one devotion per day '
        "and slot (give this one a `slot:`, such as evening)"
    ]


def test_manna_import_command(site_store, write_devotion, tmp_path):
    path = write_devotion("a.md")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["import", str(tmp_path)]).stdout
        == "1 created, 0 updated, 0 unchanged, 0 refused, 0 warning(s)\n"
    )
    # the same file again: nothing to do, and it says so
    assert (
        runner.invoke(main, ["import", str(tmp_path)]).stdout
        == "0 created, 0 updated, 1 unchanged, 0 refused, 0 warning(s)\n"
    )
    path.write_text(path.read_text().replace("Body.", "Body, changed in the file."))
    assert (
        runner.invoke(main, ["import", str(tmp_path)]).stdout
        == "0 created, 1 updated, 0 unchanged, 0 refused, 0 warning(s)\n"
    )


def test_import_never_overwrites_edits_made_on_the_site(site_store, write_devotion, tmp_path):
    path = write_devotion("a.md")
    [devotion] = devotion_import_paths(paths=[path]).created
    edited = devotion.source.replace("Body.", "Body (edited on the site).")
    assert devotion_save_text(text=edited, devotion=devotion).devotion is not None
    path.write_text(path.read_text() + "\nA line added in the file.\n")
    runner = CliRunner()
    refused = runner.invoke(main, ["import", str(path)])
    assert refused.exit_code == 1
    assert (
        f'{path}:1:1: error: "Show Me Your Glory" (show-me-your-glory) was edited on the site ('
        in refused.stdout
    )
    assert "since its file was last imported; importing would lose those edits" in refused.stdout
    assert "edited on the site" in Devotion.objects.get().source  # kept
    forced = runner.invoke(main, ["import", "--force", str(path)])
    assert forced.exit_code == 0 and "1 updated" in forced.stdout
    assert "A line added in the file." in Devotion.objects.get().source


def test_export_writes_devotions_back_out_as_files(site_store, write_devotion, tmp_path):
    source = write_devotion("a.md")
    [devotion] = devotion_import_paths(paths=[source]).created
    devotion_save_text(text=devotion.source.replace("Body.", "Body (web)."), devotion=devotion)
    out = tmp_path / "out"
    runner = CliRunner()
    written = runner.invoke(main, ["export", "show-me-your-glory", str(out)])
    assert written.stdout == "1 written, 0 unchanged, 0 refused\n"
    exported = out / "2026-11-24-show-me-your-glory.md"
    assert "Body (web)." in exported.read_text()
    # the exported file imports as unchanged, and a second export has nothing to write
    assert "1 unchanged" in runner.invoke(main, ["import", str(exported)]).stdout
    assert runner.invoke(main, ["export", "--all", str(out)]).stdout == (
        "0 written, 1 unchanged, 0 refused\n"
    )
    # a file changed and never imported is not overwritten
    exported.write_text(exported.read_text() + "\nNot imported.\n")
    devotion = Devotion.objects.get()
    devotion_save_text(text=devotion.source.replace("(web)", "(web, again)"), devotion=devotion)
    refused = runner.invoke(main, ["export", "--all", str(out)])
    assert refused.exit_code == 1
    assert f"{exported}: has changes that were never imported" in refused.stdout
    assert "Not imported." in exported.read_text()


def test_export_needs_slugs_or_all_and_names_an_unknown_slug(site_store, tmp_path):
    runner = CliRunner()
    assert "name the devotions to export" in runner.invoke(main, ["export", str(tmp_path)]).output
    unknown = runner.invoke(main, ["export", "nope", str(tmp_path)])
    assert unknown.exit_code == 2 and "no devotion has the slug nope" in unknown.output


def test_an_over_long_title_is_refused_and_the_rest_of_the_folder_lands(
    site_store, write_devotion, tmp_path
):
    write_devotion("a.md", date="2026-11-20", slug="a")
    write_devotion("b.md", date="2026-11-21", slug="b", title="T" * 201)
    write_devotion("c.md", date="2026-11-22", slug="c")
    report = devotion_import_paths(paths=[tmp_path])
    assert sorted(d.slug for d in report.created) == ["a", "c"]
    [refused] = report.refused
    assert [p.message for p in refused.problems if p.severity == "error"] == [
        "title is 201 characters long; it may have 200"
    ]


def test_what_the_database_refuses_is_reported_never_raised(site_store, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    from manna.devotions import services

    calls = []

    def clash(*args, **kwargs):
        calls.append(1)
        raise IntegrityError('duplicate key value violates unique constraint "slug"\nDETAIL: x')

    monkeypatch.setattr(services, "_save_once", clash)
    result = devotion_save_text(text=devotion_text())
    assert result.devotion is None and len(calls) == 2  # tried once more, then reported
    assert [p.message for p in result.checked.problems if p.severity == "error"] == [
        "another import saved the same devotion, tag or series at the same moment and this "
        'one could not be saved (duplicate key value violates unique constraint "slug") - '
        "import this file again"
    ]
    monkeypatch.setattr(
        services,
        "_save_once",
        lambda *a, **k: (_ for _ in ()).throw(ValidationError({"title": ["Too long."]})),
    )
    result = devotion_save_text(text=devotion_text())
    assert [(p.line, p.message) for p in result.checked.problems if p.severity == "error"] == [
        (2, "title: Too long.")
    ]


def test_the_editor_refuses_an_alias_bomb_quickly(client, site_store):
    from django.contrib.auth.models import User

    from manna.devotions.tests.test_format import BOMB

    client.force_login(User.objects.create_superuser("a", "a@example.org", "x"))
    response = client.post("/admin/devotions/devotion/add/", {"source": BOMB + "Body.\n"})
    assert response.status_code == 200
    assert "anchors and aliases (&amp;name, *name) are not allowed" in response.content.decode()
    assert len(response.content) < 200_000


def test_a_day_may_hold_one_devotion_a_slot(site_store):
    morning = devotion_save_text(text=devotion_text(slug="m", slot="morning"))
    evening = devotion_save_text(text=devotion_text(slug="e", slot="evening", title="Evening"))
    assert morning.devotion is not None and evening.devotion is not None
    again = devotion_save_text(text=devotion_text(slug="m2", slot="morning", title="Again"))
    assert [p.message for p in again.checked.problems if p.severity == "error"] == [
        '2026-11-24, slot morning, already has a devotion ("Show Me Your Glory", slug m) - '
        "one devotion per day and slot (give this one a `slot:`, such as evening)"
    ]


def test_a_slot_the_site_does_not_know_is_refused(site_store):
    result = devotion_save_text(text=devotion_text(slot="noon"))
    assert result.devotion is None
    assert [p.message for p in result.checked.problems if p.severity == "error"] == [
        'slot "noon" is not one of this site\'s slots (morning, evening) - use one of them, '
        "or add it to MANNA_SLOTS (which also orders them)"
    ]
    bad = devotion_save_text(text=devotion_text(slot="two words"))
    assert (
        'slot "two words" must be a word such as morning or evening'
        in bad.checked.problems[0].message
    )

"""The journal: saves and their conflicts, privacy, search, export and import."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from manna.accounts.models import Role
from manna.practice import exports, selectors, services
from manna.practice.models import JournalEntry
from manna.practice.selectors import journal_owner
from manna.practice.tests.conftest import at
from manna.scripture import parse_reference

pytestmark = pytest.mark.django_db
NOW = at("2026-11-24 07:00")


def save(user, uid, body, version, writer="tab-a", **kw):
    return services.entry_save(
        user=user, uid=uid, body=body, base_version=version, writer=writer, now=NOW, **kw
    )


def test_the_first_save_makes_the_entry_and_later_ones_update_it(reader, site_store):
    uid = uuid.uuid4()
    first = save(reader, uid, "Moses asks", 0)
    assert (first.entry.version, first.conflict) == (1, False)
    second = save(reader, uid, "Moses asks to see", 1)
    assert (second.entry.pk, second.entry.version) == (first.entry.pk, 2)
    assert JournalEntry.objects.get().body == "Moses asks to see"


def test_sending_the_same_text_again_changes_nothing(reader, site_store):
    uid = uuid.uuid4()
    save(reader, uid, "one", 0)
    again = save(reader, uid, "one", 0, writer="tab-b")
    assert (again.conflict, again.entry.version) == (False, 1)
    assert JournalEntry.objects.count() == 1


def test_a_lost_reply_does_not_make_a_conflict_for_the_tab_that_saved(reader, site_store):
    uid = uuid.uuid4()
    save(reader, uid, "a", 0)
    save(reader, uid, "ab", 1)  # the reply to this save never reached the tab
    retry = save(reader, uid, "abc", 1)  # so it sends from version 1 again
    assert (retry.conflict, retry.entry.body, retry.entry.version) == (False, "abc", 3)
    assert JournalEntry.objects.count() == 1


def test_two_tabs_keep_both_versions(reader, site_store):
    uid = uuid.uuid4()
    save(reader, uid, "shared start", 0, writer="tab-a")
    save(reader, uid, "shared start, then tab A", 1, writer="tab-a")
    other = save(reader, uid, "shared start, then tab B", 1, writer="tab-b")
    assert other.conflict is True
    assert other.entry.uid != uid and other.entry.conflict_of.uid == uid
    # Tab B's next saves go to its own copy (also if it keeps sending the old version).
    later = save(reader, uid, "shared start, then tab B and more", 1, writer="tab-b")
    assert later.entry.pk == other.entry.pk
    bodies = sorted(JournalEntry.objects.values_list("body", flat=True))
    assert bodies == ["shared start, then tab A", "shared start, then tab B and more"]


def test_references_are_linked_and_indexed(reader, site_store):
    saved = save(reader, uuid.uuid4(), "The Word became flesh (Jn 1:14); see also Col 2:9.", 0)
    html = saved.entry.body_html
    assert 'data-osis="John.1.14"' in html and 'data-osis="Col.2.9"' in html
    assert "<script" not in save(reader, uuid.uuid4(), "<script>x</script>", 0).entry.body_html
    found = selectors.journal_search(user=reader, passage=parse_reference("John 1"))
    assert list(found) == [saved.entry]
    assert not selectors.journal_search(user=reader, passage=parse_reference("John 2")).exists()


def test_search_by_words_and_passage(reader, site_store):
    a = save(reader, uuid.uuid4(), "Glory passing by, Exodus 33:22", 0).entry
    b = save(reader, uuid.uuid4(), "Rest for the weary", 0).entry
    assert list(selectors.journal_search(user=reader, words="glory")) == [a]
    assert list(selectors.journal_search(user=reader, words="rest weary")) == [b]
    assert not selectors.journal_search(user=reader, words="glory weary").exists()
    touching = selectors.journal_search(user=reader, passage=parse_reference("Exod 33:18-23"))
    assert list(touching) == [a]


def test_search_page_explains_a_bad_passage(reader, signed_in, site_store):
    save(reader, uuid.uuid4(), "John 1:14", 0)
    client = signed_in(reader)
    page = client.get("/practice/journal/", {"passage": "Exodis 33"})
    assert page.status_code == 400
    assert "did you mean Exodus?" in page.content.decode()
    page = client.get("/practice/journal/", {"passage": "John 1"})
    assert "1 entry found" in page.content.decode()


def test_the_journal_is_private_even_from_moderators_and_admins(make_user, signed_in, site_store):
    owner = make_user("ruth")
    entry = save(owner, uuid.uuid4(), "Only mine", 0).entry
    for name, role in (("naomi", Role.READER), ("mod", Role.MODERATOR), ("boss", Role.ADMIN)):
        other = make_user(name, role=role)
        client = signed_in(other)
        assert client.get(f"/practice/journal/{entry.pk}/").status_code == 404
        assert client.post(f"/practice/journal/{entry.pk}/delete/").status_code == 404
        assert "Only mine" not in client.get("/practice/journal/").content.decode()
        export = client.get("/practice/journal/export.json").json()
        assert export["entries"] == []
        # Saving with the owner's uid does not touch the owner's entry.
        form = {"uid": str(entry.uid), "version": 1, "writer": "x", "body": "mine now"}
        form["owner"] = journal_owner(other)
        client.post("/practice/journal/save/", form, HTTP_ACCEPT="application/json")
    entry.refresh_from_db()
    assert entry.body == "Only mine"
    # The admin site does not list journals at all.
    client = signed_in(make_user("root", role=Role.ADMIN))
    assert client.get("/admin/practice/journalentry/").status_code == 404


def test_deleting_an_account_in_the_admin_shows_no_private_words(
    reader, make_user, signed_in, site_store
):
    import datetime as dt

    from manna.practice.plans import Plan

    save(reader, uuid.uuid4(), "My secret confession about Naomi", 0)
    prayer = services.prayer_add(user=reader, request="Heal my hidden illness", day=NOW.date())
    services.prayer_note(prayer=prayer, text="Still hidden", day=NOW.date())
    services.plan_start(
        user=reader,
        plan=Plan("After my divorce", (parse_reference("John 1"),), (51,), ("John 1",)),
        start=dt.date(2026, 11, 24),
    )
    admin = signed_in(make_user("boss", role=Role.ADMIN))
    page = admin.get(f"/admin/auth/user/{reader.pk}/delete/").content.decode()
    assert "Journal entry" in page and "Prayer" in page  # what goes is listed, by name only
    for private in ("secret confession", "hidden illness", "Still hidden", "divorce"):
        assert private not in page


def test_the_editor_saves_with_and_without_script(reader, signed_in, site_store):
    client = signed_in(reader)
    page = client.get("/practice/journal/new/")
    form = page.context["form"]
    data = {
        "uid": str(form.initial["uid"]),
        "version": 0,
        "writer": form.initial["writer"],
        "owner": journal_owner(reader),
        "body": "Typed without script",
    }
    response = client.post("/practice/journal/save/", data)
    entry = JournalEntry.objects.get()
    assert response.status_code == 303 and response["Location"] == f"/practice/journal/{entry.pk}/"
    data.update(version=1, body="And with it")
    answer = client.post("/practice/journal/save/", data, HTTP_ACCEPT="application/json").json()
    assert answer == {
        "uid": data["uid"],
        "version": 2,
        "conflict": False,
        "url": f"/practice/journal/{entry.pk}/",
        "saved": answer["saved"],
    }


def test_a_failed_save_says_why_and_keeps_the_text(reader, signed_in, site_store, settings):
    client = signed_in(reader)
    long_text = "x" * (services.JOURNAL_MAX_CHARS + 1)
    data = {"uid": str(uuid.uuid4()), "version": 0, "writer": "w", "body": long_text}
    data["owner"] = journal_owner(reader)
    response = client.post("/practice/journal/save/", data)
    assert response.status_code == 400
    assert "An entry holds up to 100,000 characters" in response.content.decode()
    assert long_text in response.content.decode()
    answer = client.post("/practice/journal/save/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and "100,000" in answer.json()["error"]
    assert not JournalEntry.objects.exists()


def test_a_draft_kept_for_another_account_is_never_saved_into_this_journal(
    reader, make_user, signed_in, site_store
):
    ruth = make_user("naomi")
    assert journal_owner(ruth) != journal_owner(reader) and len(journal_owner(ruth)) == 32
    client = signed_in(reader)
    data = {"uid": str(uuid.uuid4()), "version": 0, "writer": "w", "body": "Ruth's words"}
    answer = client.post(
        "/practice/journal/save/",
        {**data, "owner": journal_owner(ruth)},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 403 and answer.json()["owner"] == "other"
    assert "stays in this browser for that account" in answer.json()["error"]
    response = client.post("/practice/journal/save/", {**data, "owner": journal_owner(ruth)})
    assert response.status_code == 403 and "Ruth&#x27;s words" in response.content.decode()
    answer = client.post("/practice/journal/save/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400  # no owner: an old page, to be reloaded
    assert not JournalEntry.objects.exists()
    page = client.get("/practice/journal/new/").content.decode()
    assert f'data-owner="{journal_owner(reader)}"' in page
    assert f'name="owner" value="{journal_owner(reader)}"' in page


def test_signed_out_saves_are_refused_with_a_reason(client, db):
    data = {"uid": str(uuid.uuid4()), "version": 0, "writer": "w", "body": "hello"}
    answer = client.post("/practice/journal/save/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 401
    assert "kept in this browser" in answer.json()["error"]


def test_an_entry_written_on_a_session_page_belongs_to_that_session(
    reader, signed_in, site_store, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at("2026-11-24 21:00"))
    client = signed_in(reader)
    page = client.get("/practice/session/evening/").content.decode()
    data = {
        "uid": re.search(r'name="uid" value="([0-9a-f-]{36})"', page).group(1),
        "version": 0,
        "writer": "w",
        "owner": journal_owner(reader),
        "kind": "evening",
        "body": "Where was his goodness passing by?",
    }
    client.post("/practice/journal/save/", data)
    entry = JournalEntry.objects.get()
    assert (entry.session.kind, str(entry.day)) == ("evening", "2026-11-24")
    page = client.get("/practice/session/evening/")
    assert page.context["entry"] == entry
    assert "Where was his goodness passing by?" in page.content.decode()


# --- export and import ----------------------------------------------------------------------


def _fill(user):
    save(user, uuid.uuid4(), "First, on John 1:14", 0)
    save(user, uuid.uuid4(), "Second\nwith two lines", 0)
    prayer = services.prayer_add(
        user=user, request="For Anna's health", day=NOW.date(), person="Anna"
    )
    services.prayer_note(prayer=prayer, text="Better today", day=NOW.date())
    services.prayer_answer(prayer=prayer, day=NOW.date(), note="She is home")


def test_export_holds_markdown_files_and_json(reader, signed_in, site_store):
    _fill(reader)
    response = signed_in(reader).get("/practice/journal/export.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names[0] == "journal/" + names[0].split("/")[1] and len(names) == 3
    markdown = archive.read(names[0]).decode()
    assert markdown.startswith("---\ndate: 2026-11-24\n")
    data = json.loads(archive.read("manna-journal.json"))
    assert [e["body"] for e in data["entries"]] == ["First, on John 1:14", "Second\nwith two lines"]
    assert data["prayers"][0]["updates"] == [{"day": "2026-11-24", "text": "Better today"}]
    assert data["prayers"][0]["answer"] == "She is home"


def test_import_brings_an_export_back_exactly_once(make_user, site_store):
    ruth, naomi = make_user("ruth"), make_user("naomi")
    _fill(ruth)
    content = exports.export_zip(ruth)
    report = exports.import_data(naomi, exports.read_upload(content))
    assert (report.added, report.prayers_added) == (2, 1)
    assert exports.export_data(naomi) == exports.export_data(ruth)
    again = exports.import_data(naomi, exports.read_upload(content))
    assert (again.added, again.unchanged, again.prayers_unchanged) == (0, 2, 1)
    assert JournalEntry.objects.filter(user=naomi).count() == 2
    # Citations were indexed on import too.
    found = selectors.journal_search(user=naomi, passage=parse_reference("John 1"))
    assert [e.body for e in found] == ["First, on John 1:14"]


def test_import_keeps_both_when_an_entry_changed_since(reader, site_store):
    _fill(reader)
    data = exports.export_data(reader)
    data["entries"][0]["body"] = "First, edited elsewhere"
    report = exports.import_data(reader, data)
    assert (report.added, report.kept_both, report.unchanged) == (0, 1, 1)
    bodies = sorted(JournalEntry.objects.filter(user=reader).values_list("body", flat=True))
    assert bodies == ["First, edited elsewhere", "First, on John 1:14", "Second\nwith two lines"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "manna-journal", "version": 1,\n "entries": [}', "malformed at line 2"),
        (b'{"entries": []}', 'not a Manna journal export (no "format": "manna-journal")'),
        (b'{"format": "manna-journal", "version": 9}', "this Manna reads version 1"),
        (b"PK\x03\x04broken", "This zip is damaged (it cannot be unpacked)"),
        (b"[" * 200_000, "nested too deeply"),
        (
            b'{"format": "manna-journal", "version": "' + b"9" * 5000 + b'"}',
            "this Manna reads version 1",
        ),
        (b"\xff\xfe\x00", "not text in UTF-8"),
        (
            b'{"format": "manna-journal", "version": 1, "entries": [{"uid": "'
            + str(uuid.uuid4()).encode()
            + b'", "day": "24/11/2026", "body": "x"}]}',
            "entries[0].day: '24/11/2026' is not a date (YYYY-MM-DD)",
        ),
        (
            b'{"format": "manna-journal", "version": 1, "prayers": [{"uid": "nope"}]}',
            "prayers[0].uid: 'nope' is not a uid",
        ),
    ],
)
def test_a_bad_import_says_what_is_wrong_and_changes_nothing(
    reader, signed_in, site_store, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(reader)
    upload = SimpleUploadedFile("journal.json", content)
    response = client.post("/practice/journal/import/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not JournalEntry.objects.exists()


def export_json(**parts) -> bytes:
    return json.dumps({"format": "manna-journal", "version": 1, **parts}).encode()


def entry_item(body="x", **more):
    item = {"uid": str(uuid.uuid4()), "day": "2026-11-24", "body": body}
    item.update(created="2026-11-24T07:00:00+00:00", updated="2026-11-24T07:00:00+00:00")
    return {**item, **more}


def zipped(data: bytes, name="manna-journal.json") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def patched(zip_bytes: bytes, local: int, central: int, value: int) -> bytes:
    """A zip with a 2-byte field of its one member's local and central headers set."""
    out = bytearray(zip_bytes)
    for signature, offset in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = out.index(signature) + offset
        out[at : at + 2] = value.to_bytes(2, "little")
    return bytes(out)


def refused(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        exports.read_upload(content)
    return " ".join(caught.value.messages)


def test_a_zip_that_unpacks_past_the_limit_is_refused_while_unpacking(monkeypatch):
    monkeypatch.setattr(exports, "MAX_JSON_BYTES", 2**20)
    bomb = zipped(export_json(entries=[entry_item(" " * (3 * 2**20))]))
    assert len(bomb) < 20_000  # 3 MB of text in a few kilobytes
    assert "manna-journal.json unpacks to more than 1 MB" in refused(bomb)
    assert "The JSON is larger than 1 MB" in refused(b" " * (2**20 + 1))


def test_encrypted_and_oddly_packed_zips_are_refused_with_a_reason():
    plain = zipped(export_json())
    assert exports.read_upload(plain)["format"] == "manna-journal"
    assert "This zip is encrypted" in refused(patched(plain, 6, 8, 0x1))
    assert "packed in a way Manna does not read" in refused(patched(plain, 8, 10, 97))


def test_imported_text_is_held_to_the_editors_limits(reader, monkeypatch):
    def problem(**parts) -> str:
        with pytest.raises(ValidationError) as caught:
            exports.import_data(reader, json.loads(export_json(**parts)))
        return " ".join(caught.value.messages)

    too_long = entry_item("x" * 100_001)
    assert problem(entries=[too_long]) == (
        "entries[0].body: 100,001 characters; at most 100,000 fit here."
    )
    assert "contains a NUL character" in problem(entries=[entry_item("a\x00b")])
    prayer = {"uid": str(uuid.uuid4()), "day": "2026-11-24", "request": "r", "person": "p" * 121}
    assert problem(prayers=[prayer]) == "prayers[0].person: 121 characters; at most 120 fit here."
    monkeypatch.setattr(exports, "MAX_ITEMS", 2)
    assert problem(entries=[entry_item(), entry_item(), entry_item()]) == (
        "entries: 3 of them; an import takes 2."
    )
    assert not JournalEntry.objects.exists()


def test_import_links_only_devotions_the_reader_may_see(reader, site_store):
    from manna.devotions.services import devotion_save_text
    from manna.devotions.tests.conftest import devotion_text

    draft = devotion_save_text(text=devotion_text(status="draft", title="Unpublished")).devotion
    data = json.loads(export_json(entries=[entry_item(devotion=draft.slug)]))
    exports.import_data(reader, data)
    assert JournalEntry.objects.get().devotion is None


def test_import_page_reports_what_it_did(reader, signed_in, site_store, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    other = make_user("naomi")
    _fill(other)
    upload = SimpleUploadedFile("export.zip", exports.export_zip(other))
    response = signed_in(reader).post("/practice/journal/import/", {"file": upload}, follow=True)
    assert (
        "Imported 2 entries (0 were here already, 0 kept beside a different version) and 1 prayers"
        in (response.content.decode())
    )
    assert reverse("journal") == response.redirect_chain[-1][0]


def test_an_entry_about_a_devotion_reads_verses_in_its_passage(
    reader, signed_in, site_store, devotion
):
    client = signed_in(reader)
    html = client.get(devotion.get_absolute_url()).content.decode()
    assert f'href="/practice/journal/new/?devotion={devotion.slug}"' in html
    form = client.get(f"/practice/journal/new/?devotion={devotion.slug}").context["form"]
    assert form.initial["devotion"] == devotion.slug
    data = {
        "uid": str(form.initial["uid"]),
        "version": 0,
        "writer": "w",
        "owner": journal_owner(reader),
        "devotion": devotion.slug,
        "body": "The cleft of the rock in v. 22.",
    }
    client.post("/practice/journal/save/", data)
    entry = JournalEntry.objects.get()
    assert entry.devotion == devotion and entry.passage == devotion.passage_osis
    assert 'data-osis="Exod.33.22"' in entry.body_html
    found = selectors.journal_search(user=reader, passage=parse_reference("Exodus 33:22"))
    assert list(found) == [entry]


def test_the_editors_hidden_fields_are_written_as_django_writes_them():
    import uuid

    from manna.practice.forms import JournalForm
    from manna.practice.templatetags.journal import hidden_inputs

    names = ("uid", "version", "writer", "kind", "devotion")
    fresh = JournalForm(initial={"uid": uuid.uuid4(), "version": 0, "writer": "w", "kind": ""})
    sent = JournalForm(
        data={"uid": "not a uuid", "version": "3", "writer": 'a"<b>', "devotion": "x-y"}
    )
    for form in (fresh, sent):
        assert hidden_inputs(form, *names) == "".join(str(form[name]) for name in names)
    assert 'value="a&quot;&lt;b&gt;"' in hidden_inputs(sent, "writer")


def test_a_new_entrys_editor_is_the_one_django_renders_with_this_pages_values(
    reader, signed_in, monkeypatch
):
    """The session page's editor before anything is written is kept and filled in: the same
    HTML as the form rendered afresh, with this reader's mark and token and fresh ids."""
    from django.middleware import csrf
    from django.template.loader import render_to_string

    from manna.practice.forms import JournalForm

    client = signed_in(reader)
    page = client.get("/practice/session/morning/")
    request = page.wsgi_request
    kept = str(page.context["editor_html"])
    uid = re.search(r'name="uid" value="([0-9a-f-]{36})"', kept).group(1)
    writer = re.search(r'name="writer" value="([0-9a-f]{32})"', kept).group(1)
    form = JournalForm(initial={"uid": uid, "version": 0, "writer": writer, "kind": "morning"})
    context = {"form": form, "next": "/practice/session/morning/", "user": reader}
    context.update(label="What you noticed", form_id="session-journal")
    afresh = render_to_string(
        "practice/_editor.html", {**context, "csrf_token": csrf.get_token(request)}
    )
    token = re.compile(r'(csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}"')  # masked anew each time
    assert token.sub(r"\1T", kept) == token.sub(r"\1T", afresh)
    assert token.search(kept)
    assert journal_owner(reader) in kept and "\x00" not in kept
    second = str(client.get("/practice/session/morning/").context["editor_html"])
    assert uid not in second  # each page its own ids

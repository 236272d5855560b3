"""A reader's journal and prayer list out of Manna and back in.

The export is a zip holding `manna-journal.json` (everything, the format import reads) and
one Markdown file per journal entry (`journal/2026-11-24-<uid>.md`, front matter then the
text) for reading anywhere. Import takes the zip or the JSON alone. Entries and prayers
keep their `uid`: importing an export twice changes nothing, and an entry whose text
differs from the one stored is added beside it rather than written over.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from manna.markup.text import shown
from manna.practice.models import JournalEntry, Prayer, PrayerUpdate
from manna.practice.services import JOURNAL_MAX_CHARS, entry_create

FORMAT = "manna-journal"
VERSION = 1
JSON_NAME = "manna-journal.json"
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # the upload
MAX_JSON_BYTES = 100 * 1024 * 1024  # the JSON, unpacked
MAX_ITEMS = 100_000  # entries, prayers, and one prayer's updates


def export_data(user: AbstractBaseUser) -> dict[str, Any]:
    entries = (
        JournalEntry.objects.filter(user=user).select_related("devotion").order_by("day", "id")
    )
    prayers = Prayer.objects.filter(user=user).prefetch_related("updates").order_by("day", "id")
    return {
        "format": FORMAT,
        "version": VERSION,
        "entries": [
            {
                "uid": str(e.uid),
                "day": e.day.isoformat(),
                "body": e.body,
                "passage": e.passage,
                "devotion": e.devotion.slug if e.devotion else "",
                "created": e.created.isoformat(),
                "updated": e.updated.isoformat(),
            }
            for e in entries
        ],
        "prayers": [
            {
                "uid": str(p.uid),
                "day": p.day.isoformat(),
                "request": p.request,
                "person": p.person,
                "category": p.category,
                "answered_on": p.answered_on.isoformat() if p.answered_on else "",
                "answer": p.answer,
                "updates": [{"day": u.day.isoformat(), "text": u.text} for u in p.updates.all()],
            }
            for p in prayers
        ],
    }


def entry_markdown(entry: dict[str, Any]) -> str:
    lines = ["---", f"date: {entry['day']}"]
    if entry["passage"]:
        lines.append(f"passage: {entry['passage']}")
    if entry["devotion"]:
        lines.append(f"devotion: {entry['devotion']}")
    lines += [f"uid: {entry['uid']}", "---", "", entry["body"].rstrip("\n"), ""]
    return "\n".join(lines)


def export_zip(user: AbstractBaseUser) -> bytes:
    data = export_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        for entry in data["entries"]:
            name = f"journal/{entry['day']}-{entry['uid'][:8]}.md"
            archive.writestr(name, entry_markdown(entry))
    return buffer.getvalue()


# --- import ---------------------------------------------------------------------------------


@dataclass
class Imported:
    added: int = 0
    unchanged: int = 0
    kept_both: int = 0  # entries whose text differed from the stored one: added beside it
    prayers_added: int = 0
    prayers_unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def read_upload(content: bytes) -> dict[str, Any]:
    """The export's data from a zip or a JSON file, or a clear reason why not. A zip's
    member is inflated in pieces and given up past MAX_JSON_BYTES, so a small upload
    cannot grow into gigabytes in memory."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
    if content[:2] == b"PK":
        content = _member(content)
    elif len(content) > MAX_JSON_BYTES:
        raise ValidationError(f"The JSON is larger than {MAX_JSON_BYTES // 2**20} MB.")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError("The file is not text in UTF-8 nor a zip.") from None
    except json.JSONDecodeError as err:
        raise ValidationError(f"The JSON is malformed at line {err.lineno}: {err.msg}.") from None
    except RecursionError:
        raise ValidationError("The JSON is nested too deeply to be a Manna export.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(f'This is not a Manna journal export (no "format": "{FORMAT}").')
    if data.get("version") != VERSION:
        version = str(data.get("version"))[:20]
        raise ValidationError(
            f"This export is version {version!r}; this Manna reads version {VERSION}."
        )
    return data


def _member(content: bytes) -> bytes:
    """The export's JSON from inside a zip, inflated at most to MAX_JSON_BYTES."""
    not_an_export = (
        f"This zip is not a Manna export: it has no {JSON_NAME}. Upload the zip "
        "Manna made, or that JSON file alone."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            try:
                info = archive.getinfo(JSON_NAME)
            except KeyError:
                raise ValidationError(not_an_export) from None
            if info.flag_bits & 0x1:
                raise ValidationError(
                    "This zip is encrypted; Manna's exports are not. Upload the zip Manna "
                    "made, or the JSON file alone."
                )
            pieces, size = [], 0
            with archive.open(info) as member:
                while piece := member.read(1 << 20):
                    size += len(piece)
                    if size > MAX_JSON_BYTES:
                        raise ValidationError(
                            f"{JSON_NAME} unpacks to more than {MAX_JSON_BYTES // 2**20} MB: "
                            "too large to be a journal export."
                        )
                    pieces.append(piece)
            return b"".join(pieces)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ValidationError(
            "This zip is damaged (it cannot be unpacked). Export again and upload the new file."
        ) from None
    except (NotImplementedError, RuntimeError):  # a compression zip files rarely use
        raise ValidationError(
            f"This zip is packed in a way Manna does not read. Upload {JSON_NAME} alone, or "
            "a zip made with ordinary (deflate) compression."
        ) from None


def _text(
    item: dict[str, Any], key: str, where: str, required: bool = False, limit: int = 2000
) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(f"{where}.{key}: expected {'some ' if required else ''}text.")
    if len(value) > limit:
        raise ValidationError(
            f"{where}.{key}: {len(value):,} characters; at most {limit:,} fit here."
        )
    if "\x00" in value:
        raise ValidationError(f"{where}.{key}: contains a NUL character (\\u0000); remove it.")
    return value


def _date(item: dict[str, Any], key: str, where: str, optional: bool = False) -> dt.date | None:
    value = item.get(key, "")
    if optional and not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where}.{key}: {shown(repr(value), 40)} is not a date (YYYY-MM-DD)."
        ) from None


def _uid(item: dict[str, Any], where: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(item.get("uid", "")))
    except ValueError:
        raise ValidationError(
            f"{where}.uid: {shown(repr(item.get('uid')), 40)} is not a uid."
        ) from None


def _moment(item: dict[str, Any], key: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(item[key])
    except (KeyError, TypeError, ValueError):
        raise ValidationError(f"{where}.{key}: expected a date and time (ISO 8601).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValidationError(f"{key}: expected a list of objects.")
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"{key}: {len(items):,} of them; an import takes {MAX_ITEMS:,}.")
    return items


def import_data(user: AbstractBaseUser, data: dict[str, Any]) -> Imported:
    """Add what the export holds and this account does not; all or nothing."""
    from manna.devotions.selectors import devotion_get_visible

    report = Imported()
    with transaction.atomic():
        for i, item in enumerate(_list(data, "entries")):
            where = f"entries[{i}]"
            uid = _uid(item, where)
            body = _text(item, "body", where, limit=JOURNAL_MAX_CHARS)
            day = _date(item, "day", where)
            slug = _text(item, "devotion", where, limit=80)
            existing = JournalEntry.objects.filter(user=user, uid=uid).first()
            if existing is not None and existing.body == body:
                report.unchanged += 1
                continue
            entry = entry_create(
                user=user,
                uid=uid if existing is None else uuid.uuid4(),
                body=body,
                writer="import",
                now=_moment(item, "updated", where),
                session=None,
                # Only a devotion the reader may see: a draft's title never shows.
                devotion=devotion_get_visible(slug=slug) if slug else None,
                passage=_text(item, "passage", where, limit=200),
                day=day,
                conflict_of=existing,
            )
            entry.created = _moment(item, "created", where)
            entry.save(update_fields=["created"])
            if existing is None:
                report.added += 1
            else:
                report.kept_both += 1
                report.notes.append(
                    f"The entry of {day} differed from the one here; both are kept."
                )
        for i, item in enumerate(_list(data, "prayers")):
            where = f"prayers[{i}]"
            uid = _uid(item, where)
            if Prayer.objects.filter(user=user, uid=uid).exists():
                report.prayers_unchanged += 1
                continue
            prayer = Prayer.objects.create(
                user=user,
                uid=uid,
                day=_date(item, "day", where),
                request=_text(item, "request", where, required=True),
                person=_text(item, "person", where, limit=120),
                category=_text(item, "category", where, limit=60),
                answered_on=_date(item, "answered_on", where, optional=True),
                answer=_text(item, "answer", where),
            )
            updates = item.get("updates", [])
            if not isinstance(updates, list):
                raise ValidationError(f"{where}.updates: expected a list.")
            if len(updates) > MAX_ITEMS:
                raise ValidationError(f"{where}.updates: more than {MAX_ITEMS:,}.")
            for j, update in enumerate(updates):
                at = f"{where}.updates[{j}]"
                if not isinstance(update, dict):
                    raise ValidationError(f"{at}: expected an object.")
                PrayerUpdate.objects.create(
                    prayer=prayer,
                    day=_date(update, "day", at),
                    text=_text(update, "text", at, required=True),
                )
            report.prayers_added += 1
    return report

"""Writes: saving a devotion from its text, importing files. Each save is one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from manna.devotions.check import Checked, check_files, check_text, key_line
from manna.devotions.format import Problem, slugify
from manna.devotions.models import Citation, Devotion, Revision, Series, Tag, text_sha256
from manna.markup import plain_text
from manna.scripture import Reference, open_store, split_id
from manna.scripture.store import Store
from manna.web.cache import pages_changed


@dataclass(slots=True)
class SaveResult:
    checked: Checked
    devotion: Devotion | None = None
    created: bool = False


@dataclass(slots=True)
class ImportReport:
    created: list[Devotion] = field(default_factory=list)
    updated: list[Devotion] = field(default_factory=list)
    unchanged: list[Devotion] = field(default_factory=list)
    refused: list[Checked] = field(default_factory=list)
    warnings: int = 0


@dataclass(slots=True)
class ExportReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one message each


def devotion_save_text(
    *,
    text: str,
    devotion: Devotion | None = None,
    store: Store | None = None,
    checked: Checked | None = None,
    by: AbstractBaseUser | None = None,
    how: str = Revision.DESK,
) -> SaveResult:
    """Check `text` and, when it has no errors, save it: into `devotion` when given (the
    web editor, where the slug may change), else into the devotion with its slug. A save
    that changes the text keeps a revision (by whom, and `how`).

    `checked` is the result of check_text(text) when the caller has it already."""
    if checked is None:
        store = store or open_store()
        checked = check_text(text, store=store, default_translation=settings.MANNA_TRANSLATION)
    return _save_checked(checked, text, devotion, by=by, how=how)


def devotion_import_paths(
    *, paths: list[Path], store: Store | None = None, force: bool = False
) -> ImportReport:
    """Import files and folders; a file with errors is refused whole, the others land.

    A file whose devotion already holds its text is unchanged. One whose devotion was
    edited on the site since its file was last imported is refused (the edits would be
    lost) unless `force`."""
    store = store or open_store()
    report = ImportReport()
    for checked in check_files(paths, store=store, default_translation=settings.MANNA_TRANSLATION):
        report.warnings += sum(1 for p in checked.problems if p.severity == "warning")
        if not checked.ok or checked.devotion is None:
            report.refused.append(checked)
            continue
        existing = Devotion.objects.filter(slug=checked.devotion.slug).first()
        if existing is not None and existing.source == checked.text:
            if existing.file_sha256 != text_sha256(checked.text):
                Devotion.objects.filter(pk=existing.pk).update(
                    file_sha256=text_sha256(checked.text)
                )
            report.unchanged.append(existing)
            continue
        if existing is not None and existing.edited_since_file and not force:
            checked.problems.append(Problem(1, 1, "error", _edited_on_site(existing)))
            report.refused.append(checked)
            continue
        result = _save_checked(checked, checked.text, from_file=True, how=Revision.IMPORT)
        if result.devotion is None:
            report.refused.append(result.checked)
        elif result.created:
            report.created.append(result.devotion)
        else:
            report.updated.append(result.devotion)
    return report


def _edited_on_site(devotion: Devotion) -> str:
    when = timezone.localtime(devotion.updated).strftime("%-d %B %Y, %H:%M")
    return (
        f'"{devotion.title}" ({devotion.slug}) was edited on the site ({when}) since its file '
        f"was last imported; importing would lose those edits - `manna export {devotion.slug} "
        "DIR` writes them out, or import with --force to overwrite them"
    )


def devotion_export(
    *, devotions: list[Devotion], folder: Path, force: bool = False
) -> ExportReport:
    """Write each devotion's text to `folder`/<date>-<slug>.md, so that a writer can move
    between the site and files (git). A file there with changes not yet imported is not
    overwritten unless `force`."""
    report = ExportReport()
    folder.mkdir(parents=True, exist_ok=True)
    for devotion in devotions:
        path = folder / f"{devotion.date:%Y-%m-%d}-{devotion.slug}.md"
        if path.exists():
            current = path.read_text(encoding="utf-8")
            if current == devotion.source:
                report.unchanged.append(path)
                _remember_file(devotion)
                continue
            if text_sha256(current) != devotion.file_sha256 and not force:
                report.refused.append(
                    f"{path}: has changes that were never imported; `manna import {path}` "
                    "first, or export with --force to overwrite them"
                )
                continue
        path.write_text(devotion.source, encoding="utf-8")
        _remember_file(devotion)
        report.written.append(path)
    return report


def _remember_file(devotion: Devotion) -> None:
    """The devotion's text is now its file's: a later import of that file is unchanged."""
    devotion.file_sha256 = text_sha256(devotion.source)
    Devotion.objects.filter(pk=devotion.pk).update(file_sha256=devotion.file_sha256)


def _save_checked(
    checked: Checked,
    text: str,
    existing: Devotion | None = None,
    *,
    from_file: bool = False,
    by: AbstractBaseUser | None = None,
    how: str = Revision.DESK,
) -> SaveResult:
    """Save a checked devotion. What the database still refuses becomes a problem of the
    file, never a traceback: a value the check let through, or another import saving the
    same slug, tag or series at the same moment (tried once more, then reported)."""
    for attempt in (1, 2):
        try:
            return _save_once(checked, text, existing, from_file=from_file, by=by, how=how)
        except ValidationError as err:
            found = err.message_dict if hasattr(err, "error_dict") else {"file": err.messages}
            for key, messages in found.items():
                for message in messages:
                    line = key_line(text, key)
                    checked.problems.append(Problem(line, 1, "error", f"{key}: {message}"))
            return SaveResult(checked)
        except IntegrityError as err:
            if attempt == 2:
                message = (
                    "another import saved the same devotion, tag or series at the same moment "
                    f"and this one could not be saved ({str(err).splitlines()[0][:120]}) - "
                    "import this file again"
                )
                checked.problems.append(Problem(1, 1, "error", message))
    return SaveResult(checked)


def _save_once(
    checked: Checked,
    text: str,
    existing: Devotion | None,
    *,
    from_file: bool = False,
    by: AbstractBaseUser | None = None,
    how: str = Revision.DESK,
) -> SaveResult:
    result = SaveResult(checked)
    source, rendered = checked.devotion, checked.rendered
    if not checked.ok or source is None or rendered is None:
        return result
    with transaction.atomic():
        conflicts = devotion_conflicts(
            slug=source.slug, date=source.date, existing=existing, slot=source.slot
        )
        if conflicts:
            for key, message in conflicts:
                checked.problems.append(Problem(key_line(text, key), 1, "error", message))
            return result
        devotion = existing or Devotion.objects.filter(slug=source.slug).first()
        result.created = devotion is None
        devotion = devotion or Devotion()
        _fill(devotion, checked, text, series=_series(source.series), by=by)
        if from_file:
            devotion.file_sha256 = text_sha256(text)
        devotion.full_clean()
        devotion.save()
        transaction.on_commit(pages_changed, robust=True)  # its pages, every server
        devotion.tags.set(list(_tags(set(source.tags)).values()))
        Citation.objects.filter(devotion=devotion).delete()
        Citation.objects.bulk_create(_citations(devotion, source.passage, rendered.citations))
        last = devotion.revisions.first()
        if last is None or last.source != text:
            Revision.objects.create(devotion=devotion, source=text, saved_by=by, how=how)
    result.devotion = devotion
    return result


def _fill(
    devotion: Devotion,
    checked: Checked,
    text: str,
    *,
    series: Series | None,
    by: AbstractBaseUser | None,
) -> None:
    """Set the devotion's fields from its checked text (not yet saved)."""
    source, rendered = checked.devotion, checked.rendered
    assert source is not None and rendered is not None
    devotion.slug = source.slug
    devotion.title = source.title
    devotion.date = source.date
    devotion.slot = source.slot
    devotion.passage = source.passage.human()
    devotion.passage_osis = source.passage.osis()
    devotion.theme = source.theme
    devotion.summary = source.summary
    devotion.author = source.author
    devotion.translation = source.translation or settings.MANNA_TRANSLATION
    devotion.status = source.status
    devotion.series = series
    if devotion.writer_id is None and by is not None:
        devotion.writer = by
    devotion.source = text
    devotion.body_html = rendered.body_html
    devotion.walk_html = rendered.depth_html["walk"]
    devotion.glimpse_html = rendered.depth_html["glimpse"]
    devotion.glimpse_derived = rendered.glimpse_derived
    devotion.walk_words = rendered.depth_words["walk"]
    devotion.glimpse_words = rendered.depth_words["glimpse"]
    devotion.passage_html = rendered.passage_html
    devotion.plain_text = plain_text(rendered.body_html)
    devotion.word_count = rendered.word_count


@dataclass(frozen=True, slots=True)
class NewDevotion:
    checked: Checked  # ok: no errors
    text: str
    by: AbstractBaseUser | None = None


def devotions_create(new: list[NewDevotion], *, how: str = Revision.IMPORT) -> list[Devotion]:
    """Save many new devotions at once, each as devotion_save_text saves one (its series,
    tags, citations and first revision), in a few queries for them all: an import's way.
    The caller has found that no other devotion has their slugs or their dates and slots
    (devotion_conflicts); the database still refuses a clash (IntegrityError, nothing
    saved)."""
    if not new:
        return []
    with transaction.atomic():
        sources = [entry.checked.devotion for entry in new]
        series = {title: _series(title) for title in {s.series for s in sources if s and s.series}}
        tags = _tags({name for s in sources if s for name in s.tags})
        devotions = []
        for entry, source in zip(new, sources, strict=True):
            assert source is not None
            devotion = Devotion()
            _fill(
                devotion, entry.checked, entry.text, series=series.get(source.series), by=entry.by
            )
            # Uniqueness was checked by the caller, the writer and series are real rows.
            devotion.full_clean(
                exclude=["writer", "series"], validate_unique=False, validate_constraints=False
            )
            devotions.append(devotion)
        Devotion.objects.bulk_create(devotions)
        transaction.on_commit(pages_changed, robust=True)
        through = Devotion.tags.through
        tagged, cited, revisions = [], [], []
        for devotion, entry, source in zip(devotions, new, sources, strict=True):
            assert source is not None and entry.checked.rendered is not None
            tagged += [through(devotion=devotion, tag=tags[name]) for name in set(source.tags)]
            cited += _citations(devotion, source.passage, entry.checked.rendered.citations)
            revisions.append(
                Revision(devotion=devotion, source=entry.text, saved_by=entry.by, how=how)
            )
        through.objects.bulk_create(tagged)
        Citation.objects.bulk_create(cited)
        Revision.objects.bulk_create(revisions)
    return devotions


def devotion_conflicts(
    *, slug: str, date: dt.date, existing: Devotion | None, slot: str = ""
) -> list[tuple[str, str]]:
    """(front matter key, message) for each clash with another saved devotion, and a slot
    the site does not know (MANNA_SLOTS)."""
    others = Devotion.objects.exclude(pk=existing.pk) if existing else Devotion.objects.all()
    found: list[tuple[str, str]] = []
    if existing is not None and others.filter(slug=slug).exists():
        found.append(("slug", f'the slug "{slug}" is taken by another devotion'))
    if slot and slot not in settings.MANNA_SLOTS:
        known = ", ".join(settings.MANNA_SLOTS) or "none"
        found.append(
            (
                "slot",
                f'slot "{slot}" is not one of this site\'s slots ({known}) - use one of them, '
                "or add it to MANNA_SLOTS (which also orders them)",
            )
        )
    clash = others.filter(date=date, slot=slot).exclude(slug=slug).first()
    if clash is not None:
        where = f"{date}, slot {slot}," if slot else str(date)
        found.append(
            (
                "date",
                f'{where} already has a devotion ("{clash.title}", slug {clash.slug}) '
                "- one devotion per day and slot (give this one a `slot:`, such as evening)",
            )
        )
    return found


def _series(title: str) -> Series | None:
    if not title:
        return None
    series, _ = Series.objects.get_or_create(slug=slugify(title), defaults={"title": title})
    return series


def _tags(names: set[str]) -> dict[str, Tag]:
    """The tags of these names, made when missing, in three queries for them all."""
    if not names:
        return {}
    slugs = {name: slugify(name) for name in names}
    found = {t.slug: t for t in Tag.objects.filter(slug__in=slugs.values())}
    missing = {slug: name for name, slug in slugs.items() if slug not in found}
    if missing:
        Tag.objects.bulk_create(
            [Tag(slug=slug, name=name) for slug, name in missing.items()], ignore_conflicts=True
        )
        found.update({t.slug: t for t in Tag.objects.filter(slug__in=missing)})
    return {name: found[slug] for name, slug in slugs.items()}


def _citations(devotion: Devotion, passage: Reference, cited: list[Reference]) -> list[Citation]:
    """The devotion's citation rows: its passage and each passage it cites, once each."""
    rows: list[Citation] = []
    seen: set[tuple[int, int]] = set()
    for reference, is_passage in [(passage, True), *((c, False) for c in cited)]:
        for r in reference.ranges:
            if (r.start, r.end) in seen:
                continue
            seen.add((r.start, r.end))
            rows.append(
                Citation(
                    devotion=devotion,
                    book=split_id(r.start)[0],
                    start=r.start,
                    end=r.end,
                    osis=Reference((r,)).osis(),
                    is_passage=is_passage,
                )
            )
    return rows

"""Writes: saving a devotion from its text, importing files. Each save is one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from manna.devotions.check import Checked, check_files, check_text, key_line
from manna.devotions.format import Problem, slugify
from manna.devotions.models import Citation, Devotion, Series, Tag
from manna.markup import plain_text
from manna.scripture import Reference, open_store, split_id
from manna.scripture.store import Store


@dataclass(slots=True)
class SaveResult:
    checked: Checked
    devotion: Devotion | None = None
    created: bool = False


@dataclass(slots=True)
class ImportReport:
    created: list[Devotion] = field(default_factory=list)
    updated: list[Devotion] = field(default_factory=list)
    refused: list[Checked] = field(default_factory=list)
    warnings: int = 0


def devotion_save_text(
    *,
    text: str,
    devotion: Devotion | None = None,
    store: Store | None = None,
    checked: Checked | None = None,
) -> SaveResult:
    """Check `text` and, when it has no errors, save it: into `devotion` when given (the
    web editor, where the slug may change), else into the devotion with its slug.

    `checked` is the result of check_text(text) when the caller has it already."""
    if checked is None:
        store = store or open_store()
        checked = check_text(text, store=store, default_translation=settings.MANNA_TRANSLATION)
    return _save_checked(checked, text, devotion)


def devotion_import_paths(*, paths: list[Path], store: Store | None = None) -> ImportReport:
    """Import files and folders; a file with errors is refused whole, the others land."""
    store = store or open_store()
    report = ImportReport()
    for checked in check_files(paths, store=store, default_translation=settings.MANNA_TRANSLATION):
        report.warnings += sum(1 for p in checked.problems if p.severity == "warning")
        if not checked.ok:
            report.refused.append(checked)
            continue
        result = _save_checked(checked, checked.text)
        if result.devotion is None:
            report.refused.append(result.checked)
        elif result.created:
            report.created.append(result.devotion)
        else:
            report.updated.append(result.devotion)
    return report


def _save_checked(checked: Checked, text: str, existing: Devotion | None = None) -> SaveResult:
    """Save a checked devotion. What the database still refuses becomes a problem of the
    file, never a traceback: a value the check let through, or another import saving the
    same slug, tag or series at the same moment (tried once more, then reported)."""
    for attempt in (1, 2):
        try:
            return _save_once(checked, text, existing)
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


def _save_once(checked: Checked, text: str, existing: Devotion | None) -> SaveResult:
    result = SaveResult(checked)
    source, rendered = checked.devotion, checked.rendered
    if not checked.ok or source is None or rendered is None:
        return result
    with transaction.atomic():
        conflicts = devotion_conflicts(slug=source.slug, date=source.date, existing=existing)
        if conflicts:
            for key, message in conflicts:
                checked.problems.append(Problem(key_line(text, key), 1, "error", message))
            return result
        devotion = existing or Devotion.objects.filter(slug=source.slug).first()
        result.created = devotion is None
        devotion = devotion or Devotion()
        devotion.slug = source.slug
        devotion.title = source.title
        devotion.date = source.date
        devotion.passage = source.passage.human()
        devotion.passage_osis = source.passage.osis()
        devotion.theme = source.theme
        devotion.summary = source.summary
        devotion.author = source.author
        devotion.translation = source.translation or settings.MANNA_TRANSLATION
        devotion.status = source.status
        devotion.series = _series(source.series)
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
        devotion.full_clean()
        devotion.save()
        devotion.tags.set([_tag(name) for name in source.tags])
        _replace_citations(devotion, source.passage, rendered.citations)
    result.devotion = devotion
    return result


def devotion_conflicts(
    *, slug: str, date: dt.date, existing: Devotion | None
) -> list[tuple[str, str]]:
    """(front matter key, message) for each clash with another saved devotion."""
    others = Devotion.objects.exclude(pk=existing.pk) if existing else Devotion.objects.all()
    found: list[tuple[str, str]] = []
    if existing is not None and others.filter(slug=slug).exists():
        found.append(("slug", f'the slug "{slug}" is taken by another devotion'))
    clash = others.filter(date=date).exclude(slug=slug).first()
    if clash is not None:
        found.append(
            (
                "date",
                f'{date} already has a devotion ("{clash.title}", slug {clash.slug}) '
                "- one devotion per day",
            )
        )
    return found


def _series(title: str) -> Series | None:
    if not title:
        return None
    series, _ = Series.objects.get_or_create(slug=slugify(title), defaults={"title": title})
    return series


def _tag(name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return tag


def _replace_citations(devotion: Devotion, passage: Reference, cited: list[Reference]) -> None:
    devotion.citations.all().delete()
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
    Citation.objects.bulk_create(rows)

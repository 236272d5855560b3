"""`manna import-wordpress`: a WordPress export's posts as devotions, their comments as
replies, their authors as accounts, their pictures in the media store and their old
addresses as redirects (docs/wordpress.md).

The export is read twice, streamed: once to refuse a malformed file before anything is
written (`wxr.check`), then post by post. The posts are prepared (prepare.py: converted,
inferred, checked, comments rendered) in worker processes a window at a time, while this
process reads the next window and saves the last one: the new posts of a window in a few
queries for them all, the others (known from an earlier import, or clashing with a
devotion) one by one. Each is keyed by the export's site and the post's id: importing
again changes nothing, a post changed in WordPress since updates its devotion, and a
devotion edited in Manna since is left alone unless `force`.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from manna.accounts.services import account_import_author
from manna.community.services import ImportedReply, replies_import
from manna.devotions.models import Devotion, Revision, Series, Tag, text_sha256
from manna.devotions.services import NewDevotion, devotion_save_text, devotions_create
from manna.scripture import open_store
from manna.scripture.store import Store
from manna.web.media import picture_store
from manna.web.redirects import redirects_set
from manna.wordpress import wxr
from manna.wordpress.models import ImportedPost
from manna.wordpress.prepare import (
    SLUG_MAX,
    Options,
    PostReport,
    Prepared,
    comment_kind,
    prepare,
    recheck,
    slug_of,
    with_slug,
)

CATEGORIES = ("tags", "series")
WINDOW = 100  # posts prepared and saved together
SMALL = 50  # an export with fewer posts is prepared here, without worker processes
MOST_JOBS = 4  # by default: beyond them, saving in the main process is what takes the time


@dataclass(slots=True)
class Report:
    site: str = ""
    posts: list[PostReport] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> how many
    comments: Counter[str] = field(default_factory=Counter)  # outcome -> how many
    redirects: int = 0  # old addresses kept
    authors: list[str] = field(default_factory=list)  # accounts made or found
    pictures: int = 0  # stored in the media store

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.posts if p.outcome == outcome)


class StrictlyRefused(Exception):
    """With --strict, a post was refused: nothing of the import was kept."""

    def __init__(self, report: Report) -> None:
        super().__init__("a post was refused")
        self.report = report


@dataclass(frozen=True, slots=True)
class Choices:
    """How an import goes (the command's options)."""

    dry_run: bool = False
    as_drafts: bool = False
    force: bool = False
    strict: bool = False
    categories: str = "tags"
    skip_spam: bool = False
    media: Path | None = None
    jobs: int | None = None  # worker processes (None: one per core, at most MOST_JOBS)


def import_export(path: Path, *, store: Store | None = None, **choices: Any) -> Report:
    """Import the export at `path` (`choices`: Choices' fields); wxr.ExportError (nothing
    imported) when it is not a whole, well-formed WordPress export. `strict`: the first
    post refused stops the import and undoes it (StrictlyRefused). `categories`: "tags",
    or "series" (a post's first category is its devotion's series). `media`: a copy of
    wp-content/uploads, whose pictures are stored and served by Manna."""
    chosen = Choices(**choices)
    if chosen.categories not in CATEGORIES:
        raise ValueError(
            f'categories must be one of {", ".join(CATEGORIES)}, not "{chosen.categories}"'
        )
    if chosen.media is not None and not chosen.media.is_dir():
        raise ValueError(
            f"--media {chosen.media}: no such folder; give a copy of the blog's "
            "wp-content/uploads folder"
        )
    posts = wxr.check(path)
    jobs = chosen.jobs
    if jobs is None:
        jobs = min(os.cpu_count() or 1, MOST_JOBS) if posts >= SMALL else 0
    with transaction.atomic() if chosen.strict and not chosen.dry_run else nullcontext():
        return _Import(path, chosen, store or open_store(), jobs).run()


class _Import:
    """One import's state: the export's authors and their accounts, the tags' addresses,
    the report."""

    def __init__(self, path: Path, chosen: Choices, store: Store, jobs: int) -> None:
        self.path, self.chosen, self.store, self.jobs = path, chosen, store, jobs
        self.site = wxr.Site()
        self.report = Report()
        self.authors: dict[str, wxr.Author] = {}
        self.accounts: dict[str, AbstractBaseUser | None] = {}
        self.accounts_by_address = dict(get_user_model().objects.values_list("username", "pk"))
        self.tag_addresses: dict[str, str] = {}
        self.options: Options | None = None

    def run(self) -> Report:
        for window in self._prepared():
            if self.chosen.dry_run:
                for item, prepared in window:
                    self._dry_run(item, prepared)
            else:
                with transaction.atomic():
                    self._save(window)
        if not self.chosen.dry_run and self.report.posts:
            feeds = ("/feed/", "/feed/atom/", "/comments/feed/", "/?feed=rss2", "/?feed=atom")
            self.report.redirects += redirects_set(
                [(old, reverse("feed_rss")) for old in feeds], note=NOTE
            )
        return self.report

    # --- reading and preparing ---
    def _posts(self) -> Iterator[tuple[wxr.Item, wxr.Author | None]]:
        """The export's posts, with their authors; what is not a post is counted here."""
        for entry in wxr.read(self.path, self.site):
            self.report.site = self.site.base_site_url or self.site.link
            if isinstance(entry, wxr.Author):
                self.authors[entry.login] = entry
                continue
            if not self.chosen.dry_run and entry.creator not in self.accounts:
                self._author_account(entry.creator)
            reason = _not_a_devotion(entry)
            if reason:
                self.report.skipped[reason] += 1
                continue
            yield entry, self.authors.get(entry.creator)

    def _prepared(self) -> Iterator[list[tuple[wxr.Item, Prepared]]]:
        """The posts, prepared, a window at a time, in the export's order. With worker
        processes, the next window is prepared while the last one is saved."""
        windows = _windows(self._posts(), WINDOW)
        first = next(windows, None)
        if first is None:
            return
        options = self.options = self._options()
        windows = itertools.chain([first], windows)
        if self.jobs <= 0:
            for window in windows:
                yield [(item, prepare(item, a, options, self.store)) for item, a in window]
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(
            self.jobs, initializer=_start_worker, initargs=(options, str(self.store.path))
        ) as pool:
            waiting = None
            for window in windows:
                following = (window, pool.map_async(_prepare_here, window, chunksize=4))
                if waiting is not None:
                    yield _ready(*waiting)
                waiting = following
            if waiting is not None:
                yield _ready(*waiting)

    def _options(self) -> Options:
        return Options(
            site=self.report.site,
            translations=tuple(t.code for t in self.store.translations()),
            default_translation=settings.MANNA_TRANSLATION,
            time_zone=str(timezone.get_current_timezone()),  # the blog's local times
            as_drafts=self.chosen.as_drafts,
            categories=self.chosen.categories,
            skip_spam=self.chosen.skip_spam,
            media=self.chosen.media.resolve() if self.chosen.media else None,
        )

    def _author_account(self, login: str) -> None:
        """The account of a post's author: made (author role, no password) or found by
        its address; None when the export gives no usable address."""
        author = self.authors.get(login)
        self.accounts[login] = None
        if author is None:
            return
        try:
            validate_email(author.email)
        except ValidationError:
            return
        user = account_import_author(email=author.email, display_name=author.display_name)
        self.accounts[login] = user
        self.accounts_by_address[user.get_username()] = user.pk
        self.report.authors.append(author.email.lower())

    # --- saving ---
    def _dry_run(self, item: wxr.Item, prepared: Prepared) -> None:
        post = prepared.post
        self.report.posts.append(post)
        known = _known(self.report.site, [item.id]).get(item.id)
        devotion = known.devotion if known else None
        self._single(item, prepared, known)
        if post.outcome in ("refused", "unchanged"):
            return
        post.outcome = "would update" if devotion else "would create"
        for comment in item.comments:
            assert self.options is not None
            self.report.comments[comment_kind(comment, self.options) or "would import"] += 1

    def _save(self, window: list[tuple[wxr.Item, Prepared]]) -> None:
        """Save a window of prepared posts: the new ones together, the others one by one,
        then every reply, picture and old address of them."""
        known = _known(self.report.site, [item.id for item, _ in window])
        taken = _taken(prepared for _, prepared in window)
        together: list[tuple[wxr.Item, Prepared]] = []
        for item, prepared in window:
            self.report.posts.append(prepared.post)
            if prepared.checked is None:
                prepared.post.outcome = "refused"
                self._strictly(prepared)
                continue
            source = prepared.checked.devotion
            if source is None or item.id in known or not prepared.checked.ok:
                continue
            if source.slug not in taken and (source.date, source.slot) not in taken:
                taken.update((source.slug, (source.date, source.slot)))
                together.append((item, prepared))
        saved = self._save_together(together) if together else {}
        # The others in the export's order (all of them when the database refused the new
        # ones together: another import saving at the same moment).
        for item, prepared in window:
            if item.id in saved or prepared.checked is None:
                continue
            devotion = self._single(item, prepared, known.get(item.id))
            self._strictly(prepared)
            if devotion is not None:
                saved[item.id] = devotion
        self._after(window, saved)

    def _strictly(self, prepared: Prepared) -> None:
        if self.chosen.strict and prepared.post.outcome == "refused":
            raise StrictlyRefused(self.report)

    def _save_together(self, together: list[tuple[wxr.Item, Prepared]]) -> dict[int, Devotion]:
        new = []
        for item, prepared in together:
            assert prepared.checked is not None and prepared.text is not None
            by = self.accounts.get(item.creator)
            new.append(NewDevotion(prepared.checked, prepared.text, by))
        try:
            with transaction.atomic():
                devotions = devotions_create(new, how=Revision.IMPORT)
                ImportedPost.objects.bulk_create(
                    [
                        ImportedPost(
                            site=self.report.site,
                            wp_id=item.id,
                            devotion=devotion,
                            link=item.link[:1000],
                            text_sha256=text_sha256(prepared.text or ""),
                        )
                        for (item, prepared), devotion in zip(together, devotions, strict=True)
                    ]
                )
        except IntegrityError:  # another import at the same moment: one by one, then
            return {}
        for _, prepared in together:
            prepared.post.outcome = "created"
        return {item.id: d for (item, _), d in zip(together, devotions, strict=True)}

    def _single(
        self, item: wxr.Item, prepared: Prepared, known: ImportedPost | None
    ) -> Devotion | None:
        """One post saved on its own: known from an earlier import (unchanged, updated, or
        edited in Manna since), or new with a slug another devotion has (given its own)."""
        post, options = prepared.post, self.options
        assert options is not None
        if prepared.text is None or prepared.checked is None:
            post.outcome = "refused"
            return None
        text = prepared.text
        devotion = known.devotion if known else None
        if devotion is not None and known is not None:
            text = with_slug(text, devotion.slug)  # it keeps the address it has
            edited = text_sha256(devotion.source) != known.text_sha256
            if not edited and known.text_sha256 == text_sha256(text):
                post.outcome, post.slug = "unchanged", devotion.slug
                return devotion
            if edited and not self.chosen.force:
                post.outcome, post.slug = "refused", devotion.slug
                post.problems.append(
                    f"its devotion /devotions/{devotion.slug}/ was edited in Manna since it "
                    "was imported: left as it is (--force overwrites the edits with the post)"
                )
                return devotion
        elif Devotion.objects.filter(slug=slug_of(text)).exists():
            new_slug = f"{slug_of(text)[: SLUG_MAX - 12]}-wp{item.id}"
            post.notes.append(f"the slug {slug_of(text)} is another devotion's: {new_slug}")
            text = with_slug(text, new_slug)
        if text != prepared.text:
            recheck(prepared, text, options, self.store)
        checked = prepared.checked
        assert checked is not None
        if not checked.ok:
            post.outcome = "refused"
            post.problems += [p.format("post") for p in checked.problems if p.severity == "error"]
            return None
        if self.chosen.dry_run:
            return devotion
        with transaction.atomic():
            saved = devotion_save_text(
                text=text,
                devotion=devotion,
                checked=checked,
                how=Revision.IMPORT,
                by=self.accounts.get(item.creator),
            )
            if saved.devotion is None:
                post.outcome = "refused"
                post.problems += [
                    p.format("post") for p in checked.problems if p.severity == "error"
                ]
                return None
            ImportedPost.objects.update_or_create(
                site=self.report.site,
                wp_id=item.id,
                defaults={
                    "devotion": saved.devotion,
                    "link": item.link[:1000],
                    "text_sha256": text_sha256(text),
                },
            )
        post.outcome = "updated" if devotion else "created"
        return saved.devotion

    def _after(self, window: list[tuple[wxr.Item, Prepared]], saved: dict[int, Devotion]) -> None:
        """The saved posts' replies, pictures and old addresses."""
        replies: list[tuple[Devotion, list[ImportedReply]]] = []
        pairs: list[tuple[str, str]] = []
        for item, prepared in window:
            self.report.comments.update(prepared.comments)
            devotion = saved.get(item.id)
            if devotion is None:
                continue
            replies.append((devotion, [self._with_account(r) for r in prepared.replies]))
            for picture in prepared.pictures:
                self.report.pictures += picture_store(picture)
            pairs += self._old_addresses(item, devotion)
        counts = replies_import(replies=replies)
        for what, n in (
            ("imported", counts.new),
            ("updated", counts.updated),
            ("unchanged", counts.unchanged),
            ("left as edited or moderated in Manna", counts.kept),
        ):
            if n:
                self.report.comments[what] += n
        self.report.redirects += redirects_set(pairs, note=NOTE)

    def _with_account(self, reply: ImportedReply) -> ImportedReply:
        """A comment from an account's address is that account's reply."""
        account = self.accounts_by_address.get(reply.guest_email.lower())
        return dataclasses.replace(reply, author_id=account) if account else reply

    def _old_addresses(self, item: wxr.Item, devotion: Devotion) -> list[tuple[str, str]]:
        """The post's old addresses (its permalink, whatever structure the blog used,
        `?p=ID`, its comments feed), its categories' and tags'."""
        new = devotion.get_absolute_url()
        pairs = [(f"/?p={item.id}", new)]
        path = unquote(urlsplit(item.link).path)
        if path and path != "/":
            pairs += [(path, new), (path.rstrip("/") + "/feed/", new)]
        for term in item.terms:
            name = term.name[:80]
            as_series = term.domain == "category" and self.chosen.categories == "series"
            key = f"series:{name}" if as_series else name
            if key not in self.tag_addresses:
                found = (
                    Series.objects.filter(title=name).first()
                    if as_series
                    else Tag.objects.filter(name=name).first()
                )
                self.tag_addresses[key] = found.get_absolute_url() if found else ""
            if self.tag_addresses[key] and term.slug:
                base = "/category/" if term.domain == "category" else "/tag/"
                pairs.append((f"{base}{unquote(term.slug)}/", self.tag_addresses[key]))
                pairs.append((f"{base}{unquote(term.slug)}/feed/", reverse("feed_rss")))
        return pairs


# --- in the worker processes ---
_WORKER: tuple[Options, Store] | None = None


def _start_worker(options: Options, store_path: str) -> None:
    global _WORKER
    _WORKER = (options, Store(Path(store_path)))


def _prepare_here(pair: tuple[wxr.Item, wxr.Author | None]) -> Prepared:
    assert _WORKER is not None
    options, store = _WORKER
    return prepare(pair[0], pair[1], options, store)


def _ready(
    window: list[tuple[wxr.Item, wxr.Author | None]], result: AsyncResult[list[Prepared]]
) -> list[tuple[wxr.Item, Prepared]]:
    """A window's posts with what the workers made of them."""
    return list(zip((item for item, _ in window), result.get(), strict=True))


def _windows(
    posts: Iterator[tuple[wxr.Item, wxr.Author | None]], size: int
) -> Iterator[list[tuple[wxr.Item, wxr.Author | None]]]:
    window: list[tuple[wxr.Item, wxr.Author | None]] = []
    for post in posts:
        window.append(post)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


def _known(site: str, ids: list[int]) -> dict[int, ImportedPost]:
    """The posts of these ids imported before, with their devotions."""
    found = ImportedPost.objects.filter(site=site, wp_id__in=ids).select_related("devotion")
    return {row.wp_id: row for row in found}


def _taken(window: Iterator[Prepared]) -> set[object]:
    """The slugs and (date, slot)s of the window's devotions that saved devotions have."""
    sources = [p.checked.devotion for p in window if p.checked and p.checked.devotion]
    slugs = Devotion.objects.filter(slug__in=[s.slug for s in sources]).values_list(
        "slug", flat=True
    )
    dates = Devotion.objects.filter(date__in={s.date for s in sources}).values_list("date", "slot")
    return {*slugs, *dates}


NOTE = "WordPress"


def _not_a_devotion(item: wxr.Item) -> str:
    if item.type != "post":
        kinds = {
            "page": "pages",
            "attachment": "attachments (pictures and files)",
            "nav_menu_item": "menu items",
        }
        return f"{kinds.get(item.type, item.type + ' items')}: not devotions"
    if item.status in ("trash", "auto-draft", "inherit"):
        return f"posts in WordPress's {item.status}"
    return ""

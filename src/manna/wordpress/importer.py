"""`manna import-wordpress`: a WordPress export's posts as devotions (first part of issue 18:
posts, their content and passage; comments, authors' accounts, media and old addresses come
next, see docs/wordpress.md).

The export is read twice, streamed: once to refuse a malformed file before anything is
written (`wxr.check`), then post by post. Each post becomes a devotion file's text (front
matter and Markdown), checked and saved as `manna import` saves a file, keyed by the
export's site and the post's id: importing again changes nothing, a post changed in
WordPress since updates its devotion, and a devotion edited in Manna since is left alone
unless `force`.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from manna.accounts.services import account_import_author
from manna.community.services import ImportedReply, replies_import
from manna.devotions.check import check_text
from manna.devotions.models import Devotion, Revision, Series, Tag, text_sha256
from manna.devotions.services import devotion_save_text
from manna.scripture import open_store
from manna.scripture.store import Store
from manna.web.redirects import redirects_set
from manna.wordpress import wxr
from manna.wordpress.infer import (
    passage_in_line,
    passage_in_title,
    quotations,
    sections,
    sentence_case,
    verse_paragraphs,
)
from manna.wordpress.markdown import to_markdown
from manna.wordpress.models import ImportedPost

STATUSES = {
    "publish": "published",
    "future": "published",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}
SLUG_MAX = 80


@dataclass(slots=True)
class PostReport:
    wp_id: int
    title: str
    outcome: str = ""  # created, updated, unchanged, refused; would create/update (dry run)
    slug: str = ""
    notes: list[str] = field(default_factory=list)  # what was inferred or left out
    problems: list[str] = field(default_factory=list)  # why it was refused
    devotion: Devotion | None = None  # the devotion it is (not with a dry run)


@dataclass(slots=True)
class Report:
    site: str = ""
    posts: list[PostReport] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> how many
    comments: Counter[str] = field(default_factory=Counter)  # outcome -> how many
    redirects: int = 0  # old addresses kept
    authors: list[str] = field(default_factory=list)  # accounts made or found

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.posts if p.outcome == outcome)


def import_export(
    path: Path,
    *,
    dry_run: bool = False,
    as_drafts: bool = False,
    force: bool = False,
    strict: bool = False,
    categories: str = "tags",
    store: Store | None = None,
) -> Report:
    """Import the export at `path`; wxr.ExportError (nothing imported) when it is not a
    whole, well-formed WordPress export. `strict`: the first post refused stops the import
    and undoes it (StrictlyRefused). `categories`: "tags", or "series" (a post's first
    category is its devotion's series)."""
    if categories not in CATEGORIES:
        raise ValueError(f'categories must be one of {", ".join(CATEGORIES)}, not "{categories}"')
    wxr.check(path)
    with transaction.atomic() if strict and not dry_run else nullcontext():
        return _import_all(
            path,
            dry_run=dry_run,
            as_drafts=as_drafts,
            force=force,
            strict=strict,
            categories=categories,
            store=store or open_store(),
        )


CATEGORIES = ("tags", "series")


class StrictlyRefused(Exception):
    """With --strict, a post was refused: nothing of the import was kept."""

    def __init__(self, report: Report) -> None:
        super().__init__("a post was refused")
        self.report = report


def _import_all(
    path: Path,
    *,
    dry_run: bool,
    as_drafts: bool,
    force: bool,
    strict: bool,
    categories: str,
    store: Store,
) -> Report:
    site = wxr.Site()
    report = Report()
    authors: dict[str, wxr.Author] = {}
    accounts: dict[str, AbstractBaseUser | None] = {}
    accounts_by_address = dict(get_user_model().objects.values_list("username", "pk"))
    tag_addresses: dict[str, str] = {}
    translations = [t.code for t in store.translations()]  # once, not once a post
    for entry in wxr.read(path, site):
        report.site = site.base_site_url or site.link
        if isinstance(entry, wxr.Author):
            authors[entry.login] = entry
            continue
        if not dry_run and entry.creator in authors and entry.creator not in accounts:
            account = _author_account(authors[entry.creator], report)
            accounts[entry.creator] = account
            if account is not None:
                accounts_by_address[account.get_username()] = account.pk
        reason = _not_a_devotion(entry)
        if reason:
            report.skipped[reason] += 1
            continue
        post = _import_post(
            entry,
            report.site,
            authors,
            store,
            dry_run=dry_run,
            as_drafts=as_drafts,
            force=force,
            writer=accounts.get(entry.creator),
            categories=categories,
            translations=translations,
        )
        report.posts.append(post)
        if strict and post.outcome == "refused":
            raise StrictlyRefused(report)
        if post.devotion is not None:
            _import_comments(entry, post.devotion, report, accounts_by_address)
            report.redirects += _old_addresses(
                entry, post.devotion, tag_addresses, categories=categories
            )
            post.devotion = None  # the report keeps a line, not the devotion (memory)
        elif dry_run:
            for comment in entry.comments:
                report.comments[_comment_kind(comment) or "would import"] += 1
    if not dry_run and report.posts:
        feeds = ("/feed/", "/feed/atom/", "/comments/feed/", "/?feed=rss2", "/?feed=atom")
        report.redirects += redirects_set([(old, reverse("feed_rss")) for old in feeds], note=NOTE)
    return report


NOTE = "WordPress"


def _old_addresses(
    item: wxr.Item, devotion: Devotion, tags: dict[str, str], *, categories: str
) -> int:
    """The post's old addresses (its permalink, whatever structure the blog used, `?p=ID`,
    its comments feed) and its categories' and tags' lead to their new pages (`tags`: each
    tag's name and address, filled in as they are met)."""
    new = devotion.get_absolute_url()
    pairs = [(f"/?p={item.id}", new)]
    path = unquote(urlsplit(item.link).path)
    if path and path != "/":
        pairs += [(path, new), (path.rstrip("/") + "/feed/", new)]
    for term in item.terms:
        name = term.name[:80]
        as_series = term.domain == "category" and categories == "series"
        key = f"series:{name}" if as_series else name
        if key not in tags:
            found = (
                Series.objects.filter(title=name).first()
                if as_series
                else Tag.objects.filter(name=name).first()
            )
            tags[key] = found.get_absolute_url() if found else ""
        if tags[key] and term.slug:
            base = "/category/" if term.domain == "category" else "/tag/"
            pairs.append((f"{base}{unquote(term.slug)}/", tags[key]))
            pairs.append((f"{base}{unquote(term.slug)}/feed/", reverse("feed_rss")))
    return redirects_set(pairs, note=NOTE)


def _author_account(author: wxr.Author, report: Report) -> AbstractBaseUser | None:
    """The account of a post's author: made (author role, no password) or found by its
    address; None when the export gives no usable address."""
    try:
        validate_email(author.email)
    except ValidationError:
        return None
    user = account_import_author(email=author.email, display_name=author.display_name)
    report.authors.append(author.email.lower())
    return user


def _comment_kind(comment: wxr.Comment) -> str:
    """Why a comment is not a reply ("" when it is one)."""
    if comment.type in ("pingback", "trackback"):
        return f"{comment.type}s skipped"
    return ""


STATUS_OF = {"1": "approved", "0": "pending", "spam": "spam", "trash": "deleted"}


def _import_comments(
    item: wxr.Item, devotion: Devotion, report: Report, accounts_by_address: dict[str, int]
) -> None:
    """The post's comments as the devotion's replies, threaded by their parents: approved
    ones shown, pending ones in the moderation queue, spam and trash kept hidden (for the
    record); pingbacks and trackbacks skipped and counted. A comment from an account's
    address is that account's reply."""
    zone = timezone.get_current_timezone()
    replies = []
    for comment in item.comments:
        kind = _comment_kind(comment)
        if kind:
            report.comments[kind] += 1
            continue
        body = to_markdown(comment.content).markdown.strip()
        if not body:
            report.comments["empty comments skipped"] += 1
            continue
        email = comment.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        created = comment.date
        if timezone.is_naive(created):
            created = timezone.make_aware(created, zone)
        replies.append(
            ImportedReply(
                key=_comment_key(report.site, comment.id),
                parent_key=_comment_key(report.site, comment.parent) if comment.parent else "",
                body=body,
                status=STATUS_OF.get(comment.approved, "pending"),
                created=created,
                author_id=accounts_by_address.get(email.lower()) if email else None,
                guest_name=html.unescape(comment.author),
                guest_email=email,
            )
        )
    if replies:
        new, here = replies_import(devotion=devotion, replies=replies)
        report.comments["imported"] += new
        if here:
            report.comments["unchanged"] += here


def _comment_key(site: str, comment_id: int) -> str:
    return hashlib.sha256(f"wordpress:{site}:{comment_id}".encode()).hexdigest()


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


def _import_post(
    item: wxr.Item,
    site: str,
    authors: dict[str, wxr.Author],
    store: Store,
    *,
    dry_run: bool,
    as_drafts: bool,
    force: bool,
    writer: AbstractBaseUser | None = None,
    categories: str = "tags",
    translations: list[str] | None = None,
) -> PostReport:
    post = PostReport(wp_id=item.id, title=html.unescape(item.title).strip())
    text = devotion_text(
        item,
        authors,
        post,
        as_drafts=as_drafts,
        translations=translations or [],
        categories=categories,
    )
    if text is None:
        post.outcome = "refused"
        return post
    known = ImportedPost.objects.filter(site=site, wp_id=item.id).select_related("devotion").first()
    devotion = known.devotion if known else None
    if devotion is not None and known is not None:
        text = _with_slug(text, devotion.slug)  # it keeps the address it has
        edited = text_sha256(devotion.source) != known.text_sha256
        if not edited and known.text_sha256 == text_sha256(text):
            post.outcome, post.slug, post.devotion = "unchanged", devotion.slug, devotion
            return post
        if edited and not force:
            post.outcome, post.slug, post.devotion = "refused", devotion.slug, devotion
            post.problems.append(
                f"its devotion /devotions/{devotion.slug}/ was edited in Manna since it was "
                "imported: left as it is (--force overwrites the edits with the post)"
            )
            return post
    elif Devotion.objects.filter(slug=_slug_of(text)).exists():
        new_slug = f"{_slug_of(text)[: SLUG_MAX - 12]}-wp{item.id}"
        post.notes.append(f"the slug {_slug_of(text)} is another devotion's: {new_slug}")
        text = _with_slug(text, new_slug)
    checked = check_text(text, store=store, default_translation=settings.MANNA_TRANSLATION)
    post.slug = _slug_of(text)
    if not checked.ok:
        post.outcome = "refused"
        post.problems += [p.format("post") for p in checked.problems if p.severity == "error"]
        return post
    if dry_run:
        post.outcome = "would update" if devotion else "would create"
        return post
    with transaction.atomic():
        saved = devotion_save_text(
            text=text, devotion=devotion, checked=checked, how=Revision.IMPORT, by=writer
        )
        if saved.devotion is None:
            post.outcome = "refused"
            post.problems += [p.format("post") for p in checked.problems if p.severity == "error"]
            return post
        ImportedPost.objects.update_or_create(
            site=site,
            wp_id=item.id,
            defaults={
                "devotion": saved.devotion,
                "link": item.link[:1000],
                "text_sha256": text_sha256(text),
            },
        )
    post.outcome = "updated" if devotion else "created"
    post.devotion = saved.devotion
    return post


def devotion_text(
    item: wxr.Item,
    authors: dict[str, wxr.Author],
    post: PostReport,
    *,
    as_drafts: bool,
    translations: list[str],
    categories: str = "tags",
) -> str | None:
    """The post as a devotion file; None (the reasons in `post.problems`) when it cannot be
    one. What was inferred goes to `post.notes`."""
    title = post.title
    converted = to_markdown(item.content)
    body = converted.markdown
    post.notes += converted.problems
    if converted.images:
        post.notes.append(f"{len(converted.images)} picture(s) kept at their old addresses")
    found = passage_in_title(title)
    if found:
        passage, title = found
        post.notes.append(f"passage {passage} from the title")
    else:
        first_line = body.split("\n", 1)[0]
        passage = passage_in_line(first_line) or ""
        if passage:
            post.notes.append(f"passage {passage} from the first line")
            body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
        else:
            passage = next(
                (
                    p
                    for t in item.terms
                    if t.domain == "category" and (p := passage_in_line(t.name))
                ),
                "",
            )
            if passage:
                post.notes.append(f"passage {passage} from a category")
    if not passage:
        post.problems.append(
            "no passage found in the title, the first line or a category: put one at the "
            'start of the title in WordPress ("John 3:16-21 ...") and import again'
        )
        return None
    for infer in (quotations, lambda b: verse_paragraphs(b, passage, translations), sections):
        body, inferred = infer(body)
        post.notes += inferred
    title = sentence_case(title)
    date = item.date.date() if item.date else timezone.localdate()
    if item.date is None:
        post.notes.append(f"no date in the export: dated {date}")
    status = "draft" if as_drafts else STATUSES.get(item.status, "draft")
    if item.status == "future" and not as_drafts:
        post.notes.append(f"scheduled for {date}")
    author = authors.get(item.creator)
    fields: dict[str, object] = {
        "title": title[:200],
        "passage": passage,
        "date": date.isoformat(),
        "slug": _slug(item, title),
        "status": status,
    }
    if author or item.creator:
        fields["author"] = (author.display_name if author else "") or item.creator
    summary = _plain(item.excerpt)
    if summary:
        fields["summary"] = summary[:5000]
    named = [t for t in item.terms if t.name]
    if categories == "series":
        series = [t.name for t in named if t.domain == "category" and t.slug != "uncategorized"]
        if series:
            fields["series"] = series[0][:200]
        named = [t for t in named if t.domain != "category"]
    tags = sorted({t.name[:80] for t in named})
    if tags:
        fields["tags"] = tags
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body.strip() or title}\n"


def _slug(item: wxr.Item, title: str) -> str:
    slug = slugify(unquote(item.slug)) or slugify(title) or f"post-{item.id}"
    slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or f"post-{item.id}"
    return slug[:SLUG_MAX].rstrip("-")


def _slug_of(text: str) -> str:
    found = re.search(r"^slug: (\S+)$", text, re.M)
    return found.group(1) if found else ""


def _with_slug(text: str, slug: str) -> str:
    return re.sub(r"^slug: \S+$", f"slug: {slug}", text, count=1, flags=re.M)


def _plain(fragment: str) -> str:
    text = re.sub(r"</?(?:p|br|div|li|h[1-6])\b[^>]*>", " ", fragment)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())

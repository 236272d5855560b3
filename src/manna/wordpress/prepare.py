"""One WordPress post made ready to save, touching no database: its devotion's text (the
devotion found inside the post), checked as `manna check` checks a file, its comments
rendered as replies, and its pictures found in the media folder. The import runs this in
worker processes, in parallel, while the main process reads the export and saves
(importer.py); nothing here writes anything."""

from __future__ import annotations

import hashlib
import html
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.text import slugify

from manna.community.services import ImportedReply
from manna.devotions.check import Checked, check_text
from manna.markup import render_reply
from manna.scripture import Reference
from manna.scripture.store import Store
from manna.web.media import Picture, PictureError, picture_in
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

STATUSES = {
    "publish": "published",
    "future": "published",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}
SLUG_MAX = 80
STATUS_OF = {"1": "approved", "0": "pending", "spam": "spam", "trash": "deleted"}


@dataclass(slots=True)
class PostReport:
    wp_id: int
    title: str
    outcome: str = ""  # created, updated, unchanged, refused; would create/update (dry run)
    slug: str = ""
    notes: list[str] = field(default_factory=list)  # what was inferred or left out
    problems: list[str] = field(default_factory=list)  # why it was refused


@dataclass(frozen=True, slots=True)
class Options:
    """What every post of one import is prepared with."""

    site: str  # the export's site address: comments' keys
    translations: tuple[str, ...]  # installed: verses quoted in a post are looked up there
    default_translation: str
    time_zone: str  # the blog's: comments' dates are its local times
    as_drafts: bool = False
    categories: str = "tags"  # or "series"
    skip_spam: bool = False  # spam and trash comments left out, not kept hidden
    media: Path | None = None  # a copy of wp-content/uploads


@dataclass(slots=True)
class Prepared:
    post: PostReport
    text: str | None = None  # the devotion's text; None: refused (post.problems says why)
    checked: Checked | None = None
    replies: list[ImportedReply] = field(default_factory=list)
    comments: Counter[str] = field(default_factory=Counter)  # comments left out, by why
    pictures: list[Picture] = field(default_factory=list)  # to store, from the media folder


def prepare(item: wxr.Item, author: wxr.Author | None, options: Options, store: Store) -> Prepared:
    """The post as a checked devotion with its replies; refused (post.problems) when no
    devotion can be made of it or its devotion has errors."""
    prepared = Prepared(PostReport(wp_id=item.id, title=html.unescape(item.title).strip()))
    text = post_text(item, author, prepared, options)
    if text is None:
        return prepared
    recheck(prepared, text, options, store)
    devotion = prepared.checked.devotion if prepared.checked else None
    if devotion is not None:
        translation = devotion.translation or options.default_translation
        prepared.replies = _replies(item, prepared, options, store, translation, devotion.passage)
    return prepared


def recheck(prepared: Prepared, text: str, options: Options, store: Store) -> None:
    """Check `text` as the post's devotion: when it is prepared, and again when the main
    process changed it (its slug)."""
    prepared.text = text
    prepared.checked = check_text(
        text, store=store, default_translation=options.default_translation
    )
    prepared.post.slug = slug_of(text)


def post_text(
    item: wxr.Item, author: wxr.Author | None, prepared: Prepared, options: Options
) -> str | None:
    """The post as a devotion file; None (the reasons in post.problems) when it cannot be
    one. What was inferred goes to post.notes."""
    post = prepared.post
    title = post.title
    converted = to_markdown(item.content)
    body = converted.markdown
    post.notes += converted.problems
    if converted.images:
        body = _pictures(body, converted.images, prepared, options)
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
    translations = list(options.translations)
    for infer in (quotations, lambda b: verse_paragraphs(b, passage, translations), sections):
        body, inferred = infer(body)
        post.notes += inferred
    title = sentence_case(title)
    date = item.date.date() if item.date else timezone.localdate()
    if item.date is None:
        post.notes.append(f"no date in the export: dated {date}")
    status = "draft" if options.as_drafts else STATUSES.get(item.status, "draft")
    if item.status == "future" and not options.as_drafts:
        post.notes.append(f"scheduled for {date}")
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
    if options.categories == "series":
        series = [t.name for t in named if t.domain == "category" and t.slug != "uncategorized"]
        if series:
            fields["series"] = series[0][:200]
        named = [t for t in named if t.domain != "category"]
    tags = sorted({t.name[:80] for t in named})
    if tags:
        fields["tags"] = tags
    front = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body.strip() or title}\n"


# libyaml's dumper when there is one (the same YAML, written faster).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _pictures(body: str, images: list[str], prepared: Prepared, options: Options) -> str:
    """Each picture's address: Manna's own for those found in the media folder (stored by
    the import), a link to the old address for the others (the site's pages load pictures
    from the site alone), every one of them named in the report."""
    linked: list[str] = []
    for address in dict.fromkeys(images):
        picture: Picture | None = None
        if options.media is not None:
            try:
                picture = picture_in(options.media, address)
            except PictureError as err:
                prepared.post.notes.append(f"picture {address}: {err}")
        if picture is not None:
            prepared.pictures.append(picture)
            body = body.replace(f"]({address})", f"]({picture.url})")
        else:
            linked.append(address)
            body = _linked_picture(body, address)
    if prepared.pictures:
        prepared.post.notes.append(f"{len(prepared.pictures)} picture(s) from the media folder")
    if linked:
        why = "not in the media folder" if options.media else "no --media folder given"
        prepared.post.notes.append(
            f"{len(linked)} picture(s) linked at their old addresses ({why}): " + ", ".join(linked)
        )
    return body


def _linked_picture(body: str, address: str) -> str:
    """The picture at `address` as a link to it ("[Picture: its words](address)")."""

    def link(found: re.Match[str]) -> str:
        words = f"Picture: {found[1]}" if found[1] else "Picture"
        return f"[{words}]({address})"

    return re.sub(r"!\[([^\]]*)\]\(" + re.escape(address) + r"\)", link, body)


def comment_kind(comment: wxr.Comment, options: Options) -> str:
    """Why a comment is not a reply ("" when it is one)."""
    if comment.type in ("pingback", "trackback"):
        return f"{comment.type}s skipped"
    if options.skip_spam and comment.approved in ("spam", "trash"):
        return f"{'spam' if comment.approved == 'spam' else 'trashed'} comments skipped"
    return ""


def comment_key(site: str, comment_id: int) -> str:
    return hashlib.sha256(f"wordpress:{site}:{comment_id}".encode()).hexdigest()


def _replies(
    item: wxr.Item,
    prepared: Prepared,
    options: Options,
    store: Store,
    translation: str,
    passage: Reference,
) -> list[ImportedReply]:
    """The post's comments as replies, rendered: approved ones shown, pending ones held,
    spam and trash hidden (or skipped); pingbacks and trackbacks skipped and counted."""
    zone = zoneinfo.ZoneInfo(options.time_zone)
    replies = []
    for comment in item.comments:
        kind = comment_kind(comment, options)
        if kind:
            prepared.comments[kind] += 1
            continue
        body = to_markdown(comment.content).markdown.strip()
        if not body:
            prepared.comments["empty comments skipped"] += 1
            continue
        email = comment.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        created = comment.date
        if timezone.is_naive(created):
            created = created.replace(tzinfo=zone)
        rendered = render_reply(body, store=store, translation=translation, context=passage)
        replies.append(
            ImportedReply(
                key=comment_key(options.site, comment.id),
                parent_key=comment_key(options.site, comment.parent) if comment.parent else "",
                body=body,
                body_html=rendered.html,
                status=STATUS_OF.get(comment.approved, "pending"),
                created=created,
                guest_name=html.unescape(comment.author),
                guest_email=email,
                guest_site=_site(comment.url),
            )
        )
    return replies


def _site(url: str) -> str:
    """A commenter's site when it is a web address that fits, else ""."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= 300 else ""


def _slug(item: wxr.Item, title: str) -> str:
    slug = slugify(unquote(item.slug)) or slugify(title) or f"post-{item.id}"
    slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or f"post-{item.id}"
    return slug[:SLUG_MAX].rstrip("-")


def slug_of(text: str) -> str:
    found = re.search(r"^slug: (\S+)$", text, re.M)
    return found.group(1) if found else ""


def with_slug(text: str, slug: str) -> str:
    return re.sub(r"^slug: \S+$", f"slug: {slug}", text, count=1, flags=re.M)


def _plain(fragment: str) -> str:
    text = re.sub(r"</?(?:p|br|div|li|h[1-6])\b[^>]*>", " ", fragment)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).split())

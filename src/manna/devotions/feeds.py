"""RSS 2.0 and Atom feeds of the latest devotions (links absolute, via the request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from manna.devotions.depth import is_depth
from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_list_visible
from manna.markup import for_elsewhere

FEED_SIZE = 20


@dataclass(frozen=True, slots=True)
class FeedAsked:
    depth: str  # "" for summaries
    site: str  # the site's address as the request reached it, for absolute links


class LatestDevotions(Feed):
    link = "/"
    description = "A daily devotion: a passage, an exposition, a practice and a prayer."

    def title(self) -> str:
        return f"{settings.MANNA_SITE_NAME}: daily devotions"

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> FeedAsked:
        """The depth asked for (`?depth=glimpse`): each item then carries the devotion at
        that depth, its passage first; without one, its summary."""
        asked = request.GET.get("depth", "")
        return FeedAsked(asked if is_depth(asked) else "", request.build_absolute_uri("/"))

    def items(self, asked: FeedAsked) -> list[Devotion]:
        items = list(devotion_list_visible()[:FEED_SIZE])
        for item in items:
            item.feed_asked = asked
        return items

    def item_title(self, item: Devotion) -> str:
        return f"{item.title} ({item.passage})"

    def item_description(self, item: Devotion) -> str:
        asked: FeedAsked | None = getattr(item, "feed_asked", None)
        if asked is None or not asked.depth:
            return item.summary or item.theme or item.plain_text[:300]
        # The full text, read in a feed reader: no hidden previews, absolute addresses.
        passage = f"<h2>{escape(item.passage)} ({escape(item.translation.upper())})</h2>"
        return for_elsewhere(passage + item.passage_html + item.html_at(asked.depth), asked.site)

    def item_pubdate(self, item: Devotion) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(6, 0)))

    def item_updateddate(self, item: Devotion) -> dt.datetime:
        return item.updated

    def item_author_name(self, item: Devotion) -> str:
        return item.author or settings.MANNA_SITE_NAME

    def item_categories(self, item: Devotion) -> list[str]:
        return [t.name for t in item.tags.all()]


class LatestDevotionsAtom(LatestDevotions):
    feed_type = Atom1Feed
    subtitle = LatestDevotions.description

"""RSS 2.0 and Atom feeds of the latest devotions (links absolute, via the request)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from manna.devotions.depth import is_depth
from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_list_visible

FEED_SIZE = 20


class LatestDevotions(Feed):
    title = "Manna: daily devotions"
    link = "/"
    description = "A daily devotion: a passage, an exposition, a practice and a prayer."

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> str:
        """The depth asked for (`?depth=glimpse`): each item then carries the devotion at
        that depth; without one, its summary."""
        asked = request.GET.get("depth", "")
        return asked if is_depth(asked) else ""

    def items(self, depth: str) -> list[Devotion]:
        items = list(devotion_list_visible()[:FEED_SIZE])
        for item in items:
            item.feed_depth = depth
        return items

    def item_title(self, item: Devotion) -> str:
        return f"{item.title} ({item.passage})"

    def item_description(self, item: Devotion) -> str:
        depth = getattr(item, "feed_depth", "")
        if depth:
            return item.html_at(depth)
        return item.summary or item.theme or item.plain_text[:300]

    def item_pubdate(self, item: Devotion) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(6, 0)))

    def item_updateddate(self, item: Devotion) -> dt.datetime:
        return item.updated

    def item_author_name(self, item: Devotion) -> str:
        return item.author or "Manna"

    def item_categories(self, item: Devotion) -> list[str]:
        return [t.name for t in item.tags.all()]


class LatestDevotionsAtom(LatestDevotions):
    feed_type = Atom1Feed
    subtitle = LatestDevotions.description

"""RSS 2.0 and Atom feeds of the latest devotions (links absolute, via the request)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_list_visible

FEED_SIZE = 20


class LatestDevotions(Feed):
    title = "Manna: daily devotions"
    link = "/"
    description = "A daily devotion: a passage, an exposition, a practice and a prayer."

    def items(self) -> list[Devotion]:
        return list(devotion_list_visible()[:FEED_SIZE])

    def item_title(self, item: Devotion) -> str:
        return f"{item.title} ({item.passage})"

    def item_description(self, item: Devotion) -> str:
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

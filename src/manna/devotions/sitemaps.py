from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap

from manna.devotions.models import Devotion
from manna.devotions.selectors import devotion_list_visible


class DevotionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[Devotion]:
        return list(devotion_list_visible())

    def lastmod(self, item: Devotion) -> dt.datetime:
        return item.updated

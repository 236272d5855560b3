from django.urls import path
from django.views.decorators.http import require_safe

from manna.devotions import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("devotions/<slug:slug>/", views.devotion_detail, name="devotion"),
    path("devotions/<slug:slug>/card.png", views.devotion_card, name="devotion_card"),
    path("archive/", views.archive, name="archive"),
    path("offline/recent.json", views.offline_recent, name="offline_recent"),
    path("series/", views.series_list, name="series_list"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("scripture/", views.scripture_index, name="scripture_index"),
    path("feeds/rss.xml", require_safe(feeds.LatestDevotions()), name="feed_rss"),
    path("feeds/atom.xml", require_safe(feeds.LatestDevotionsAtom()), name="feed_atom"),
    # The address is older than this view's home: it stays.
    path("practice/depth/", views.depth_keep, name="depth_remember"),
]

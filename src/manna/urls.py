from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from manna.accounts import views as account_views
from manna.devotions.search import search
from manna.devotions.sitemaps import DevotionSitemap
from manna.web import app
from manna.web.media import media

# An include under its own prefix costs one comparison for an address outside it; one
# under "" tries each of its patterns, so the busiest pages resolve ahead of them.
urlpatterns = [
    path("bible/", include("manna.bible.urls")),
    path("practice/", include("manna.practice.urls")),
    path("", include("manna.devotions.urls")),
    path("", include("manna.accounts.urls")),
    path("", include("manna.community.urls")),
    path("", include("manna.desk.urls")),
    path("", include("manna.edition.urls")),
    path("", include("manna.ops.urls")),
    path("search/", search, name="search"),
    path("media/<str:name>", media, name="media"),
    path("manifest.webmanifest", app.manifest, name="app_manifest"),
    path("icons/<int:size>-<str:purpose>.png", app.icon, name="app_icon"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": {"devotions": DevotionSitemap}},
        name="sitemap",
    ),
    # Staff sign in through the site's own form (rate-limited), not the admin's.
    path("admin/login/", account_views.admin_login),
    path("admin/", admin.site.urls),
]

handler403 = "manna.web.views.forbidden"
handler404 = "manna.web.views.not_found"

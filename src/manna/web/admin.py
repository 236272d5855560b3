from django.contrib import admin

from manna.web.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses (a moved blog's) and where they lead now."""

    list_display = ["old", "new", "note", "created"]
    search_fields = ["old", "new"]
    list_filter = ["note"]

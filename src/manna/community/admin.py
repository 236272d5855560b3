"""Replies in the admin, for admins; moderators work in the site's queue (/moderation/)."""

from __future__ import annotations

from django.contrib import admin

from manna.community.models import Block, Flag, Reply, ReplyEvent


class ReplyEventInline(admin.TabularInline):
    model = ReplyEvent
    extra = 0
    readonly_fields = ["kind", "actor", "note", "body", "created"]
    can_delete = False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "devotion", "status", "created"]
    list_filter = ["status"]
    search_fields = ["body", "guest_name", "guest_email", "author__email"]
    raw_id_fields = ["devotion", "parent", "author"]
    readonly_fields = ["body_html", "submission_key", "ip", "guest_site", "created", "edited"]
    inlines = [ReplyEventInline]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["reply", "user", "reason", "resolved", "created"]
    list_filter = ["resolved"]
    raw_id_fields = ["reply", "user"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["email", "by", "created"]
    search_fields = ["email"]
    raw_id_fields = ["by"]

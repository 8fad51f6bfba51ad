"""The library in the admin: synonyms of the search (also maintained by coordinators), and the
entries to look at. An entry's text and status change only through its own pages (services),
so the entry admin is read-only."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import AdministratorOnly
from bestpractices.models import Entry, Synonym


@admin.register(Entry)
class EntryAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "review_by", "is_public"]
    list_filter = ["status", "kind", "audience", "is_public"]
    search_fields = ["title", "slug"]
    fields = ["title", "slug", "kind", "status", "audience", "owner", "review_by", "is_public"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["term", "synonyms"]
    search_fields = ["term"]
    fields = ["term", "synonyms"]

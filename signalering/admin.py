"""Series are made and run by the coordinators on the app's own pages; the admin lets functional
administrators correct a series, its participants and its agenda template."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import AdministratorOnly
from signalering.models import AgendaTemplateItem, Series, SeriesMember


class SeriesMemberInline(AdministratorOnly, admin.TabularInline):
    model = SeriesMember
    extra = 0
    fields = ["user", "guest_name", "guest_email", "guest_organisation", "role", "is_active"]


class AgendaTemplateItemInline(AdministratorOnly, admin.TabularInline):
    model = AgendaTemplateItem
    extra = 0
    fields = ["position", "section", "title", "is_recurring"]


@admin.register(Series)
class SeriesAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "location", "is_active"]
    list_filter = ["kind", "is_active"]
    fields = [
        "name",
        "kind",
        "location",
        "locations",
        "municipalities",
        "default_weekday",
        "default_time",
        "days_before_agenda_mail",
        "is_active",
    ]
    filter_horizontal = ["locations"]
    inlines = [SeriesMemberInline, AgendaTemplateItemInline]

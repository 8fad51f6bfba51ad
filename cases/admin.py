"""Reference data for functional administrators. Case records are deliberately not here:
administrators see no cases, and the audit log is browsed (read-only) at /casussen/audit/."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import AdministratorOnly
from cases.models import Counterparty, KindOfCase, LegalArea


class KindOfCaseInline(AdministratorOnly, admin.TabularInline):
    model = KindOfCase
    extra = 1


@admin.register(LegalArea)
class LegalAreaAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "cluster", "in_pilot_scope", "position", "is_active"]
    list_filter = ["cluster", "in_pilot_scope", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [KindOfCaseInline]


@admin.register(Counterparty)
class CounterpartyAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]

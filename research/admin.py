"""Studies are created by functional administrators here; the study's pseudonym key is made on
creation and never shown. Export requests are decided on the approver's pages, not here."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin import AdministratorOnly
from research.models import Study
from research.services import study_prepare


@admin.register(Study)
class StudyAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["code", "name", "k", "is_active", "created_at"]
    list_filter = ["is_active"]
    fields = ["code", "name", "k", "is_active"]

    def save_model(self, request, obj, form, change):
        if not change:
            study_prepare(obj)
        super().save_model(request, obj, form, change)

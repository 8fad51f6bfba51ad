from django.contrib import admin

from accounts.admin import AdministratorOnly
from piket.models import AdvocaatProfile, Assignment, Roster, RosterException, Shift


@admin.register(Roster)
class RosterAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("location", "weekday", "start_time", "end_time", "capacity", "is_active")
    list_filter = ("location", "weekday", "is_active")
    filter_horizontal = ("legal_areas",)
    raw_id_fields = ("created_by",)


@admin.register(RosterException)
class RosterExceptionAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("date", "location", "roster", "kind", "start_time", "end_time")
    list_filter = ("location", "kind")


@admin.register(Shift)
class ShiftAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("starts_at", "ends_at", "location", "capacity", "is_cancelled")
    list_filter = ("location", "is_cancelled")
    date_hierarchy = "starts_at"
    raw_id_fields = ("roster",)


@admin.register(Assignment)
class AssignmentAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ("shift", "advocaat", "assigned_by", "created_at")
    raw_id_fields = ("shift", "advocaat", "assigned_by")


@admin.register(AdvocaatProfile)
class AdvocaatProfileAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = (
        "advocaat",
        "half_days_per_month",
        "max_shifts_per_week",
        "max_shifts_per_month",
    )
    filter_horizontal = ("legal_areas",)
    raw_id_fields = ("advocaat",)

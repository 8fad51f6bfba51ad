from __future__ import annotations

from django.contrib import admin

from accounts import access
from accounts.models import Invitation, Location, Membership, Organisation, User


class AdministratorOnly:
    """Model admin rights follow from the administrator role, not from Django's permission table."""

    def has_module_permission(self, request) -> bool:
        return access.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return access.can_use_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:  # inlines pass the parent object
        return access.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return access.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class MembershipInline(AdministratorOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["full_name", "email", "is_active", "date_joined"]
    list_filter = ["is_active", "memberships__role", "memberships__organisation__location"]
    search_fields = ["full_name", "email"]
    fields = ["full_name", "email", "phone", "is_active"]
    inlines = [MembershipInline]


@admin.register(Location)
class LocationAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "is_national", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "location", "is_active"]
    list_filter = ["kind", "location"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["user", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["user", "invited_by", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # an invitation carries a one-time link: made and mailed by the invite page

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access


class PilotAdminSite(admin.AdminSite):
    """Django admin for functional administrators only, behind the same login and MFA."""

    site_header = _("Pilot eerstelijn — beheer")
    site_title = _("Beheer")

    def has_permission(self, request) -> bool:
        return access.can_use_admin(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), reverse("account_login")
        )

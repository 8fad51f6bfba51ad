from __future__ import annotations

from django.db.models import QuerySet

from accounts import access
from accounts.models import Invitation, User


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations to the organisations the user may invite for, newest first."""
    return (
        Invitation.objects.filter(
            user__memberships__organisation__in=access.invitable_organisations(user)
        )
        .select_related("user", "invited_by")
        .prefetch_related("user__memberships__organisation__location")
        .distinct()
        .order_by("-created_at")
    )

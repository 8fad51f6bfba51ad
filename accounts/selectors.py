from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

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


def invitation_get_for_user(user: User, pk: int, *, for_change: bool | str = False) -> Invitation:
    """An invitation the user sees, or 404 (seeing one is being allowed to resend it)."""
    invitation = invitations_visible_to(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a one-time link opens (the token is the key; no user is signed in)."""
    return Invitation.objects.find(token)

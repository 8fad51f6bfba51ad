"""Writes for accounts: inviting users and accepting invitations; an organisation's team."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Invitation, Membership, Organisation, User


@transaction.atomic
def invitation_create(
    *, inviter: User, email: str, full_name: str, organisation: Organisation, role: str
) -> Invitation:
    """Create an inactive user with one membership and send them a one-time link."""
    if not access.can_invite(inviter, organisation, role):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")})
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, None, full_name=full_name.strip(), is_active=False
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("Er bestaat al een account met dit e-mailadres.")}
        ) from None
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return _invitation_issue(user=user, inviter=inviter)


@transaction.atomic
def invitation_resend(*, inviter: User, invitation: Invitation) -> Invitation:
    """A fresh link for someone who has not accepted yet; the old link stops working."""
    user = invitation.user
    membership = user.memberships.select_related("organisation").first()
    if (
        user.is_active
        or membership is None
        or not access.can_invite(inviter, membership.organisation, membership.role)
    ):
        raise PermissionDenied
    user.invitations.filter(accepted_at__isnull=True).update(expires_at=timezone.now())
    return _invitation_issue(user=user, inviter=inviter)


def _invitation_issue(*, user: User, inviter: User) -> Invitation:
    invitation = Invitation.objects.create(
        user=user, invited_by=inviter, token_hash="", expires_at=Invitation.default_expiry()
    )
    from accounts.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Mail the link. Idempotent: an invitation that already has a link is not mailed again.

    The token is made here, so it never travels through the task queue; only its hash is stored.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.token_hash or not invitation.is_usable:
        return False
    token, invitation.token_hash = Invitation.new_token()
    invitation.save(update_fields=["token_hash"])
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("accounts:accept_invitation", args=[token]),
    }
    send_mail(
        subject=render_to_string("emails/invitation-subject.txt", context).strip(),
        message=render_to_string("emails/invitation-body.txt", context),
        from_email=None,
        recipient_list=[invitation.user.email],
        html_message=render_to_string("emails/invitation-body.html", context),
    )
    return True


class InvitationInvalid(Exception):
    pass


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the password and activate the account. Two-factor set-up follows at first login."""
    found = Invitation.objects.find(token)
    invitation = found and Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation is None or not invitation.is_usable:
        raise InvitationInvalid
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def organisation_team(organisation: Organisation) -> Group:
    """The organisation's guardian group, made the first time it is needed (idempotent)."""
    if organisation.team_id is None:
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.team_id is None:
            locked.team = Group.objects.create(name=f"team-{organisation.pk}")
            locked.save(update_fields=["team"])
        organisation.team = locked.team
    return organisation.team

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access, selectors, services
from accounts.forms import AcceptInvitationForm, InvitationForm


@access.requires("accounts.invite")
def invitations(request):
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(inviter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De uitnodiging is verstuurd."))
            return redirect("accounts:invitations")
    page = Paginator(selectors.invitations_visible_to(request.user), 25).get_page(
        request.GET.get("pagina")
    )
    return render(request, "accounts/invitations.html", {"form": form, "page": page})


@require_POST
@access.requires("accounts.invite")
def resend_invitation(request, pk: int):
    invitation = selectors.invitation_get_for_user(request.user, pk, for_change=True)
    services.invitation_resend(inviter=request.user, invitation=invitation)
    messages.success(request, _("Er is een nieuwe uitnodiging verstuurd."))
    return redirect("accounts:invitations")


@never_cache
@login_not_required
def accept_invitation(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationInvalid:
            return render(request, "accounts/invitation_invalid.html", status=410)
        get_account_adapter(request).login(request, user)
        messages.success(request, _("Uw wachtwoord is ingesteld. Stel nu tweestapsverificatie in."))
        return redirect("mfa_activate_totp")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )

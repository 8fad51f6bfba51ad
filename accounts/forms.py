from __future__ import annotations

from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import User


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.")
        },
    )
    organisation = forms.ModelChoiceField(label=_("Organisatie"), queryset=None)
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, *args, inviter: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.invitable_organisations(inviter)
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Kies een organisatie waarvoor u mensen mag uitnodigen."
        )
        self.fields["role"].choices = access.invitable_roles(inviter)
        self.fields["role"].error_messages["invalid_choice"] = _("Deze rol mag u niet toekennen.")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's Dutch messages, not the browser's
        self.helper.add_input(Submit("submit", _("Uitnodiging versturen")))


class AcceptInvitationForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Wachtwoord instellen")))


class _CodeLabel:
    """allauth's MFA forms with a Dutch label and a hint for the code field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code")
        code.help_text = _("6 cijfers uit uw authenticator-app, of een herstelcode.")
        code.widget.attrs.update({"inputmode": "numeric", "placeholder": ""})


class MFAAuthenticateForm(_CodeLabel, mfa_forms.AuthenticateForm):
    pass


class ActivateTOTPForm(_CodeLabel, totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("De 6 cijfers die uw authenticator-app nu toont.")


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on the field it names when the form has that
    field, otherwise on top of the form (so a service may name fields any form lacks)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)

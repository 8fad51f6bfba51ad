"""The form of the pilot's piket rules."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from piket.models import PiketRules

ON, OFF = "aan", "uit"


class PiketRulesForm(forms.Form):
    no_toevoeging_after_consult = forms.TypedChoiceField(
        label=_("Geen toevoeging na advies via het piket"),
        choices=[
            (
                ON,
                _(
                    "Aan: een advocaat die via het piket over een casus heeft geadviseerd, krijgt "
                    "voor die zaak geen toevoeging"
                ),
            ),
            (
                OFF,
                _(
                    "Uit: ook na advies via het piket kan dezelfde advocaat de zaak met een "
                    "toevoeging aannemen"
                ),
            ),
        ],
        coerce=lambda value: value == ON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of de regel aan of uit staat."),
            "invalid_choice": _("Kies of de regel aan of uit staat."),
        },
    )

    period_starts_on = forms.DateField(
        label=_("Begin van de pilotperiode"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Vanaf deze dag tellen de toegezegde dagdelen van de advocaten. Leeg: vanaf de "
            "eerste piketdienst."
        ),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    period_ends_on = forms.DateField(
        label=_("Einde van de pilotperiode"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg: de pilot loopt nog."),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, rules: PiketRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(
            "no_toevoeging_after_consult", ON if rules.no_toevoeging_after_consult else OFF
        )
        self.initial.setdefault("period_starts_on", rules.period_starts_on)
        self.initial.setdefault("period_ends_on", rules.period_ends_on)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's Dutch messages, not the browser's
        self.helper.add_input(Submit("submit", _("Opslaan"), css_class="btn-primary"))

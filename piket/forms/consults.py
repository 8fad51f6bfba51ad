"""Forms for changes to a piket consult and for the waitlist."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.models import TEXT_MAX, LegalArea
from cases.pii import NameCheckMixin, NoPersonalDataField
from piket.slots import Slot


def _helper(submit: str, css_class: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}  # the server's Dutch messages, not the browser's
    helper.add_input(Submit("submit", submit, css_class=css_class))
    return helper


def _reason_field() -> forms.CharField:
    return NoPersonalDataField(
        label=_("Reden"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "De andere kant ziet de reden. Geen namen of andere gegevens van de rechtzoekende."
        ),
        error_messages={"required": _("Geef een reden op.")},
    )


class CancelForm(NameCheckMixin, forms.Form):
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Consult annuleren"), "btn-danger")


def slot_label(slot: Slot) -> str:
    """'dinsdag 1 december 2026 10:00 — landelijk piket' (or '— piket Utrecht')."""
    when = date_format(timezone.localtime(slot.starts_at), "l j F Y H:i")
    if slot.is_national:
        return _("%(when)s — landelijk piket") % {"when": when}
    return _("%(when)s — piket %(location)s") % {"when": when, "location": slot.shift.location.name}


class MoveForm(NameCheckMixin, forms.Form):
    slot = forms.ChoiceField(
        label=_("Nieuw tijdstip"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een tijdstip."),
            "invalid_choice": _("Kies een tijdstip uit de lijst."),
        },
    )
    reason = _reason_field()

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(slot.key, slot_label(slot)) for slot in slots]
        self.helper = _helper(_("Consult verplaatsen"))


class WaitlistJoinForm(NameCheckMixin, forms.Form):
    legal_area = forms.ModelChoiceField(
        label=_("Rechtsgebied"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een rechtsgebied van deze casus.")},
    )
    question = NoPersonalDataField(
        label=_("Uw vraag aan de advocaat"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("De advocaat ziet de casus zonder de identiteit. Geen namen."),
        error_messages={"required": _("Schrijf uw vraag op.")},
    )
    callback_number = forms.CharField(
        label=_("Terugbelnummer (uw werknummer)"),
        max_length=32,
        help_text=_("Uw eigen werknummer, nooit dat van de rechtzoekende."),
        error_messages={"required": _("Geef uw werknummer op.")},
    )
    earliest = forms.DateField(
        label=_("Vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Geef een begindatum."), "invalid": _("Ongeldige datum.")},
    )
    latest = forms.DateField(
        label=_("Tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Geef een einddatum."), "invalid": _("Ongeldige datum.")},
    )

    def __init__(self, *args, legal_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_area"].queryset = LegalArea.objects.filter(
            pk__in=[area.pk for area in legal_areas]
        )
        self.helper = _helper(_("Op de wachtlijst"))

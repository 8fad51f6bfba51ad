"""Forms of the privacy pages: audit log filters and data subject requests (AVG)."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases import vault
from cases.converters import CaseNumberConverter
from cases.models import AuditEntry
from cases.pii import NameCheckMixin, NoPersonalDataField
from cases.services.privacy import REASON_MIN_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Actie"),
        required=False,
        choices=[("", _("Alle acties")), *AuditEntry.Action.choices],
    )
    actor = forms.CharField(
        label=_("Gebruiker (e-mailadres bevat)"), required=False, max_length=254
    )
    case_number = forms.CharField(label=_("Zaaknummer"), required=False, max_length=16)
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput)
    date_until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(
                Column("action", css_class="col-md-3"),
                Column("actor", css_class="col-md-3"),
                Column("case_number", css_class="col-md-2"),
                Column("date_from", css_class="col-md-2"),
                Column("date_until", css_class="col-md-2"),
            )
        )
        self.helper.add_input(Submit("submit", _("Filteren"), css_class="btn-secondary"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", _("Deze datum ligt vóór de begindatum."))
        return cleaned


class DataSubjectForm(forms.Form):
    """Who the request is about: the client's full name, and the date of birth when known."""

    full_name = forms.CharField(
        label=_("Volledige naam"),
        max_length=200,
        help_text=_(
            "Zoals bij de registratie opgegeven; hoofdletters en accenten tellen niet mee."
        ),
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum"),
        widget=DateInput,
        required=False,
        help_text=_(
            "Leeg laten als die niet bekend is: dan wordt alleen op naam gezocht en bevestigt u "
            "per casus dat het om deze rechtzoekende gaat."
        ),
    )

    action = reverse_lazy("cases:dsr")
    submit_label = _("Zoeken")
    submit_id = "zoeken"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = self.action
        self.helper.attrs = {"novalidate": "", "autocomplete": "off"}
        self.helper.add_input(Submit("submit", self.submit_label, css_id=self.submit_id))

    def clean_full_name(self) -> str:
        full_name = self.cleaned_data["full_name"]
        if not vault.normalise_name(full_name):
            raise forms.ValidationError(_("Vul een naam in."))
        return full_name

    @property
    def subject(self) -> dict:
        return {
            "full_name": self.cleaned_data["full_name"],
            "birth_date": self.cleaned_data["birth_date"],
        }


class CaseNumbersField(forms.MultipleChoiceField):
    """Case numbers ticked on the page. Any well-formed number passes the form: which cases may
    be confirmed (those the name found) is checked by the service."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return re.fullmatch(CaseNumberConverter.regex, str(value)) is not None


class _DataSubjectRequestForm(NameCheckMixin, DataSubjectForm):
    """A request about the client found with DataSubjectForm: name and birth date travel along
    hidden in the POST body, never in a URL. `candidates` (case number, label): cases found by
    the name alone, which the privacy officer ticks when they are this client's."""

    reason = NoPersonalDataField(
        label=_("Reden"),
        min_length=REASON_MIN_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: verzoek ontvangen per brief van 3 maart. Geen namen."),
    )
    cases = CaseNumbersField(
        label=_("Alleen op naam gevonden: ook deze casussen"),
        required=False,
        help_text=_(
            "Vink alleen casussen aan waarvan u heeft vastgesteld dat ze van deze rechtzoekende "
            "zijn (bijvoorbeeld met de organisatie die de casus registreerde)."
        ),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget = forms.HiddenInput()
        self.fields["birth_date"].widget = forms.HiddenInput()
        if candidates:
            self.fields["cases"].choices = [(r.case.number, _candidate(r)) for r in candidates]
        else:
            del self.fields["cases"]

    def request_data(self) -> dict:
        return {
            **self.subject,
            "reason": self.cleaned_data["reason"],
            "cases": self.cleaned_data.get("cases", []),
        }


def _candidate(record) -> str:
    case = record.case
    first_contact = date_format(case.first_contact_on, "j F Y")
    return _("%(number)s: %(organisation)s, %(location)s, eerste contact %(date)s") % {
        "number": case.number,
        "organisation": case.organisation.name,
        "location": case.location,
        "date": first_contact,
    }


class DsrExportForm(_DataSubjectRequestForm):
    action = reverse_lazy("cases:dsr_export")
    submit_label = _("Gegevens downloaden (JSON)")
    submit_id = "inzage-downloaden"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "inzage_%s")
        super().__init__(*args, **kwargs)


class DsrEraseForm(_DataSubjectRequestForm):
    action = reverse_lazy("cases:dsr_erase")
    submit_label = _("Definitief wissen")
    submit_id = "wissen-bevestigen"

    confirm = forms.BooleanField(
        label=_(
            "Ik begrijp dat de identiteit en de vrije tekst van deze casussen niet terug te "
            "halen zijn."
        ),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "wissen_%s")
        super().__init__(*args, **kwargs)
        self.helper.inputs[0].field_classes = "btn btn-danger"  # not the primary action

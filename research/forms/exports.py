"""The export request form (researcher) and the decision form (approver)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from cases.pii import NameCheckMixin, NoPersonalDataField
from research.export import catalogue
from research.models import ExportRequest, Study
from research.services import RequestData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportFieldsField(forms.MultipleChoiceField):
    """The catalogue's fields as check boxes. A name outside the catalogue (a direct identifier,
    free text, a typo) gets the catalogue's Dutch reason, not Django's generic one."""

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if refusal := catalogue.refuse_fields(value):
            raise forms.ValidationError(refusal, code="forbidden")


class ExportRequestForm(NameCheckMixin, forms.Form):
    study = forms.ModelChoiceField(
        label=_("Onderzoek"),
        queryset=Study.objects.none(),
        empty_label=_("Kies een onderzoek"),
        error_messages={
            "required": _("Kies een onderzoek."),
            "invalid_choice": _("Dit onderzoek bestaat niet of is afgesloten. Kies een onderzoek."),
        },
    )
    purpose = NoPersonalDataField(
        label=_("Doel van de export"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Welke vraag van het onderzoek beantwoordt u met deze gegevens?"),
        error_messages={"required": _("Beschrijf het doel van de export.")},
    )
    period_start = forms.DateField(
        label=_("Periode van"),
        widget=DATE,
        help_text=_("Datum van registratie van de casus."),
        error_messages={
            "required": _("Vul het begin van de periode in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    period_end = forms.DateField(
        label=_("Periode tot en met"),
        widget=DATE,
        error_messages={
            "required": _("Vul het einde van de periode in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locaties"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: alle locaties."),
    )
    fields = ExportFieldsField(
        label=_("Velden"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één veld.")},
    )
    unit = forms.ChoiceField(
        label=_("Eenheid van een rij"),
        choices=ExportRequest.Unit.choices,
        widget=forms.RadioSelect,
        initial=ExportRequest.Unit.CASE,
        error_messages={"required": _("Kies de eenheid van een rij.")},
    )
    format = forms.ChoiceField(
        label=_("Formaat"),
        choices=ExportRequest.Format.choices,
        widget=forms.RadioSelect,
        initial=ExportRequest.Format.CSV,
        error_messages={"required": _("Kies een formaat.")},
    )
    delimiter = forms.ChoiceField(
        label=_("Scheidingsteken (alleen CSV)"),
        choices=ExportRequest.Delimiter.choices,
        widget=forms.RadioSelect,
        initial=ExportRequest.Delimiter.COMMA,
        error_messages={"required": _("Kies een scheidingsteken.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study"].queryset = Study.objects.filter(is_active=True).order_by("code")
        self.fields["locations"].queryset = Location.objects.filter(is_active=True).order_by("name")
        self.fields["fields"].choices = catalogue.field_choices()
        year = timezone.localdate().year
        self.fields["period_start"].initial = timezone.localdate().replace(year=year - 1, day=1)
        self.fields["period_end"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        fields, unit = cleaned.get("fields"), cleaned.get("unit")
        if fields and unit and (refusal := catalogue.refuse_fields(fields, unit)):
            self.add_error("fields", refusal)
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Het einde van de periode ligt vóór het begin."))
        return cleaned

    def field_help(self) -> list[dict]:
        """The check boxes of the fields with the catalogue's one-line help."""
        chosen = set(self["fields"].value() or [])
        return [
            {
                "name": name,
                "label": label,
                "help": getattr(catalogue.FIELDS.get(name), "help_nl", ""),
                "checked": name in chosen,
            }
            for name, label in self.fields["fields"].choices
        ]

    def data_for_service(self) -> RequestData:
        d = self.cleaned_data
        return RequestData(
            study=d["study"],
            purpose=d["purpose"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            locations=list(d["locations"]),
            fields=list(d["fields"]),
            unit=d["unit"],
            format=d["format"],
            delimiter=d["delimiter"],
        )


class DecisionForm(NameCheckMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren")), ("reject", _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies goedkeuren of afwijzen.")},
    )
    reason = NoPersonalDataField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij afwijzen; de onderzoeker ziet de toelichting."),
    )

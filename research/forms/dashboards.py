"""The dashboard's filters: a calendar year, a location, a legal area (GET)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from research.figures import Filters, Options

FIRST_YEAR = 2020
SELECT = forms.Select(attrs={"class": "form-select"})


class DashboardFilterForm(forms.Form):
    """Whole calendar years only, and one location or all, one legal area or all: coarse
    choices, so two views never nest (research.suppression, "Across filter combinations")."""

    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int, required=False, widget=SELECT)
    locatie = forms.TypedChoiceField(label=_("Locatie"), coerce=int, required=False, widget=SELECT)
    rechtsgebied = forms.TypedChoiceField(
        label=_("Rechtsgebied"), coerce=int, required=False, widget=SELECT
    )

    def __init__(self, data, *, options: Options):
        super().__init__(data)
        locations, legal_areas = options.locations, options.legal_areas
        this_year = timezone.localdate().year
        self.fields["jaar"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["locatie"].choices = [("", _("Alle locaties"))] + [
            (location.pk, location.name) for location in locations
        ]
        self.fields["rechtsgebied"].choices = [("", _("Alle rechtsgebieden"))] + [
            (area.id, area.name) for area in legal_areas
        ]

    def filters(self) -> Filters:
        """The chosen filters; the current year and everything when the input is not valid."""
        year = timezone.localdate().year
        if not self.is_valid():
            return Filters(year=year)
        data = self.cleaned_data
        return Filters(
            year=data["jaar"] or year,
            location_id=data["locatie"] or None,
            legal_area_id=data["rechtsgebied"] or None,
        )

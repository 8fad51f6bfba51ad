"""Forms of the roster editor, duty, profiles and the overviews' filters."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, Membership, Role, User
from cases.models import LegalArea
from cases.pii import PII_GUARD, NameCheckMixin
from piket.models import AdvocaatProfile, Roster, RosterException, Weekday

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PILOT_AREAS = LegalArea.objects.filter(is_active=True, in_pilot_scope=True)


class LegalAreasField(forms.ModelMultipleChoiceField):
    """Checkboxes grouped by cluster in the template (see `clusters`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Rechtsgebieden"))
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("Kies rechtsgebieden uit de lijst."),
                "invalid_pk_value": _("Kies rechtsgebieden uit de lijst."),
            },
        )
        super().__init__(queryset=PILOT_AREAS, **kwargs)


def clusters(form: forms.Form, name: str = "legal_areas") -> list[dict]:
    """The checkboxes of `name` grouped by cluster, with the cluster's "whole cluster" box."""
    selected_clusters = set(form["clusters"].value() or []) if "clusters" in form.fields else set()
    areas = {area.pk: area for area in form.fields[name].queryset}
    groups: dict[str, dict] = {}
    for widget in form[name]:
        value = widget.data["value"]
        area = areas[int(getattr(value, "value", value))]
        group = groups.setdefault(
            area.cluster,
            {
                "value": area.cluster,
                "label": LegalArea.Cluster(area.cluster).label,
                "whole": area.cluster in selected_clusters,
                "areas": [],
            },
        )
        group["areas"].append(widget)
    return list(groups.values())


class RosterForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        empty_label=None,
        help_text=_("Kies 'Landelijk' voor het landelijke piket per rechtsgebied."),
        error_messages={"invalid_choice": _("Kies een locatie waarvan u het rooster beheert.")},
    )
    legal_areas = LegalAreasField(required=False)
    clusters = forms.MultipleChoiceField(
        label=_("Hele cluster"),
        choices=[c for c in LegalArea.Cluster.choices if c[0] != LegalArea.Cluster.OUTSIDE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekday = forms.TypedChoiceField(label=_("Weekdag"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Van"), widget=TIME)
    end_time = forms.TimeField(label=_("Tot"), widget=TIME)
    consult_minutes = forms.IntegerField(
        label=_("Duur van een consult (minuten)"), min_value=5, max_value=120, initial=15
    )
    buffer_minutes = forms.IntegerField(
        label=_("Pauze tussen consulten (minuten)"), min_value=0, max_value=60, initial=5
    )
    capacity = forms.IntegerField(
        label=_("Aantal advocaten van dienst"), min_value=1, max_value=20, initial=1
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DATE)
    valid_until = forms.DateField(label=_("Geldig tot en met"), widget=DATE, required=False)
    cancel_booked = forms.BooleanField(
        label=_("Geboekte consulten die erbuiten vallen annuleren"),
        required=False,
        help_text=_(
            "Alleen nodig als er al consulten geboekt zijn: beide kanten krijgen bericht met de "
            "reden."
        ),
    )

    def __init__(self, *args, locations: list[Location], roster: Roster | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(
            pk__in=[loc.pk for loc in locations]
        ).order_by("is_national", "name")
        if roster is None:
            self.initial.setdefault("valid_from", timezone.localdate())
            own = [loc for loc in locations if not loc.is_national]
            if own:
                self.initial.setdefault("location", own[0].pk)
        else:
            self.initial.update(
                {name: getattr(roster, name) for name in self.fields if hasattr(roster, name)}
            )
            self.initial["location"] = roster.location_id
            self.initial["legal_areas"] = [a.pk for a in roster.legal_areas.all()]
            self.initial.pop("clusters", None)

    def clean(self):
        data = super().clean()
        areas = set(data.get("legal_areas") or [])
        for cluster in data.get("clusters") or []:
            areas.update(PILOT_AREAS.filter(cluster=cluster))
        data["legal_areas"] = sorted(areas, key=lambda a: (a.position, a.name))
        if not areas:
            self.add_error("legal_areas", _("Kies minstens één rechtsgebied of een hele cluster."))
        return data

    @property
    def clusters_grouped(self):
        return clusters(self)


class RosterExceptionForm(NameCheckMixin, forms.Form):
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een locatie waarvan u het rooster beheert.")},
    )
    roster = forms.ModelChoiceField(
        label=_("Piketmoment"),
        queryset=Roster.objects.none(),
        required=False,
        empty_label=_("Alle piketmomenten van de locatie"),
        error_messages={"invalid_choice": _("Kies een piketmoment uit de lijst.")},
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Soort"), choices=RosterException.Kind.choices, widget=forms.RadioSelect
    )
    start_time = forms.TimeField(label=_("Andere begintijd"), widget=TIME, required=False)
    end_time = forms.TimeField(label=_("Andere eindtijd"), widget=TIME, required=False)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        required=False,
        validators=PII_GUARD,
        help_text=_(
            "Bijvoorbeeld: studiedag. Geen gegevens van rechtzoekenden. Worden er consulten "
            "geannuleerd, dan lezen beide kanten deze reden."
        ),
    )
    cancel_booked = forms.BooleanField(
        label=_("Geboekte consulten die erbuiten vallen annuleren"),
        required=False,
        help_text=_(
            "Alleen nodig als er al consulten geboekt zijn: beide kanten krijgen bericht met de "
            "reden."
        ),
    )

    def __init__(self, *args, locations: list[Location], rosters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(
            pk__in=[loc.pk for loc in locations]
        ).order_by("is_national", "name")
        self.fields["roster"].queryset = rosters.filter(is_active=True)
        self.initial.setdefault("kind", RosterException.Kind.CLOSED)

    def clean(self):
        data = super().clean()
        roster, location = data.get("roster"), data.get("location")
        if roster and location and roster.location_id != location.pk:
            self.add_error("roster", _("Dit piketmoment hoort bij een andere locatie."))
        return data


class AssignForm(forms.Form):
    advocaat = forms.ModelChoiceField(
        label=_("Advocaat"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Kies een advocaat uit de lijst.")},
    )

    def __init__(self, *args, location: Location, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = Membership.objects.active().filter(role=Role.ADVOCAAT)
        if not location.is_national:
            memberships = memberships.filter(organisation__location=location)
        self.fields["advocaat"].queryset = User.objects.filter(
            pk__in=memberships.values("user_id")
        ).order_by("full_name")


class SwapOfferForm(forms.Form):
    to_advocaat = forms.ModelChoiceField(
        label=_("Collega"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Kies een collega uit de lijst.")},
    )

    def __init__(self, *args, user: User, location: Location, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_advocaat"].queryset = (
            AssignForm(location=location).fields["advocaat"].queryset.exclude(pk=user.pk)
        )


class AdvocaatProfileForm(forms.Form):
    legal_areas = LegalAreasField()
    half_days_per_month = forms.IntegerField(
        label=_("Toegezegde dagdelen per maand"), min_value=0, max_value=40
    )
    max_shifts_per_week = forms.IntegerField(
        label=_("Maximaal aantal diensten per week"), min_value=0, max_value=14
    )
    max_shifts_per_month = forms.IntegerField(
        label=_("Maximaal aantal diensten per maand"), min_value=0, max_value=62
    )

    def __init__(self, *args, profile: AdvocaatProfile | None, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = AdvocaatProfile()
        source = profile or defaults
        for name in ("half_days_per_month", "max_shifts_per_week", "max_shifts_per_month"):
            self.initial.setdefault(name, getattr(source, name))
        if profile is not None:
            self.initial.setdefault("legal_areas", [a.pk for a in profile.legal_areas.all()])

    @property
    def clusters_grouped(self):
        return clusters(self)


class MonthForm(forms.Form):
    maand = forms.CharField(label=_("Maand"), widget=forms.DateInput(attrs={"type": "month"}))

    def month(self) -> tuple[int, int]:
        today = timezone.localdate()
        if self.is_bound and self.is_valid():
            try:
                year, month = (int(part) for part in self.cleaned_data["maand"].split("-"))
                date(year, month, 1)
                if 2000 <= year <= 2100:
                    return year, month
            except ValueError:
                pass
        return today.year, today.month

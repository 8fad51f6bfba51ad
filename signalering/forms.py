"""Forms of the signaleringsoverleg."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Location, Organisation
from cases.models import LegalArea
from cases.pii import PII_GUARD, NameCheckMixin, NoPersonalDataField
from signalering import selectors
from signalering.models import Recommendation, Signal
from signalering.selectors import SignalFilters
from signalering.services import MANUAL_KINDS, RecommendationData, SignalData

# ---------------------------------------------------------------- signals and recommendations

NATIONAL = "landelijk"


class SignalForm(NameCheckMixin, forms.Form):
    """A signal about a pattern: never a client. The description is refused when it holds
    a BSN, a phone number, an e-mail address … and questioned when it seems to name someone."""

    location = forms.ChoiceField(
        label=_("Locatie"), error_messages={"required": _("Kies de locatie.")}
    )
    kind = forms.ChoiceField(
        label=_("Soort signaal"),
        choices=[(k.value, k.label) for k in MANUAL_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat voor signaal het is.")},
    )
    theme = forms.ChoiceField(
        label=_("Waar gaat het over?"),
        choices=Signal.Theme.choices,
        initial=Signal.Theme.OTHER,
        error_messages={"required": _("Kies waar het signaal over gaat.")},
    )
    legal_area = forms.ModelChoiceField(
        label=_("Rechtsgebied"),
        queryset=LegalArea.objects.none(),
        required=False,
        help_text=_("Alleen bij het thema rechtsgebied."),
    )
    counterparty = forms.CharField(
        label=_("Wederpartij"),
        max_length=100,
        required=False,
        validators=PII_GUARD,
        help_text=_("Een instantie, zoals UWV, IND, de gemeente of een woningcorporatie."),
    )
    process_step = forms.ChoiceField(
        label=_("Processtap"),
        choices=[("", "—"), *Signal.ProcessStep.choices],
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Betrokken organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = NoPersonalDataField(
        label=_("Omschrijving"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Beschrijf het patroon, niet één rechtzoekende: geen namen, telefoonnummers, "
            "BSN's of adressen van cliënten."
        ),
        error_messages={"required": _("Beschrijf het signaal.")},
    )
    case_count = forms.IntegerField(
        label=_("Aantal zaken (optioneel)"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Hoeveel zaken het betreft; nooit welke."),
    )
    refused_count = forms.IntegerField(
        label=_("Ten onrechte als zelfredzaam afgewezen"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_(
            "Alleen bij het zelfredzaamheidscriterium: hoeveel mensen kregen geen "
            "gesubsidieerde rechtsbijstand omdat ze zelfredzaam zouden zijn, terwijl ze dat "
            "niet waren."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = {str(loc.pk): loc for loc in selectors.signal_locations(user)}
        choices = [(pk, loc.name) for pk, loc in self.locations.items() if not loc.is_national]
        if access.can(user, "signalering.national"):
            choices.append((NATIONAL, _("Landelijk (niet aan één locatie gebonden)")))
        self.fields["location"].choices = choices
        if len(choices) == 1:
            self.fields["location"].initial = choices[0][0]
        self.fields["legal_area"].queryset = LegalArea.objects.order_by("position", "name")
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(is_active=True, location__is_active=True)
            .select_related("location")
            .order_by("location__name", "name")
        )

    def data_for_service(self) -> SignalData:
        d = self.cleaned_data
        return SignalData(
            kind=d["kind"],
            theme=d["theme"],
            description=d["description"],
            location=self.locations.get(d["location"]),
            legal_area=d["legal_area"],
            counterparty=d["counterparty"],
            process_step=d["process_step"],
            organisations=tuple(d["organisations"]),
            case_count=d["case_count"],
            refused_count=d["refused_count"],
        )


class SignalFilterForm(forms.Form):
    location = forms.TypedChoiceField(label=_("Locatie"), coerce=int, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *Signal.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle")), *Signal.Kind.choices], required=False
    )
    theme = forms.ChoiceField(
        label=_("Thema"), choices=[("", _("Alle")), *Signal.Theme.choices], required=False
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [
            ("", _("Alle")),
            *((loc.pk, loc.name) for loc in locations),
        ]

    def filters(self) -> SignalFilters:
        if not self.is_valid():
            return SignalFilters()
        d = self.cleaned_data
        return SignalFilters(
            location_id=d["location"] or None, status=d["status"], kind=d["kind"], theme=d["theme"]
        )


class SignalResolveForm(NameCheckMixin, forms.Form):
    resolution = NoPersonalDataField(
        label=_("Hoe is het afgehandeld?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf hoe het signaal is afgehandeld.")},
    )


class SignalJudgeForm(forms.Form):
    justified = forms.TypedChoiceField(
        label=_("Was de terugkoppeling terecht?"),
        choices=[("ja", _("Terecht")), ("nee", _("Niet terecht"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies terecht of niet terecht.")},
    )


class RecommendationForm(NameCheckMixin, forms.Form):
    title = NoPersonalDataField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Geef een titel.")}
    )
    text = NoPersonalDataField(
        label=_("Aanbeveling"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Schrijf de aanbeveling uit.")},
    )
    level = forms.ChoiceField(label=_("Niveau"), choices=Recommendation.Level.choices)
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("Bij een lokale aanbeveling."),
    )
    addressee_kind = forms.ChoiceField(
        label=_("Gericht aan"),
        choices=Recommendation.AddresseeKind.choices,
        error_messages={"required": _("Kies aan wie de aanbeveling is gericht.")},
    )
    addressee_name = NoPersonalDataField(
        label=_("Naam van de geadresseerde"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld het ministerie van Justitie en Veiligheid of UWV."),
    )

    def __init__(self, *args, user, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        locations = selectors.recommendation_locations(user)
        self.fields["location"].queryset = Location.objects.filter(
            pk__in=[loc.pk for loc in locations]
        ).order_by("name")
        if len(locations) == 1:
            self.fields["location"].initial = locations[0].pk
        if levels is not None:
            self.fields["level"].choices = [
                c for c in Recommendation.Level.choices if c[0] in levels
            ]

    def data_for_service(self) -> RecommendationData:
        d = self.cleaned_data
        return RecommendationData(
            title=d["title"],
            text=d["text"],
            addressee_kind=d["addressee_kind"],
            addressee_name=d["addressee_name"],
            level=d["level"],
            location=d["location"],
        )


class RecommendationStatusForm(NameCheckMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=[c for c in Recommendation.Status.choices if c[0] != Recommendation.Status.MERGED],
        error_messages={"required": _("Kies de nieuwe status.")},
    )
    note = NoPersonalDataField(label=_("Toelichting"), max_length=1000, required=False)


class RecommendationAnswerForm(NameCheckMixin, forms.Form):
    answer = NoPersonalDataField(
        label=_("Antwoord van de geadresseerde"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vul het antwoord van de geadresseerde in.")},
    )


class MilestoneForm(NameCheckMixin, forms.Form):
    description = NoPersonalDataField(
        label=_("Mijlpaal"),
        max_length=300,
        error_messages={"required": _("Beschrijf de mijlpaal.")},
    )
    due_date = forms.DateField(
        label=_("Gepland op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )


class ConsentForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Stemt uw lijn in?"),
        choices=[("ja", _("Akkoord")), ("nee", _("Niet akkoord"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies akkoord of niet akkoord.")},
    )


class MergeForm(NameCheckMixin, forms.Form):
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Samen te voegen aanbevelingen"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens twee aanbevelingen."),
            "invalid_choice": _("Een van de gekozen aanbevelingen kunt u niet samenvoegen."),
        },
    )
    title = NoPersonalDataField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Geef een titel.")}
    )
    text = NoPersonalDataField(
        label=_("Aanbeveling"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Schrijf de samengevoegde aanbeveling uit.")},
    )
    level = forms.ChoiceField(
        label=_("Niveau"),
        choices=[c for c in Recommendation.Level.choices if c[0] != Recommendation.Level.LOCAL],
    )
    addressee_kind = forms.ChoiceField(
        label=_("Gericht aan"), choices=Recommendation.AddresseeKind.choices
    )
    addressee_name = NoPersonalDataField(
        label=_("Naam van de geadresseerde"), max_length=200, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = selectors.mergeable_recommendations(user)

    def clean_recommendations(self):
        chosen = self.data.getlist("recommendations") if hasattr(self.data, "getlist") else []
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(
                _("Een aanbeveling kan niet met zichzelf worden samengevoegd.")
            )
        return self.cleaned_data["recommendations"]

    def data_for_service(self) -> RecommendationData:
        d = self.cleaned_data
        return RecommendationData(
            title=d["title"],
            text=d["text"],
            addressee_kind=d["addressee_kind"],
            addressee_name=d["addressee_name"],
            level=d["level"],
        )


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": _("Kies een mijlpaal.")}
    )

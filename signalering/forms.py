"""Forms of the signaleringsoverleg. Free text refuses client data (the models' PII guard) and
asks about names (NameCheckMixin); the services check what a form can't."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Location, Organisation, User
from cases.models import LegalArea
from cases.pii import PII_GUARD, NameCheckMixin, NoPersonalDataField
from signalering import selectors
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Decision,
    Meeting,
    MinutesVersion,
    Recommendation,
    Section,
    Series,
    SeriesMember,
    Signal,
)
from signalering.selectors import SignalFilters
from signalering.services import MANUAL_KINDS, RecommendationData, SignalData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = Series
        fields = [
            "name",
            "location",
            "default_weekday",
            "default_time",
            "days_before_agenda_mail",
            "is_active",
        ]
        widgets = {"default_time": TIME}
        error_messages = {"name": {"required": _("Geef de overlegreeks een naam.")}}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        locations = access.locations_where(user, "signalering.manage")
        if self.instance.pk:
            del self.fields["location"]
        else:
            self.fields["location"].queryset = self.fields["location"].queryset.filter(
                pk__in=[location.pk for location in locations]
            )
            self.fields["location"].required = True
            self.fields["location"].error_messages["required"] = _("Kies de locatie.")
            if len(locations) == 1:
                self.fields["location"].initial = locations[0].pk
            self.fields["is_active"].widget = forms.HiddenInput()


class MemberForm(forms.Form):
    """A colleague with an account, or a guest of the sociale kaart by name and e-mail."""

    user = forms.ModelChoiceField(
        label=_("Collega met een account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— een gast zonder account —"),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[c for c in SeriesMember.Role.choices if c[0] != SeriesMember.Role.GUEST],
        initial=SeriesMember.Role.MEMBER,
    )
    guest_name = forms.CharField(label=_("Naam gast"), max_length=200, required=False)
    guest_email = forms.EmailField(label=_("E-mailadres gast"), required=False)
    guest_organisation = forms.CharField(
        label=_("Organisatie gast"), max_length=200, required=False
    )

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        location_ids = (
            [series.location_id]
            if series.location_id
            else list(series.locations.values_list("pk", flat=True))
        )
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__is_active=True,
                memberships__organisation__location_id__in=location_ids,
            )
            .exclude(
                signalering_memberships__series=series, signalering_memberships__is_active=True
            )
            .distinct()
            .order_by("full_name", "email")
        )

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("guest_email"):
            raise forms.ValidationError(
                _("Kies een collega met een account, of vul naam en e-mailadres van een gast in.")
            )
        if data.get("user") and data.get("guest_email"):
            raise forms.ValidationError(_("Kies een collega óf vul een gast in, niet allebei."))
        return data


class TemplateItemForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaTemplateItem
        fields = ["section", "title", "is_recurring"]
        error_messages = {"title": {"required": _("Geef het agendapunt een titel.")}}


class MeetingForm(NameCheckMixin, forms.ModelForm):
    day = forms.DateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={
            "required": _("Kies een datum."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    start = forms.TimeField(
        label=_("Begintijd"),
        widget=TIME,
        error_messages={"required": _("Kies een begintijd."), "invalid": _("Vul een tijd in.")},
    )

    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Vul een geldige link in.")},
    )

    class Meta:
        model = Meeting
        fields = ["place", "online_url"]

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "day": self.fields["day"],
            "start": self.fields["start"],
            "place": self.fields["place"],
            "online_url": self.fields["online_url"],
        }
        if series.default_time:
            self.fields["start"].initial = series.default_time

    @property
    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["start"]))


class AgendaItemForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["section", "title", "description", "is_confidential"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Geef het agendapunt een titel.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].initial = Section.OTHER


class MinutesForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["minutes", "is_done", "is_confidential"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "is_done": _("Afgehandeld (anders komt het punt terug op het volgende overleg)"),
            "is_confidential": _("Vertrouwelijk (niet voor gasten, niet in hun mail en PDF)"),
        }


class DecisionForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"text": {"required": _("Beschrijf het besluit.")}}


class ActionForm(NameCheckMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=SeriesMember.objects.none(),
        error_messages={
            "required": _("Kies wie de actie uitvoert."),
            "invalid_choice": _(
                "De eigenaar moet een deelnemer of gast van deze overlegreeks zijn."
            ),
        },
    )

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_date", "is_confidential"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_date": DATE}
        error_messages = {
            "description": {"required": _("Beschrijf de actie.")},
            "due_date": {
                "required": _("Vul een datum in."),
                "invalid": _("Vul een geldige datum in."),
            },
        }

    def __init__(self, *args, owners: list[SeriesMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = SeriesMember.objects.filter(
            pk__in=[m.pk for m in owners]
        ).select_related("user")
        self.fields["owner"].label_from_instance = lambda m: m.display_name
        order = ["description", "owner", "due_date", "is_confidential", "names_confirmed"]
        self.fields = {name: self.fields[name] for name in order}


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Aanwezig"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(a.pk), a.member.display_name) for a in attendances]
        self.fields["present"].initial = [str(a.pk) for a in attendances if a.present]


class CorrectionForm(NameCheckMixin, forms.ModelForm):
    class Meta:
        model = MinutesVersion
        fields = ["correction_reason"]
        widgets = {"correction_reason": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"correction_reason": {"required": _("Geef de reden van de correctie.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction_reason"].required = True


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


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

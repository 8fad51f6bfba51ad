"""Forms of the library: an entry (propose and edit), the rows of a task division, the
workflow's actions (step, endorse, comment, review, restore, variant), the library's filters
and the reader's subscriptions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Location, Membership, User
from bestpractices import search
from bestpractices.models import Entry, Review, Status
from bestpractices.services import EntryData, TaskRowData
from cases.models import KindOfCase, LegalArea
from cases.pii import NameCheckMixin, NoPersonalDataField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(NameCheckMixin, forms.Form):
    """Propose an idea (`entry=None`) or edit an entry (its author or a coordinator)."""

    kind = forms.ChoiceField(label=_("Soort"), choices=Entry.Kind.choices)
    title = NoPersonalDataField(label=_("Titel"), max_length=200)
    summary = NoPersonalDataField(
        label=_("Samenvatting"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén of twee zinnen: wat is de werkwijze en waarom werkt ze?"),
    )
    body = NoPersonalDataField(
        label=_("Tekst"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: ## kop, **vet**, *schuin*, - opsomming, 1. genummerd, [tekst](https://…). "
            "HTML wordt niet overgenomen. Nooit namen of gegevens van rechtzoekenden."
        ),
    )
    legal_areas = forms.ModelMultipleChoiceField(
        label=_("Rechtsgebieden"),
        queryset=LegalArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kinds_of_case = forms.ModelMultipleChoiceField(
        label=_("Soorten zaken"),
        queryset=KindOfCase.objects.filter(is_active=True).select_related("legal_area"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Alleen van de gekozen rechtsgebieden."),
    )
    audience = forms.ChoiceField(
        label=_("Voor wie"),
        choices=Entry.Audience.choices,
        widget=forms.RadioSelect,
        initial=Entry.Audience.BOTH,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locaties"),
        queryset=Location.objects.filter(is_active=True, is_national=False),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Niets aangevinkt: landelijk."),
    )
    tags = forms.CharField(
        label=_("Trefwoorden"),
        max_length=400,
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: huurachterstand, warme overdracht."),
    )
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Verantwoordelijk voor de herbeoordeling."),
    )
    review_by = forms.DateField(
        label=_("Herbeoordelen vóór"),
        widget=DATE,
        required=False,
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    note = NoPersonalDataField(
        label=_("Wat is er gewijzigd?"),
        max_length=200,
        required=False,
        help_text=_("Een korte toelichting bij deze versie."),
    )
    is_major = forms.BooleanField(label=_("Grote wijziging"), required=False)

    def __init__(self, *args, entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        if entry is None:
            for name in ("owner", "review_by", "note", "is_major"):
                del self.fields[name]
            return
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(role__in=access.CAPABILITIES["bestpractices.take_part"])
            .values("user_id"),
        )
        self.fields["owner"].empty_label = None
        revision = entry.current_revision
        self.initial.update(
            kind=entry.kind,
            title=revision.title if revision else entry.title,
            summary=revision.summary if revision else entry.summary,
            body=revision.body if revision else entry.body,
            legal_areas=list(entry.legal_areas.all()),
            kinds_of_case=list(entry.kinds_of_case.all()),
            audience=entry.audience,
            locations=list(entry.locations.all()),
            tags=", ".join(entry.tags),
            owner=entry.owner_id,
            review_by=entry.review_by,
        )

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()][:20]

    def data_for_service(self) -> EntryData:
        d = self.cleaned_data
        return EntryData(
            kind=d["kind"],
            title=d["title"],
            summary=d.get("summary", ""),
            body=d.get("body", "").replace("\r\n", "\n"),
            audience=d["audience"],
            legal_areas=list(d["legal_areas"]),
            kinds_of_case=list(d["kinds_of_case"]),
            locations=list(d["locations"]),
            tags=d["tags"],
            owner=d.get("owner"),
            review_by=d.get("review_by"),
            note=d.get("note", ""),
            is_major=d.get("is_major", False),
        )


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=50_000)


class TaskRowForm(NameCheckMixin, forms.Form):
    legal_area = forms.ModelChoiceField(
        label=_("Rechtsgebied"), queryset=LegalArea.objects.filter(is_active=True)
    )
    kind_of_case = forms.ModelChoiceField(
        label=_("Soort zaak"),
        queryset=KindOfCase.objects.filter(is_active=True).select_related("legal_area"),
        required=False,
        empty_label=_("Alle soorten zaken"),
    )
    first_line_can = NoPersonalDataField(
        label=_("Wat de eerste lijn kan doen"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    second_line_when = NoPersonalDataField(
        label=_("Wanneer de tweede lijn nodig is"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quality_requirements = forms.ModelMultipleChoiceField(
        label=_("Kwaliteitseisen"),
        queryset=Entry.objects.filter(kind=Entry.Kind.QUALITY_REQUIREMENT).exclude(
            status=Status.ARCHIVED
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def data_for_service(self) -> TaskRowData:
        d = self.cleaned_data
        return TaskRowData(
            legal_area=d["legal_area"],
            kind_of_case=d.get("kind_of_case"),
            first_line_can=d["first_line_can"],
            second_line_when=d["second_line_when"],
            quality_requirements=list(d["quality_requirements"]),
        )


TaskRowFormSet = forms.formset_factory(TaskRowForm, extra=2, can_delete=True, max_num=60)


def task_row_initial(rows) -> list[dict]:
    return [
        {
            "legal_area": row.legal_area_id,
            "kind_of_case": row.kind_of_case_id,
            "first_line_can": row.first_line_can,
            "second_line_when": row.second_line_when,
            "quality_requirements": [q.pk for q in row.quality_requirements.all()],
        }
        for row in rows
    ]


class TransitionForm(NameCheckMixin, forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = NoPersonalDataField(label=_("Toelichting (optioneel)"), max_length=500, required=False)
    review_by = forms.DateField(
        label=_("Herbeoordelen vóór"),
        widget=DATE,
        required=False,
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    is_public = forms.BooleanField(
        label=_("Openbaar maken (leesbaar zonder account)"), required=False
    )


class EndorseForm(NameCheckMixin, forms.Form):
    organisation = forms.ChoiceField(label=_("Namens"))
    note = NoPersonalDataField(label=_("Toelichting (optioneel)"), max_length=500, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(k, str(o)) for k, o in self.organisations.items()]
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "U kunt alleen steun betuigen namens een organisatie waar u lid van bent."
        )

    def chosen_organisation(self):
        return self.organisations.get(self.cleaned_data["organisation"])


class CommentForm(NameCheckMixin, forms.Form):
    text = NoPersonalDataField(
        label=_("Uw reactie"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf een reactie.")},
    )


class ReviewForm(NameCheckMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            (Review.Outcome.RECONFIRMED, _("Ongewijzigd herbevestigd")),
            (Review.Outcome.CHANGES_REQUESTED, _("Wijzigingen nodig")),
        ],
        widget=forms.RadioSelect,
        initial=Review.Outcome.RECONFIRMED,
    )
    note = NoPersonalDataField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_by = forms.DateField(
        label=_("Volgende herbeoordeling vóór"),
        widget=DATE,
        required=False,
        help_text=_("Leeg: over een jaar."),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )


class RestoreForm(NameCheckMixin, forms.Form):
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Deze versie bestaat niet."),
            "required": _("Kies een versie."),
        },
    )
    note = NoPersonalDataField(label=_("Toelichting (optioneel)"), max_length=200, required=False)


class VariantForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Voor locatie"),
        queryset=Location.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Kies uw eigen locatie.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [loc.pk for loc in access.locations_where(user, "bestpractices.take_part")]
        self.fields["location"].queryset = Location.objects.filter(pk__in=ids, is_national=False)


class FollowForm(forms.Form):
    follow = forms.BooleanField(required=False)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        error_messages={"required": _("Kies ja of nee."), "invalid_choice": _("Kies ja of nee.")},
    )


class LibraryFilterForm(forms.Form):
    """The library's search and filters (GET)."""

    # no max_length: a pasted page is cut by the search itself (bestpractices.search)
    q = forms.CharField(
        label=_("Zoeken"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *Entry.Kind.choices], required=False
    )
    legal_area = forms.ModelChoiceField(
        label=_("Rechtsgebied"),
        queryset=LegalArea.objects.filter(is_active=True),
        required=False,
        empty_label=_("Alle rechtsgebieden"),
    )
    audience = forms.ChoiceField(
        label=_("Voor wie"),
        choices=[("", _("Iedereen")), ("first", _("Eerste lijn")), ("second", _("Tweede lijn"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle statussen")), *Status.choices], required=False
    )
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=Location.objects.filter(is_active=True, is_national=False),
        required=False,
        empty_label=_("Alle locaties"),
    )

    def __init__(self, *args, statuses: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not statuses:  # who reads adopted entries only has nothing to filter on
            del self.fields["status"]


class SubscriptionsForm(forms.Form):
    legal_areas = forms.ModelMultipleChoiceField(
        label=_("Rechtsgebieden die ik volg"),
        queryset=LegalArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "U krijgt een e-mail als een praktijkvoorbeeld van dit gebied in consultatie gaat."
        ),
    )
    digest = forms.BooleanField(
        label=_("Stuur mij maandelijks een overzicht van nieuw vastgestelde praktijkvoorbeelden"),
        required=False,
    )


def default_review_by():
    return timezone.localdate().replace(year=timezone.localdate().year + 1)


# ---------------------------------------------------------------- search, task matrix, public pages


class SynonymForm(NameCheckMixin, forms.Form):
    """A word users search with and the words the library's texts use for it."""

    term = NoPersonalDataField(
        label=_("Zoekwoord"),
        max_length=60,
        help_text=_("Het woord dat gebruikers intypen, bijvoorbeeld: bijstand."),
    )
    synonyms = NoPersonalDataField(
        label=_("Synoniemen"),
        max_length=600,
        help_text=_(
            "De woorden die de teksten gebruiken, gescheiden door komma's, bijvoorbeeld: "
            "participatiewet, bijstandsuitkering."
        ),
    )

    def clean_term(self) -> str:
        term = search.normalise_term(self.cleaned_data["term"])
        if not term:
            raise forms.ValidationError(_("Vul een woord in (letters of cijfers)."))
        return term

    def clean_synonyms(self) -> list[str]:
        words: list[str] = []
        for part in self.cleaned_data["synonyms"].split(","):
            word = search.normalise_term(part)
            if len(word) > 60:
                raise forms.ValidationError(_("Een synoniem is hoogstens 60 tekens lang."))
            if word and word not in words:
                words.append(word)
        words = [word for word in words if word != self.cleaned_data.get("term")]
        if not words:
            raise forms.ValidationError(_("Vul ten minste één synoniem in."))
        return words

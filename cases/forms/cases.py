"""Forms of the case registration: few required fields, defaults for everything known."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import TEXT_MAX, Case, LegalArea, SocialMapEntry, YesNoUnsure
from cases.pii import PII_GUARD, NameCheckMixin
from cases.services.cases import CASE_FIELDS, SubProblemData
from cases.vault import Identity

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlainSelect(forms.Select):
    """A select built in Python, the same markup as Django's. Django renders every option
    through two templates (~0.1 ms an option): the case list's filter form has one option per
    colleague, a tenth of the list page for an office of 50 (profiled at 1M cases)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                html = format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            groups.append(html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308 - built by format_html above
        )


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the choices with a plain query. Django's iterator uses `QuerySet.iterator()`, in
    PostgreSQL a server-side cursor: DECLARE, FETCH and CLOSE for the nine legal areas of the
    case list's filter, on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the form's own copy of the queryset: read once per form
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


def subject_choices() -> list[tuple[str, object, object]]:
    """Every legal area and every 'area — kind of case', as the searchable list offers them."""
    areas = LegalArea.objects.filter(is_active=True).prefetch_related("kinds")
    options = []
    for area in areas:
        options.append((area.name, area, None))
        options += [
            (f"{area.name} — {kind.name}", area, kind)
            for kind in area.kinds.all()
            if kind.is_active
        ]
    return options


class CaseForm(NameCheckMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisatie"), queryset=None, required=True)

    class Meta:
        model = Case
        fields = CASE_FIELDS  # what a worker fills in; the service writes the same fields
        widgets = {
            "first_contact_on": DATE_INPUT,
            "question": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(organisations)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Kies een organisatie waarvoor u casussen mag registreren."
        )
        self.single_organisation = organisations[0] if len(organisations) == 1 else None
        if self.single_organisation:  # the own organisation is the default: no question asked
            self.fields["organisation"].initial = self.single_organisation
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()
        if self.instance.pk:
            del self.fields["organisation"]
        self.fields["counterparty"].empty_label = _("— niet van toepassing of onbekend —")
        self.fields["first_contact_on"].initial = timezone.localdate()
        if not self.instance.pk:  # prefilled with today: registering asks nothing more
            self.fields["first_contact_on"].required = False
        for name in ("channel", "age_band", "household", "income"):
            self.fields[name].required = False

    def clean_postcode_area(self) -> str:
        value = self.cleaned_data["postcode_area"].strip().replace(" ", "")
        if value and not (len(value) == 4 and value.isdigit() and value[0] != "0"):
            raise forms.ValidationError(
                _(
                    "Vul alleen de vier cijfers van de postcode in (bijvoorbeeld 3511), "
                    "zonder letters."
                )
            )
        return value

    def clean(self):
        data = super().clean()
        if "organisation" in self.fields:
            if "organisation" in self._errors and self.single_organisation:
                self.add_error(
                    None, self._errors.pop("organisation")
                )  # a hidden field: say it on top
            elif not data.get("organisation") and self.single_organisation:
                data["organisation"] = self.single_organisation
        for name in ("channel", "age_band", "household", "income"):
            if not data.get(name):
                data[name] = Case._meta.get_field(name).default
        if (
            not self.instance.pk
            and not data.get("first_contact_on")
            and not self.has_error("first_contact_on")
        ):
            data["first_contact_on"] = timezone.localdate()
        return data  # the date rules are the model's (Case.clean), run by the ModelForm


class SubProblemForm(NameCheckMixin, forms.Form):
    subject = forms.CharField(
        label=_("Rechtsgebied of soort zaak"),
        max_length=250,
        help_text=_(
            "Typ een paar letters, bijvoorbeeld 'huur' of 'ontslag', en kies uit de lijst."
        ),
        widget=forms.TextInput(attrs={"list": "rechtsgebieden", "autocomplete": "off"}),
        error_messages={"required": _("Kies een rechtsgebied uit de lijst.")},
    )
    analysis = forms.CharField(
        label=_("Uw juridische analyse"),
        max_length=TEXT_MAX,
        required=False,
        validators=PII_GUARD,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wat is het juridische probleem en wat zou de oplossing kunnen zijn? Geen namen."
        ),
    )
    referral_useful = forms.ChoiceField(
        label=_("Is doorverwijzen naar een advocaat zinvol?"),
        choices=YesNoUnsure.choices,
        initial=YesNoUnsure.UNSURE,
        required=False,  # prefilled "weet ik niet": the only required field is the legal area
        widget=forms.RadioSelect,
    )
    considered_organisations = forms.ModelMultipleChoiceField(
        label=_("Overwogen organisaties van de sociale kaart"),
        queryset=SocialMapEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, subjects=None, social_map=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = {label.casefold(): (area, kind) for label, area, kind in (subjects or [])}
        if social_map is not None:
            self.fields["considered_organisations"].queryset = social_map

    def clean_subject(self) -> str:
        value = " ".join(self.cleaned_data["subject"].split()).replace(" - ", " — ")
        if value.casefold() not in self.subjects:
            raise forms.ValidationError(
                _("'%(value)s' staat niet in de lijst. Kies een rechtsgebied uit de lijst."),
                params={"value": value[:60]},
            )
        return value

    def to_data(self) -> SubProblemData:
        area, kind = self.subjects[self.cleaned_data["subject"].casefold()]
        return SubProblemData(
            legal_area=area,
            kind_of_case=kind,
            analysis=self.cleaned_data["analysis"],
            referral_useful=self.cleaned_data["referral_useful"] or YesNoUnsure.UNSURE,
            considered_organisations=list(self.cleaned_data["considered_organisations"]),
        )


class BaseSubProblemFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # The first sub-problem must be filled in; rows added later may stay empty.
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "use_required_attribute": index is not None and index < self.min_num}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(f.cleaned_data and not f.cleaned_data.get("DELETE") for f in self.forms):
            raise forms.ValidationError(_("Voeg minstens één deelprobleem toe."))


SubProblemFormSet = forms.formset_factory(
    SubProblemForm,
    formset=BaseSubProblemFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
)


class IdentityForm(forms.Form):
    """The client's identity: goes encrypted into the vault, never into the case."""

    full_name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE_INPUT)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254, required=False)
    street_address = forms.CharField(
        label=_("Straat en huisnummer"), max_length=200, required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value

    def to_identity(self) -> Identity:
        data = {k: (v or "") for k, v in self.cleaned_data.items() if k != "birth_date"}
        return Identity(
            birth_date=self.cleaned_data.get("birth_date"),
            **{k: v.strip() for k, v in data.items()},
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    closed_on = forms.DateField(label=_("Gesloten op"), required=False, widget=DATE_INPUT)
    solution_reached = forms.ChoiceField(
        label=_("Passende oplossing bereikt?"),
        choices=[("", "—"), *YesNoUnsure.choices],
        required=False,
    )
    solution_where = forms.ChoiceField(
        label=_("Waar is de oplossing gevonden?"),
        choices=[("", "—"), *Case.SolutionWhere.choices],
        required=False,
    )


class NoteForm(NameCheckMixin, forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=TEXT_MAX,
        validators=PII_GUARD,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevealForm(NameCheckMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom wilt u de identiteit inzien?"),
        max_length=500,
        min_length=5,
        validators=PII_GUARD,  # the reason goes into the audit log: no identity in it
        help_text=_(
            "Bijvoorbeeld: 'rechtzoekende terugbellen over de afspraak'. Dit wordt vastgelegd."
        ),
    )

    def __init__(self, *args, **kwargs):
        # its own ids: the case page also holds the note form (both have names_confirmed)
        kwargs.setdefault("auto_id", "inzien_%s")
        super().__init__(*args, **kwargs)


class CaseFilterForm(forms.Form):
    number = forms.CharField(label=_("Zaaknummer"), max_length=16, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *Case.Status.choices],
        required=False,
        widget=PlainSelect,
    )
    legal_area = ListedModelChoiceField(
        label=_("Rechtsgebied"),
        queryset=LegalArea.objects.filter(is_active=True),
        required=False,
        empty_label=_("Alle"),
        widget=PlainSelect,
    )
    worker = forms.ChoiceField(label=_("Geregistreerd door"), required=False, widget=PlainSelect)
    registered_from = forms.DateField(
        label=_("Geregistreerd vanaf"), required=False, widget=DATE_INPUT
    )
    registered_until = forms.DateField(label=_("tot en met"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [
            ("", _("Iedereen")),
            *[(str(u.pk), u.full_name) for u in workers],
        ]
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

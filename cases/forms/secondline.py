"""Forms for the second line: consult an advocaat, the advice per sub-problem, warm handover."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import TEXT_MAX, SecondLineAdvice, SocialMapEntry, YesNoUnsure
from cases.pii import NameCheckMixin, NoPersonalDataField


def _helper(submit: str) -> FormHelper:
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}  # the server's Dutch messages, not the browser's
    helper.add_input(Submit("submit", submit))
    return helper


class ConsultForm(NameCheckMixin, forms.Form):
    advocaat = forms.ModelChoiceField(
        label=_("Advocaat"),
        queryset=None,
        empty_label=_("— kies een advocaat —"),
        error_messages={
            "required": _("Kies een advocaat."),
            "invalid_choice": _(
                "Kies een advocaat van de sociale advocatuur van deze locatie of van het "
                "landelijke piket."
            ),
        },
    )
    question = NoPersonalDataField(
        label=_("Uw vraag aan de advocaat"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat wilt u weten? De advocaat ziet de casus zonder de identiteit. Geen namen."
        ),
        error_messages={"required": _("Schrijf uw vraag aan de advocaat op.")},
    )

    def __init__(self, *args, advocaten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advocaat"].queryset = advocaten
        self.fields["advocaat"].label_from_instance = lambda user: user.full_name
        self.helper = _helper(_("Advocaat raadplegen"))


class AdviceForm(NameCheckMixin, forms.Form):
    """The advocaat's advice on one sub-problem. `social_map` is a list, so that a page with a
    form per sub-problem reads the sociale kaart once."""

    analysis = NoPersonalDataField(
        label=_("Uw juridische analyse"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat is het juridische probleem en wat is de oplossing? Geen namen."),
        error_messages={"required": _("Vul uw juridische analyse in.")},
    )
    analysis_match = forms.ChoiceField(
        label=_("Komt uw analyse overeen met die van de eerste lijn?"),
        choices=SecondLineAdvice.Match.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of uw analyse overeenkomt.")},
    )
    referral_useful = forms.ChoiceField(
        label=_("Is doorverwijzen naar een advocaat zinvol?"),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of doorverwijzen zinvol is.")},
    )
    fitting_organisations = forms.TypedMultipleChoiceField(
        label=_("Passende organisaties van de sociale kaart"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies alleen organisaties van de sociale kaart van deze locatie.")
        },
    )
    takes_case = forms.BooleanField(label=_("Ik neem de zaak aan"), required=False)
    continuation = forms.ChoiceField(
        label=_("Hoe gaat de zaak verder?"),
        choices=SecondLineAdvice.Continuation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan hoe de zaak verder gaat.")},
    )
    certificate_otherwise = forms.ChoiceField(
        label=_("Zonder dit overleg was een LAT of toevoeging aangevraagd?"),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Geef aan of anders een LAT of toevoeging was aangevraagd.")},
    )
    feedback = forms.MultipleChoiceField(
        label=_("Terugkoppeling aan de eerste lijn"),
        choices=SecondLineAdvice.Feedback.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies alleen soorten terugkoppeling uit de lijst.")},
    )
    feedback_note = NoPersonalDataField(
        label=_("Toelichting op de terugkoppeling"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, social_map: list[SocialMapEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.social_map = {entry.pk: entry for entry in social_map}
        self.fields["fitting_organisations"].choices = [(e.pk, e.name) for e in social_map]

    @staticmethod
    def initial_from(advice: SecondLineAdvice | None) -> dict:
        if advice is None:
            return {}
        initial = {name: getattr(advice, name) for name in AdviceForm.base_fields}
        initial["fitting_organisations"] = [e.pk for e in advice.fitting_organisations.all()]
        return initial

    def clean_fitting_organisations(self) -> list[SocialMapEntry]:
        return [self.social_map[pk] for pk in self.cleaned_data["fitting_organisations"]]

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


def advice_formset(count: int) -> type[forms.BaseFormSet]:
    """One advice form per sub-problem, in the sub-problems' order: no more, no fewer."""
    return forms.formset_factory(
        AdviceForm,
        extra=0,
        min_num=count,
        max_num=count,
        validate_min=True,
        validate_max=True,
        absolute_max=count,
    )


class HandoverForm(NameCheckMixin, forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Naar organisatie"),
        queryset=None,
        empty_label=_("— kies een organisatie —"),
        error_messages={
            "required": _("Kies de organisatie die de zaak overneemt."),
            "invalid_choice": _(
                "Kies een andere actieve organisatie van de eerste lijn of de sociale advocatuur."
            ),
        },
    )
    to_advocaat = forms.ModelChoiceField(
        label=_("Naar een bepaalde advocaat (optioneel)"),
        queryset=None,
        required=False,
        empty_label=_("— iedereen van de organisatie —"),
        help_text=_("Alleen bij een sociale advocatuur: de advocaat die de zaak overneemt."),
        error_messages={"invalid_choice": _("Kies een advocaat uit de lijst.")},
    )
    context = NoPersonalDataField(
        label=_("Context voor de ontvanger"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wat is er al gedaan, wat moet er nog gebeuren, welke termijnen lopen? Geen namen."
        ),
        error_messages={"required": _("Geef de ontvanger context mee.")},
    )
    client_consent = forms.BooleanField(
        label=_("De rechtzoekende stemt in met de overdracht"),
        error_messages={
            "required": _(
                "Zonder toestemming van de rechtzoekende kan de zaak niet worden overgedragen."
            )
        },
    )
    identity_consent = forms.BooleanField(
        label=_("De rechtzoekende stemt in met het delen van de identiteit"),
        required=False,
        help_text=_("Alleen dan kan de ontvanger naam en contactgegevens inzien."),
    )

    def __init__(self, *args, receivers, advocaten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = receivers
        self.fields["to_advocaat"].queryset = advocaten
        self.fields["to_advocaat"].label_from_instance = lambda user: user.full_name
        self.helper = _helper(_("Overdracht versturen"))


class DeclineForm(NameCheckMixin, forms.Form):
    decline_reason = NoPersonalDataField(
        label=_("Reden van afwijzing"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een reden op waarom u de overdracht afwijst.")},
    )

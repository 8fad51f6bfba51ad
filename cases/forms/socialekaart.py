"""Forms of the sociale kaart: an entry, and the filters of the list."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import selectors
from cases.models import LegalArea, SocialMapEntry
from cases.pii import NameCheckMixin, NoPersonalDataField


class SocialMapEntryForm(NameCheckMixin, forms.Form):
    name = forms.CharField(label=_("Naam van de organisatie"), max_length=200)
    location = forms.ModelChoiceField(
        label=_("Locatie"),
        queryset=None,
        empty_label=None,
        help_text=_("Kies 'Landelijk' voor een organisatie die overal werkt."),
        error_messages={
            "invalid_choice": _("Kies een locatie waarvan u de sociale kaart beheert."),
        },
    )
    legal_areas = forms.ModelMultipleChoiceField(
        label=_("Rechtsgebieden"),
        queryset=LegalArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Bij welke rechtsgebieden kan deze organisatie helpen?"),
    )
    kinds_of_help = forms.MultipleChoiceField(
        label=_("Soorten hulp"),
        choices=SocialMapEntry.Help.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = NoPersonalDataField(
        label=_("Omschrijving"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat doet de organisatie en voor wie? Zet telefoonnummer, website of e-mailadres "
            "bij de contactroute."
        ),
    )
    contact_route = forms.CharField(
        label=_("Contactroute"),
        max_length=300,
        help_text=_(
            "Hoe verwijst u door: telefoonnummer, website of aanmeldformulier van de organisatie."
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Beheerder van deze vermelding"),
        queryset=None,
        empty_label=None,
        help_text=_("De coördinator die deze gegevens actueel houdt."),
        error_messages={"invalid_choice": _("Kies een coördinator van uw locatie.")},
    )

    def __init__(self, *args, user: User, entry: SocialMapEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        locations = selectors.socialmap_locations(user)
        owners = selectors.socialmap_owners(user)
        if entry is None:
            self.initial.setdefault("owner", user.pk)
            own = [loc for loc in locations if not loc.is_national]
            if own:
                self.initial.setdefault("location", own[0].pk)
            submit = _("Toevoegen")
        else:
            self.initial.update(
                name=entry.name,
                location=entry.location_id,
                legal_areas=[area.pk for area in entry.legal_areas.all()],
                kinds_of_help=entry.kinds_of_help,
                description=entry.description,
                contact_route=entry.contact_route,
                owner=entry.owner_id,
            )
            # A national entry may be owned by a coordinator of another location.
            owners = owners | User.objects.filter(pk=entry.owner_id)
            submit = _("Opslaan")
        self.fields["location"].queryset = locations
        self.fields["owner"].queryset = owners.distinct()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's Dutch messages, not the browser's
        self.helper.add_input(Submit("submit", submit))


class SocialMapFilterForm(forms.Form):
    """Filters of the list (GET); every field is optional."""

    search = forms.CharField(label=_("Zoek op naam"), max_length=200, required=False)
    legal_area = forms.ModelChoiceField(
        label=_("Rechtsgebied"),
        queryset=LegalArea.objects.filter(is_active=True),
        empty_label=_("Alle rechtsgebieden"),
        required=False,
    )
    kind_of_help = forms.ChoiceField(
        label=_("Soort hulp"),
        choices=[("", _("Alle soorten hulp")), *SocialMapEntry.Help.choices],
        required=False,
    )
    stale_only = forms.BooleanField(label=_("Alleen verouderd"), required=False)

    def __init__(self, *args, may_maintain: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_maintain:  # checking entries is the maintainers' work
            del self.fields["stale_only"]

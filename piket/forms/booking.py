"""The worker's booking form: a free slot for one legal area of the case, the question, and the
worker's own callback number."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import TEXT_MAX, LegalArea
from cases.pii import NameCheckMixin, NoPersonalDataField

PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")


def slot_value(legal_area: LegalArea, slot_key: str) -> str:
    """The radio button's value: the legal area and the slot (shift id and start)."""
    return f"{legal_area.pk}/{slot_key}"


class BookingForm(NameCheckMixin, forms.Form):
    slot = forms.CharField(
        label=_("Tijdstip"),
        error_messages={"required": _("Kies een tijdstip.")},
    )
    question = NoPersonalDataField(
        label=_("Uw vraag aan de advocaat"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat wilt u de advocaat vragen? Schrijf geen namen of andere gegevens van de "
            "rechtzoekende: de advocaat ziet de casus zonder de identiteit."
        ),
        error_messages={"required": _("Schrijf uw vraag aan de advocaat.")},
    )
    callback_number = forms.CharField(
        label=_("Uw terugbelnummer (werk)"),
        max_length=32,
        help_text=_(
            "Het nummer waarop de advocaat u terugbelt: uw eigen werknummer, nooit dat van de "
            "rechtzoekende."
        ),
        error_messages={"required": _("Vul het nummer in waarop de advocaat u kan terugbellen.")},
    )

    def __init__(self, *args, legal_areas: list[LegalArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_areas = {area.pk: area for area in legal_areas}

    def clean_slot(self) -> str:
        value = self.cleaned_data["slot"]
        area_id, _sep, slot_key = value.partition("/")
        area = self.legal_areas.get(int(area_id)) if area_id.isdecimal() else None
        if area is None:
            raise forms.ValidationError(
                _("Dit rechtsgebied hoort niet bij een deelprobleem van deze casus.")
            )
        self.cleaned_data["legal_area"] = area
        return slot_key

    def clean_callback_number(self) -> str:
        number = self.cleaned_data["callback_number"].strip()
        if not PHONE.match(number):
            raise forms.ValidationError(
                _("Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 45 67.")
            )
        return number

    def booking_data(self) -> dict:
        """Keyword arguments for `consult_book`."""
        data = self.cleaned_data
        return {
            "legal_area": data["legal_area"],
            "slot_key": data["slot"],
            "question": data["question"],
            "callback_number": data["callback_number"],
        }

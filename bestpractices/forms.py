"""Forms of the best-practice library."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bestpractices import search
from cases.pii import NameCheckMixin, NoPersonalDataField

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

"""Every field a researcher may request in an export, with its labels, its data class and where
it comes from.

The data class is read from the declaration of the source field (accounts.privacy:
`data_classes` on the model), never typed here: a field declared DIRECT, or holding free text,
can't be built into the catalogue at all (`_field` refuses it, a test walks every entry). A
source declared SAFE may be raised to QUASI (`quasi=True`) when it identifies in combination in
an export: the legal areas and kinds of case of a client are rare enough for that.

Scope: a "case" field has one value per case; a "subproblem" field one per sub-problem. In an
export with one row per sub-problem (unit "subproblem") the row carries its own value. In an
export with one row per case (unit "case") a quasi-identifying sub-problem field becomes a
set-valued column ("arbeidsrecht|huurrecht": sorted, distinct, separated by "|"); other
sub-problem fields are not available there. The k-anonymity check is always over cases (the
data subject), with each sub-problem quasi-identifier as the set of its values in the case —
see research/export/kanon.py.

`source` is an SQL expression over the tables of the engine's case query (aliases: c case,
o organisation, loc location, cp counterparty; per sub-problem s, la legal area, adv the latest
second-line advice of the sub-problem). The catalogue is the one place with these names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from accounts.models import Organisation
from accounts.privacy import DataClass, declared
from cases.models import Case, SecondLineAdvice, SubProblem, YesNoUnsure
from cases.pii import PII_GUARD
from piket.models import Consult

UNITS = ("subproblem", "case")
UNIT_LABELS = {
    "subproblem": (
        "Eén rij per deelprobleem, met de kenmerken van de casus",
        "One row per legal sub-problem, with the attributes of its case",
    ),
    "case": (
        "Eén rij per casus; kenmerken van de deelproblemen als verzameling (a|b)",
        "One row per case; sub-problem attributes as a set (a|b)",
    ),
}
KINDS = ("category", "integer", "date", "boolean", "pseudonym")


@dataclass(frozen=True)
class ExportField:
    name: str  # column name in the export
    label_nl: str
    label_en: str
    data_class: DataClass  # QUASI, SENSITIVE or SAFE only — never DIRECT, never free text
    kind: str  # "category" | "integer" | "date" | "boolean" | "pseudonym"
    categories: tuple[tuple[str, str, str], ...] = ()  # (code, label_nl, label_en)
    help_nl: str = ""
    # --- engine internals (extensions of the contract)
    scope: str = "case"  # "case" | "subproblem"
    source: str = ""  # SQL (see the module docstring)
    rule: str = "exact"  # research.export.rules.RULES
    quasi: bool = False  # a quasi-identifier: checked for k-anonymity
    reference: str = ""  # categories read from a reference table at export time
    declared_as: str = ""  # "app.Model.field" whose declaration gave data_class

    @property
    def is_set_in_case_unit(self) -> bool:
        return self.scope == "subproblem" and self.quasi

    def available_in(self, unit: str) -> bool:
        return self.scope == "case" or unit == "subproblem" or self.is_set_in_case_unit


def text(label, language: str) -> str:
    """A (lazy) label in a language: the Dutch source or its English translation."""
    if isinstance(label, Promise):
        with override(language):
            return str(label)
    return str(label)


def _choices(choices) -> tuple[tuple[str, str, str], ...]:
    # the labels stay lazy: text(label, "nl"/"en") reads them when a codebook is written
    return tuple((str(code), label, label) for code, label in choices)


def _is_free_text(model_field: models.Field) -> bool:
    if isinstance(model_field, models.TextField):
        return True
    return (
        isinstance(model_field, models.CharField)
        and not model_field.choices
        and any(v in PII_GUARD for v in model_field.validators)
    )


def _field(
    model: type[models.Model],
    field_name: str,
    *,
    name: str,
    label_nl: str,
    label_en: str,
    quasi: bool | None = None,
    **options,
) -> ExportField:
    declared_class = declared(model)[field_name]
    model_field = model._meta.get_field(field_name)
    where = f"{model._meta.label}.{field_name}"
    if declared_class == DataClass.DIRECT or _is_free_text(model_field):
        raise ImproperlyConfigured(f"{where} is a direct identifier or free text: never exported")
    is_quasi = declared_class == DataClass.QUASI if quasi is None else quasi
    data_class = DataClass.QUASI if is_quasi else declared_class
    return ExportField(
        name=name,
        label_nl=label_nl,
        label_en=label_en,
        data_class=data_class,
        quasi=is_quasi,
        declared_as=where,
        **options,
    )


YES_NO = (("ja", _("Ja"), _("Ja")), ("nee", _("Nee"), _("Nee")))

FIELDS: dict[str, ExportField] = {
    f.name: f
    for f in (
        # ------------------------------------------------------------ per case
        _field(
            Case,
            "id",
            name="case_pseudonym",
            label_nl="Pseudoniem van de casus (per studie)",
            label_en="Case pseudonym (per study)",
            kind="pseudonym",
            rule="pseudonym",
            quasi=False,
            source="'case:' || c.id::text",
            help_nl="Koppelt de rijen van één casus binnen deze studie, niet daarbuiten.",
        ),
        _field(
            Case,
            "location",
            name="location",
            label_nl="Locatie",
            label_en="Location",
            kind="category",
            rule="location",
            source="loc.slug",
            reference="location",
        ),
        _field(
            Case,
            "organisation",
            name="organisation_kind",
            label_nl="Soort organisatie (eerste lijn)",
            label_en="Kind of first-line organisation",
            kind="category",
            rule="organisation_kind",
            source="o.kind",
            categories=_choices(Organisation.Kind.choices),
        ),
        _field(
            Case,
            "registered_at",
            name="registered",
            label_nl="Periode van registratie",
            label_en="Period of registration",
            kind="category",
            rule="date",
            source="(c.registered_at AT TIME ZONE 'Europe/Amsterdam')",
            help_nl="Maand, kwartaal of jaar.",
        ),
        _field(
            Case,
            "first_contact_on",
            name="first_contact",
            label_nl="Periode van het eerste contact",
            label_en="Period of first contact",
            kind="category",
            rule="date",
            source="c.first_contact_on",
        ),
        _field(
            Case,
            "closed_on",
            name="closed",
            label_nl="Periode van sluiting",
            label_en="Period of closing",
            kind="category",
            rule="date",
            source="c.closed_on",
        ),
        _field(
            Case,
            "channel",
            name="channel",
            label_nl="Contactkanaal",
            label_en="Channel of contact",
            kind="category",
            source="c.channel",
            categories=_choices(Case.Channel.choices),
        ),
        _field(
            Case,
            "status",
            name="status",
            label_nl="Status",
            label_en="Status",
            kind="category",
            source="c.status",
            categories=_choices(Case.Status.choices),
        ),
        _field(
            Case,
            "solution_reached",
            name="solution_reached",
            label_nl="Passende oplossing bereikt",
            label_en="Fitting solution reached",
            kind="category",
            source="c.solution_reached",
            categories=_choices(YesNoUnsure.choices),
        ),
        _field(
            Case,
            "solution_where",
            name="solution_where",
            label_nl="Waar is de oplossing gevonden",
            label_en="Where the solution was found",
            kind="category",
            source="c.solution_where",
            categories=_choices(Case.SolutionWhere.choices),
        ),
        _field(
            Case,
            "age_band",
            name="age_band",
            label_nl="Leeftijdsklasse",
            label_en="Age band",
            kind="category",
            rule="age",
            source="c.age_band",
            categories=_choices(
                (code, label) for code, label in Case.AgeBand.choices if code != "onbekend"
            ),
        ),
        _field(
            Case,
            "postcode_area",
            name="postcode_region",
            label_nl="Postcoderegio",
            label_en="Postcode region",
            kind="category",
            rule="postcode",
            source="c.postcode_area",
            help_nl="Nooit de vier cijfers: de eerste twee (regio) of het eerste (landsdeel).",
        ),
        _field(
            Case,
            "household",
            name="household",
            label_nl="Huishouden",
            label_en="Household",
            kind="category",
            rule="household",
            source="c.household",
            categories=_choices(
                (code, label) for code, label in Case.Household.choices if code != "onbekend"
            ),
        ),
        _field(
            Case,
            "income",
            name="income",
            label_nl="Inkomen",
            label_en="Income",
            kind="category",
            rule="income",
            source="c.income",
            categories=_choices(
                (code, label) for code, label in Case.Income.choices if code != "onbekend"
            ),
        ),
        _field(
            Case,
            "counterparty",
            name="counterparty",
            label_nl="Wederpartij (uit de lijst)",
            label_en="Counterparty (from the list)",
            kind="category",
            source="cp.name",
            reference="counterparty",
        ),
        _field(
            Consult,
            "status",
            name="piket_consult_held",
            label_nl="Piketconsult gehouden",
            label_en="Piket consult held",
            kind="category",
            source=(
                "CASE WHEN EXISTS (SELECT 1 FROM piket_consult pc WHERE pc.case_id = c.id"
                " AND pc.status = 'gehouden') THEN 'ja' ELSE 'nee' END"
            ),
            categories=YES_NO,
        ),
        _field(
            SubProblem,
            "id",
            name="subproblem_count",
            label_nl="Aantal deelproblemen",
            label_en="Number of sub-problems",
            kind="integer",
            source="(SELECT count(*) FROM cases_subproblem s2 WHERE s2.case_id = c.id)",
        ),
        # ------------------------------------------------------------ per sub-problem
        _field(
            SubProblem,
            "legal_area",
            name="legal_area",
            label_nl="Rechtsgebied",
            label_en="Legal area",
            kind="category",
            scope="subproblem",
            rule="legal_area",
            quasi=True,
            source="la.slug",
            reference="legal_area",
        ),
        _field(
            SubProblem,
            "kind_of_case",
            name="kind_of_case",
            label_nl="Soort zaak",
            label_en="Kind of case",
            kind="category",
            scope="subproblem",
            rule="kind_of_case",
            quasi=True,
            source="s.kind_of_case_id::text",
            reference="kind_of_case",
        ),
        _field(
            SubProblem,
            "referral_useful",
            name="referral_useful",
            label_nl="Doorverwijzen naar advocaat zinvol (eerste lijn)",
            label_en="Referral to a lawyer useful (first line)",
            kind="category",
            scope="subproblem",
            source="s.referral_useful",
            categories=_choices(YesNoUnsure.choices),
        ),
        _field(
            SecondLineAdvice,
            "analysis_match",
            name="advice_analysis_match",
            label_nl="Analyse tweede lijn gelijk aan eerste lijn",
            label_en="Second-line analysis agrees with the first line",
            kind="category",
            scope="subproblem",
            source="adv.analysis_match",
            categories=_choices(SecondLineAdvice.Match.choices),
        ),
        _field(
            SecondLineAdvice,
            "referral_useful",
            name="advice_referral_useful",
            label_nl="Doorverwijzen naar advocaat zinvol (tweede lijn)",
            label_en="Referral to a lawyer useful (second line)",
            kind="category",
            scope="subproblem",
            source="adv.referral_useful",
            categories=_choices(YesNoUnsure.choices),
        ),
        _field(
            SecondLineAdvice,
            "certificate_otherwise",
            name="advice_certificate_otherwise",
            label_nl="Zonder overleg was een LAT of toevoeging aangevraagd",
            label_en="Without the consult a legal-aid certificate would have been requested",
            kind="category",
            scope="subproblem",
            source="adv.certificate_otherwise",
            categories=_choices(YesNoUnsure.choices),
        ),
        _field(
            SecondLineAdvice,
            "continuation",
            name="advice_continuation",
            label_nl="Hoe gaat de zaak verder (tweede lijn)",
            label_en="How the case continues (second line)",
            kind="category",
            scope="subproblem",
            source="adv.continuation",
            categories=_choices(SecondLineAdvice.Continuation.choices),
        ),
        _field(
            SecondLineAdvice,
            "takes_case",
            name="advice_takes_case",
            label_nl="Advocaat neemt de zaak aan",
            label_en="Lawyer takes the case",
            kind="category",
            scope="subproblem",
            source="CASE adv.takes_case WHEN true THEN 'ja' WHEN false THEN 'nee' END",
            categories=YES_NO,
        ),
        _field(
            SecondLineAdvice,
            "advocaat",
            name="advocaat_pseudonym",
            label_nl="Pseudoniem van de advocaat (per studie)",
            label_en="Lawyer pseudonym (per study)",
            kind="pseudonym",
            scope="subproblem",
            rule="pseudonym",
            quasi=True,
            source="'advocaat:' || adv.advocaat_id::text",
            help_nl="Alleen als de studie het nodig heeft; nooit de naam of het account.",
        ),
    )
}


def field_choices() -> list[tuple[str, str]]:
    """(name, Dutch label) of every field, for the request form."""
    return [(f.name, f.label_nl) for f in FIELDS.values()]


# Names a requester might type that name what may never leave: the fields of the case models
# that are direct identifiers or free text, and the identity vault and accounts.
def _forbidden() -> dict[str, str]:
    from django.apps import apps

    found: dict[str, str] = {}
    for label in (
        "cases.Case",
        "cases.SubProblem",
        "cases.SecondLineAdvice",
        "cases.Note",
        "cases.Handover",
        "cases.ClientIdentity",
        "piket.Consult",
        "piket.WaitlistEntry",
        "accounts.User",
    ):
        model = apps.get_model(label)
        for name, data_class in declared(model).items():
            model_field = model._meta.get_field(name)
            if data_class == DataClass.DIRECT:
                found.setdefault(name, "direct")
            elif model_field.concrete and _is_free_text(model_field):
                found.setdefault(name, "free_text")
    return found


def refuse_fields(names: Iterable[str], unit: str | None = None) -> str | None:
    """A Dutch message when a name is unknown, a direct identifier or free text (or, given a
    unit, not available in it); None when all may be exported."""
    names = list(names)
    if not names:
        return "Kies ten minste één veld."
    forbidden = _forbidden()
    for name in names:
        if name in FIELDS:
            if unit is not None and not FIELDS[name].available_in(unit):
                return (
                    f"Het veld '{name}' hoort bij een deelprobleem en kan alleen in een export "
                    "met één rij per deelprobleem."
                )
            continue
        if forbidden.get(name) == "direct":
            return (
                f"Het veld '{name}' is een direct identificerend gegeven en komt nooit in een "
                "export."
            )
        if forbidden.get(name) == "free_text":
            return f"Het veld '{name}' is vrije tekst en komt nooit in een export."
        return f"Het veld '{name}' bestaat niet in de catalogus van de export."
    if len(set(names)) != len(names):
        return "Een veld staat meer dan eens in de aanvraag."
    return None

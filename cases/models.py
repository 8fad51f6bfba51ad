"""Pseudonymised case records. The client's identity lives only in ClientIdentity (encrypted).

Every model declares `data_classes` (see accounts.privacy); free-text fields carry the PII guard.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.choices import ChoiceLabels
from accounts.models import Location, Organisation
from accounts.privacy import DIRECT, QUASI, SAFE, SENSITIVE
from cases.content import CaseContent
from cases.pii import PII_GUARD

TEXT_MAX = 4000  # characters in a free-text field: room for an analysis, not for a file


class YesNoUnsure(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nee", _("Nee")
    UNSURE = "weet_niet", _("Weet niet")


# ---------------------------------------------------------------- reference data


class LegalArea(models.Model):
    class Cluster(models.TextChoices):
        VREEMDELINGENRECHT = "vreemdelingenrecht", _("Vreemdelingenrecht")
        CIVIEL = "civiel", _("Civiel recht")
        WERK_INKOMEN = "werk_inkomen", _("Werk en inkomen")
        OUTSIDE = "buiten_pilot", _("Buiten de pilot")

    name = models.CharField(_("rechtsgebied"), max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    cluster = models.CharField(_("cluster"), max_length=20, choices=Cluster.choices)
    in_pilot_scope = models.BooleanField(_("binnen de pilot"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    data_classes = {
        "id": SAFE,
        "name": SAFE,
        "slug": SAFE,
        "cluster": SAFE,
        "in_pilot_scope": SAFE,
        "position": SAFE,
        "is_active": SAFE,
    }

    class Meta:
        verbose_name = _("rechtsgebied")
        verbose_name_plural = _("rechtsgebieden")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class KindOfCase(models.Model):
    legal_area = models.ForeignKey(
        LegalArea, verbose_name=_("rechtsgebied"), on_delete=models.CASCADE, related_name="kinds"
    )
    name = models.CharField(_("soort zaak"), max_length=120)
    is_active = models.BooleanField(_("actief"), default=True)

    data_classes = {"id": SAFE, "legal_area": SAFE, "name": SAFE, "is_active": SAFE}

    class Meta:
        verbose_name = _("soort zaak")
        verbose_name_plural = _("soorten zaken")
        ordering = ["legal_area__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["legal_area", "name"], name="kind_of_case_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Counterparty(models.Model):
    """Common opposing parties, for consistent reporting (UWV, IND, gemeente, …)."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    data_classes = {"id": SAFE, "name": SAFE, "position": SAFE, "is_active": SAFE}

    class Meta:
        verbose_name = _("wederpartij")
        verbose_name_plural = _("wederpartijen")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SocialMapEntryQuerySet(models.QuerySet["SocialMapEntry"]):
    def active(self) -> SocialMapEntryQuerySet:
        return self.filter(is_active=True)

    def for_location(self, location: Location) -> SocialMapEntryQuerySet:
        return self.filter(Q(location=location) | Q(location__is_national=True))

    def stale(self, today: date | None = None) -> SocialMapEntryQuerySet:
        return self.filter(last_checked_on__lt=SocialMapEntry.stale_before(today))


class SocialMapEntry(models.Model):
    """An organisation of the sociale kaart that clients can be referred to."""

    class Help(models.TextChoices):
        LEGAL_ADVICE = "juridisch_advies", _("Juridisch advies")
        DEBT = "schuldhulp", _("Schuldhulpverlening")
        SOCIAL_WORK = "maatschappelijk_werk", _("Maatschappelijk werk")
        HOUSING = "wonen", _("Wonen en huisvesting")
        INCOME = "inkomen", _("Inkomen en toeslagen")
        ADMINISTRATION = "administratie", _("Hulp bij administratie")
        LANGUAGE = "taal", _("Taal en inburgering")
        MEDIATION = "mediation", _("Mediation")
        WORK = "werk", _("Werk en re-integratie")
        CARE = "zorg", _("Zorg en welzijn")
        OTHER = "anders", _("Anders")

    name = models.CharField(_("naam"), max_length=200)
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kies 'Landelijk' voor een organisatie die overal werkt."),
    )
    legal_areas = models.ManyToManyField(LegalArea, verbose_name=_("rechtsgebieden"), blank=True)
    kinds_of_help = ArrayField(
        models.CharField(max_length=30, choices=Help.choices),
        verbose_name=_("soorten hulp"),
        default=list,
        blank=True,
    )
    description = models.TextField(
        _("omschrijving"), max_length=1000, blank=True, validators=PII_GUARD
    )
    contact_route = models.CharField(
        _("contactroute"),
        max_length=300,
        help_text=_(
            "Hoe verwijst u door: telefoonnummer, website of aanmeldformulier van de organisatie."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beheerder van deze vermelding"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_checked_on = models.DateField(_("laatst gecontroleerd op"), default=date.today)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = SocialMapEntryQuerySet.as_manager()

    data_classes = {
        "id": SAFE,
        "name": SAFE,
        "location": SAFE,
        "legal_areas": SAFE,
        "kinds_of_help": SAFE,
        "description": SAFE,
        "contact_route": SAFE,
        "owner": SAFE,
        "last_checked_on": SAFE,
        "is_active": SAFE,
    }

    class Meta:
        verbose_name = _("sociale-kaartorganisatie")
        verbose_name_plural = _("sociale kaart")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="social_map_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def stale_before(today: date | None = None) -> date:
        today = today or timezone.localdate()
        return today - timedelta(days=30 * settings.SOCIALE_KAART_STALE_MONTHS)

    @property
    def is_stale(self) -> bool:
        return self.last_checked_on < self.stale_before()


# ---------------------------------------------------------------- the case


def new_case_number() -> str:
    """Random, so it says nothing about the client, the place or the date: 'Z-7KQM-3XD9'."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"Z-{raw[:4]}-{raw[4:]}"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(status=Case.Status.CLOSED)

    def closed(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.CLOSED)

    def at(self, location: Location) -> CaseQuerySet:
        return self.filter(location=location)


class Case(ChoiceLabels, CaseContent, models.Model):
    class Channel(models.TextChoices):
        DESK = "balie", _("Balie / inloopspreekuur")
        PHONE = "telefoon", _("Telefoon")
        EMAIL = "email", _("E-mail of webformulier")
        APPOINTMENT = "afspraak", _("Afspraak")
        HOME_VISIT = "huisbezoek", _("Huisbezoek")
        VIDEO = "video", _("Videobellen")
        REFERRAL = "verwijzing", _("Verwijzing door een andere organisatie")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "wacht_tweedelijn", _("Wacht op tweede lijn")
        REFERRED = "doorverwezen", _("Doorverwezen")
        CLOSED = "gesloten", _("Gesloten")

    class SolutionWhere(models.TextChoices):
        FIRST_LINE = "eerstelijn", _("In de eerste lijn")
        ADVOCAAT = "advocaat", _("Bij een advocaat")
        SOCIALE_KAART = "sociale_kaart", _("Bij een organisatie van de sociale kaart")
        ELSEWHERE = "elders", _("Elders")
        NONE = "geen", _("Geen passende oplossing")

    class AgeBand(models.TextChoices):
        UNDER_18 = "0-17", _("Jonger dan 18")
        A18_26 = "18-26", _("18 tot en met 26")
        A27_40 = "27-40", _("27 tot en met 40")
        A41_65 = "41-65", _("41 tot en met 65")
        OVER_65 = "66+", _("66 of ouder")
        UNKNOWN = "onbekend", _("Onbekend")

    class Household(models.TextChoices):
        SINGLE = "alleenstaand", _("Alleenstaand")
        SINGLE_PARENT = "eenouder", _("Alleenstaand met kinderen")
        COUPLE = "samen", _("Samenwonend zonder kinderen")
        FAMILY = "gezin", _("Samenwonend met kinderen")
        OTHER = "anders", _("Anders")
        UNKNOWN = "onbekend", _("Onbekend")

    class Income(models.TextChoices):
        BENEFIT = "uitkering", _("Uitkering of bijstand")
        LOW = "laag", _("Werk, laag inkomen")
        ABOVE_AID = "boven_grens", _("Boven de inkomensgrens voor rechtsbijstand")
        NONE = "geen", _("Geen inkomen")
        UNKNOWN = "onbekend", _("Onbekend")

    number = models.CharField(
        _("zaaknummer"), max_length=16, unique=True, default=new_case_number, editable=False
    )
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="cases"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_contact_on = models.DateField(_("eerste contact op"), default=date.today)
    registered_at = models.DateTimeField(_("geregistreerd op"), default=timezone.now)
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    channel = models.CharField(
        _("contactkanaal"), max_length=20, choices=Channel.choices, default=Channel.DESK
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    question = models.TextField(
        _("hulpvraag"),
        max_length=TEXT_MAX,
        blank=True,
        validators=PII_GUARD,
        help_text=_("Kort en zonder namen: wat wil de rechtzoekende bereiken?"),
    )
    solution_reached = models.CharField(
        _("passende oplossing bereikt?"), max_length=10, choices=YesNoUnsure.choices, blank=True
    )
    solution_where = models.CharField(
        _("waar is de oplossing gevonden?"),
        max_length=20,
        choices=SolutionWhere.choices,
        blank=True,
    )
    age_band = models.CharField(
        _("leeftijd"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    postcode_area = models.CharField(
        _("postcodegebied (4 cijfers)"),
        max_length=4,
        blank=True,
        help_text=_("Alleen de vier cijfers, bijvoorbeeld 3511."),
    )
    household = models.CharField(
        _("huishouden"), max_length=20, choices=Household.choices, default=Household.UNKNOWN
    )
    income = models.CharField(
        _("inkomen"), max_length=20, choices=Income.choices, default=Income.UNKNOWN
    )
    counterparty = models.ForeignKey(
        Counterparty,
        verbose_name=_("wederpartij"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counterparty_other = models.CharField(
        _("andere wederpartij"),
        max_length=120,
        blank=True,
        validators=PII_GUARD,
        help_text=_("Alleen als de wederpartij niet in de lijst staat. Geen namen van personen."),
    )
    research_consent = models.BooleanField(
        _("toestemming voor onderzoek"),
        default=False,
        help_text=_(
            "De rechtzoekende vindt het goed dat deze casus geanonimiseerd wordt "
            "gebruikt voor het onderzoek."
        ),
    )
    anonymised_at = models.DateTimeField(
        _("geanonimiseerd op"), null=True, blank=True, editable=False
    )

    objects = CaseQuerySet.as_manager()

    case_path = ""  # the case itself (cases.content)
    data_classes = {
        "id": SAFE,
        "number": SAFE,
        "location": QUASI,
        "organisation": QUASI,
        "registered_by": QUASI,
        "first_contact_on": QUASI,
        "registered_at": QUASI,
        "closed_on": QUASI,
        "updated_at": QUASI,
        "channel": SAFE,
        "status": SAFE,
        "question": SENSITIVE,
        "solution_reached": SAFE,
        "solution_where": SAFE,
        "age_band": QUASI,
        "postcode_area": QUASI,
        "household": QUASI,
        "income": QUASI,
        "counterparty": SAFE,
        "counterparty_other": QUASI,
        "research_consent": SAFE,
        "anonymised_at": SAFE,
    }

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-registered_at"]
        # object permissions only (django-guardian, CaseUserPermission / CaseTeamPermission)
        permissions = [
            ("advise_case", _("Mag adviseren op de casus (geraadpleegde advocaat)")),
            ("handle_case", _("Behandelt de casus na een warme overdracht")),
            ("reveal_identity", _("Mag de identiteit van de rechtzoekende inzien")),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "location", "-registered_at"], name="case_team_recent"
            ),
            models.Index(fields=["location", "-registered_at"], name="case_location_recent"),
            # cases registered in a month, per location, for every location (cases.figures)
            models.Index(fields=["registered_at", "location"], name="case_registered_location"),
            # a location's cases closed with a fitting solution, for the time it took
            # (cases.figures): read from the index alone
            models.Index(
                fields=["location"],
                include=["id", "registered_at"],
                condition=Q(status="gesloten", solution_reached="ja"),
                name="case_solved_location",
            ),
            models.Index(fields=["-registered_at", "-id"], name="case_recent"),
            models.Index(fields=["registered_by", "-registered_at"], name="case_worker_recent"),
            models.Index(fields=["status", "closed_on"], name="case_status_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode_area="") | Q(postcode_area__regex=r"^[1-9][0-9]{3}$"),
                name="case_postcode_area_four_digits",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(closed_on__gte=models.F("first_contact_on")),
                name="case_closed_after_first_contact",
            ),
            models.CheckConstraint(
                condition=~Q(status="gesloten") | Q(closed_on__isnull=False),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        """The date rules, for forms and services alike: nothing in the future, and a case
        closes on or after its first contact."""
        today = timezone.localdate()
        if self.first_contact_on and self.first_contact_on > today:
            raise ValidationError(
                {"first_contact_on": _("De datum van het eerste contact ligt in de toekomst.")}
            )
        if self.closed_on and self.closed_on > today:
            raise ValidationError({"closed_on": _("De sluitingsdatum ligt in de toekomst.")})
        if self.closed_on and self.first_contact_on and self.closed_on < self.first_contact_on:
            raise ValidationError(_("De sluitingsdatum ligt vóór het eerste contact."))

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def days_to_solution(self) -> int | None:
        if self.closed_on is None:
            return None
        return (self.closed_on - self.first_contact_on).days


class CaseStatusChange(ChoiceLabels, models.Model):
    """One step in a case's life: registered, waiting for the second line, referred, closed,
    reopened. Written only by `cases.services.status.case_status_change`; the month figures
    (time to a fitting solution, waiting for the second line) are computed from these rows."""

    class Reason(models.TextChoices):
        REGISTERED = "geregistreerd", _("Geregistreerd")
        MANUAL = "handmatig", _("Status gewijzigd door een medewerker")
        CONSULT_REQUESTED = "advocaat_geraadpleegd", _("Advocaat geraadpleegd")
        PIKET_BOOKED = "piket_geboekt", _("Piketconsult geboekt")
        HANDOVER = "overdracht", _("Warm overgedragen")
        MIGRATED = "overgenomen", _("Overgenomen uit de gegevens van voor de statusgeschiedenis")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=20, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=Case.Status.choices)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("aanleiding"), max_length=30, choices=Reason.choices)

    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "from_status": SAFE,
        "to_status": SAFE,
        "at": QUASI,
        "actor": QUASI,
        "reason": SAFE,
    }

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statusgeschiedenis")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"], name="status_change_case_time"),
            models.Index(fields=["to_status", "at"], name="status_change_to_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="status_change_changes_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '—'} → {self.to_status}"


class SubProblem(ChoiceLabels, CaseContent, models.Model):
    """A legal sub-problem (deelprobleem) of a case, with the first line's analysis."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subproblems")
    position = models.PositiveSmallIntegerField(default=1)
    legal_area = models.ForeignKey(
        LegalArea, verbose_name=_("rechtsgebied"), on_delete=models.PROTECT, related_name="+"
    )
    kind_of_case = models.ForeignKey(
        KindOfCase,
        verbose_name=_("soort zaak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    analysis = models.TextField(
        _("juridische analyse eerste lijn"), max_length=TEXT_MAX, blank=True, validators=PII_GUARD
    )
    referral_useful = models.CharField(
        _("doorverwijzen naar advocaat zinvol?"),
        max_length=10,
        choices=YesNoUnsure.choices,
        default=YesNoUnsure.UNSURE,
    )
    considered_organisations = models.ManyToManyField(
        SocialMapEntry,
        verbose_name=_("overwogen organisaties (sociale kaart)"),
        blank=True,
        related_name="+",
    )

    case_path = "case"
    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "position": SAFE,
        "legal_area": SAFE,
        "kind_of_case": SAFE,
        "analysis": SENSITIVE,
        "referral_useful": SAFE,
        "considered_organisations": SAFE,
    }

    class Meta:
        verbose_name = _("deelprobleem")
        verbose_name_plural = _("deelproblemen")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="subproblem_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} #{self.position} {self.legal_area}"


class SecondLineAdvice(ChoiceLabels, CaseContent, models.Model):
    """The advocaat's view on one sub-problem: answers the pilot's three questions.

    An advocaat gives it on one of two occasions. Consulted through the case ("Advocaat
    raadplegen", or after a handover), they keep one advice per sub-problem and update it. After
    a piket consult, each consult has its own advice per sub-problem (a second consult never
    overwrites the first's answers): the piket links it to its consult (`piket.ConsultAdvice`),
    because cases knows nothing of the piket.
    """

    class Occasion(models.TextChoices):
        CONSULTATION = "raadpleging", _("Raadpleging via de casus")
        PIKET = "piket", _("Piketconsult")

    class Match(models.TextChoices):
        SAME = "zelfde", _("Zelfde analyse")
        PARTLY = "deels", _("Deels dezelfde analyse")
        DIFFERENT = "anders", _("Andere analyse")

    class Continuation(models.TextChoices):
        FIRST_LINE = "eerstelijn", _("Wordt in de eerste lijn afgehandeld")
        ADVOCAAT = "advocaat", _("Doorverwezen naar een advocaat")
        BACK = "terug", _("Terug naar de eerste lijn")
        SOCIALE_KAART = "sociale_kaart", _("Doorverwezen naar een organisatie van de sociale kaart")

    class Feedback(models.TextChoices):
        WRONG_AREA = "verkeerd_rechtsgebied", _("Verkeerd rechtsgebied")
        INCOMPLETE = "feiten_onvolledig", _("Feiten onvolledig")
        TOO_LATE = "te_laat", _("Te laat (termijn verstreken of bijna)")
        EARLIER = "eerder_had_gekund", _("Had eerder moeten komen")
        NOT_LEGAL = "geen_juridisch_probleem", _("Geen juridisch probleem")
        OTHER = "anders", _("Anders")

    subproblem = models.ForeignKey(SubProblem, on_delete=models.CASCADE, related_name="advice")
    advocaat = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advocaat"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    analysis = models.TextField(
        _("juridische analyse advocaat"), max_length=TEXT_MAX, validators=PII_GUARD
    )
    analysis_match = models.CharField(
        _("komt overeen met de analyse van de eerste lijn?"), max_length=10, choices=Match.choices
    )
    referral_useful = models.CharField(
        _("doorverwijzen naar advocaat zinvol?"), max_length=10, choices=YesNoUnsure.choices
    )
    fitting_organisations = models.ManyToManyField(
        SocialMapEntry,
        verbose_name=_("passende organisaties (sociale kaart)"),
        blank=True,
        related_name="+",
    )
    takes_case = models.BooleanField(_("neemt de zaak aan"), default=False)
    continuation = models.CharField(
        _("hoe gaat de zaak verder?"), max_length=20, choices=Continuation.choices
    )
    certificate_otherwise = models.CharField(
        _("zonder dit overleg was een LAT of toevoeging aangevraagd?"),
        max_length=10,
        choices=YesNoUnsure.choices,
    )
    feedback = ArrayField(
        models.CharField(max_length=30, choices=Feedback.choices),
        verbose_name=_("terugkoppeling aan de eerste lijn"),
        default=list,
        blank=True,
    )
    feedback_note = models.TextField(
        _("toelichting op de terugkoppeling"), max_length=1000, blank=True, validators=PII_GUARD
    )
    occasion = models.CharField(
        _("advies gegeven bij"),
        max_length=20,
        choices=Occasion.choices,
        default=Occasion.CONSULTATION,
        editable=False,
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    case_path = "subproblem__case"
    data_classes = {
        "id": SAFE,
        "subproblem": SAFE,
        "advocaat": QUASI,
        "analysis": SENSITIVE,
        "analysis_match": SAFE,
        "referral_useful": SAFE,
        "fitting_organisations": SAFE,
        "takes_case": SAFE,
        "continuation": SAFE,
        "certificate_otherwise": SAFE,
        "feedback": SAFE,
        "feedback_note": SENSITIVE,
        "occasion": SAFE,
        "created_at": QUASI,
        "updated_at": QUASI,
    }

    class Meta:
        verbose_name = _("advies tweede lijn")
        verbose_name_plural = _("adviezen tweede lijn")
        ordering = ["created_at"]
        constraints = [
            # One advice per advocaat and sub-problem outside the piket; after a piket consult
            # one per consult (piket.ConsultAdvice: unique per consult and sub-problem).
            models.UniqueConstraint(
                fields=["subproblem", "advocaat"],
                condition=Q(occasion="raadpleging"),
                name="advice_one_per_advocaat_outside_piket",
            )
        ]
        # the figures count advice by the month it was recorded (cases.figures)
        indexes = [models.Index(fields=["created_at"], name="advice_recorded")]

    def __str__(self) -> str:
        return f"{self.subproblem} — {self.advocaat}"


class Note(CaseContent, models.Model):
    class Line(models.TextChoices):
        FIRST = "eerste", _("Eerste lijn")
        SECOND = "tweede", _("Tweede lijn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    line = models.CharField(_("lijn"), max_length=10, choices=Line.choices)
    text = models.TextField(_("notitie"), max_length=TEXT_MAX, validators=PII_GUARD)
    created_at = models.DateTimeField(default=timezone.now)

    case_path = "case"
    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "author": QUASI,
        "line": SAFE,
        "text": SENSITIVE,
        "created_at": QUASI,
    }

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.created_at:%Y-%m-%d}"


class Handover(ChoiceLabels, CaseContent, models.Model):
    """Warm handover: the case passes to another organisation (or an advocaat) with its context."""

    class Status(models.TextChoices):
        PENDING = "open", _("Wacht op antwoord")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        DECLINED = "afgewezen", _("Afgewezen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("naar organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    to_advocaat = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("naar advocaat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    context = models.TextField(
        _("context voor de ontvanger"), max_length=TEXT_MAX, validators=PII_GUARD
    )
    client_consent = models.BooleanField(_("de rechtzoekende stemt in met de overdracht"))
    identity_consent = models.BooleanField(
        _("de rechtzoekende stemt in met het delen van de identiteit"), default=False
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(
        _("reden van afwijzing"), max_length=1000, blank=True, validators=PII_GUARD
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # "opgepakt": after accepting, the receiver confirms they are in touch with the client
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgepakt door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    picked_up_at = models.DateTimeField(_("opgepakt op"), null=True, blank=True)
    # not picked up within HANDOVER_PICK_UP_WORKING_DAYS: the sender's team and the location's
    # coordinators were told (once), and see it on their handover inbox and the case page
    not_picked_up_flagged_at = models.DateTimeField(
        _("gesignaleerd als niet opgepakt op"), null=True, blank=True
    )

    case_path = "case"
    erase_with_marker = ("decline_reason",)  # a declined handover keeps a reason (constraint)
    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "from_organisation": SAFE,
        "to_organisation": SAFE,
        "to_advocaat": QUASI,
        "context": SENSITIVE,
        "client_consent": SAFE,
        "identity_consent": SAFE,
        "status": SAFE,
        "decline_reason": SENSITIVE,
        "created_by": QUASI,
        "created_at": QUASI,
        "decided_by": QUASI,
        "decided_at": QUASI,
        "picked_up_by": QUASI,
        "picked_up_at": QUASI,
        "not_picked_up_flagged_at": QUASI,
    }

    class Meta:
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(client_consent=True), name="handover_needs_consent"),
            models.UniqueConstraint(
                fields=["case", "to_organisation"],
                condition=Q(status="open"),
                name="handover_one_pending_per_receiver",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decline_reason=""),
                name="handover_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(picked_up_at__isnull=True, picked_up_by__isnull=True)
                | Q(status="geaccepteerd", picked_up_at__isnull=False, picked_up_by__isnull=False),
                name="handover_picked_up_after_accepting",
            ),
        ]
        indexes = [
            # the figures count handovers by the month they were made (cases.figures)
            models.Index(fields=["created_at"], name="handover_made"),
            models.Index(
                fields=["created_at"],
                condition=Q(picked_up_at__isnull=True, not_picked_up_flagged_at__isnull=True)
                & Q(status__in=["open", "geaccepteerd"]),
                name="handover_awaiting_pick_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.to_organisation}"

    @property
    def awaits_pick_up(self) -> bool:
        """Nobody confirmed contact with the client yet, and the handover was not declined."""
        return self.picked_up_at is None and self.status != self.Status.DECLINED

    @property
    def is_flagged_not_picked_up(self) -> bool:
        return self.awaits_pick_up and self.not_picked_up_flagged_at is not None


class HandoverNotification(models.Model):
    """A mail about a warm handover that was sent: keeps the tasks idempotent (a retry sends
    nothing twice), as piket.Notification does for consults."""

    class Kind(models.TextChoices):
        NEW = "nieuw", _("Nieuwe overdracht")
        NOT_PICKED_UP = "niet_opgepakt", _("Niet opgepakt")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    data_classes = {
        "id": SAFE,
        "kind": SAFE,
        "handover": SAFE,
        "recipient": QUASI,
        "sent_at": QUASI,
    }

    class Meta:
        verbose_name = _("bericht over een overdracht")
        verbose_name_plural = _("berichten over overdrachten")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "handover", "recipient"], name="handover_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.handover_id} {self.recipient_id}"


class CaseUserPermission(UserObjectPermissionBase):
    """django-guardian's object permission on a case for one person (direct foreign key, so
    `cases_visible_to` stays an indexed join): an advocaat consulted on the case (`advise_case`),
    or one a case was handed over to (`handle_case`, with `reveal_identity` when the client
    consented). Why they got it stays on the consult or the handover."""

    # a named reverse relation: guardian finds this model through it (assign_perm, remove_perm)
    content_object = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="person_permissions"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    data_classes = {
        "id": SAFE,
        "permission": SAFE,
        "user": SAFE,
        "content_object": SAFE,
        "granted_at": QUASI,
    }

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("recht op een casus (persoon)")
        verbose_name_plural = _("rechten op casussen (personen)")
        indexes = [models.Index(fields=["user", "content_object"], name="case_perm_user_case")]

    def __str__(self) -> str:
        return f"{self.content_object_id} → {self.user_id}: {self.permission_id}"


class CaseTeamPermission(GroupObjectPermissionBase):
    """django-guardian's object permission on a case for a team (an organisation's group,
    `Organisation.team`) that accepted a warm handover: `handle_case`, and `reveal_identity`
    when the client consented."""

    content_object = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="team_permissions"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    data_classes = {
        "id": SAFE,
        "permission": SAFE,
        "group": SAFE,
        "content_object": SAFE,
        "granted_at": QUASI,
    }

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("recht op een casus (team)")
        verbose_name_plural = _("rechten op casussen (teams)")
        indexes = [models.Index(fields=["group", "content_object"], name="case_perm_team_case")]

    def __str__(self) -> str:
        return f"{self.content_object_id} → {self.group_id}: {self.permission_id}"


class ClientIdentity(models.Model):
    """The identity vault: one encrypted record per case, never in the case table.

    `identity_hash` is a keyed hash (HMAC) of the normalised name and birth date: it finds
    earlier cases of the same client without decrypting anything. `name_hash`, of the name
    alone, finds the candidates of a data subject request without a date of birth.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    identity_hash = models.CharField(max_length=64, blank=True, db_index=True)
    name_hash = models.CharField(max_length=64, blank=True, db_index=True)
    encrypted = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "organisation": SAFE,
        "identity_hash": QUASI,
        "name_hash": QUASI,
        "encrypted": DIRECT,
        "created_at": QUASI,
        "destroyed_at": SAFE,
    }

    class Meta:
        verbose_name = _("identiteit (kluis)")
        verbose_name_plural = _("identiteiten (kluis)")
        indexes = [
            models.Index(fields=["organisation", "identity_hash"], name="identity_team_hash")
        ]

    def __str__(self) -> str:
        return f"identiteit {self.case_id}"


class AuditEntry(models.Model):
    """Append-only: the database refuses UPDATE and DELETE on this table (a trigger)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Bekeken")
        CREATE = "create", _("Aangemaakt")
        UPDATE = "update", _("Gewijzigd")
        STATUS = "status", _("Status gewijzigd")
        NOTE = "note", _("Notitie toegevoegd")
        ADVICE = "advice", _("Advies vastgelegd")
        HANDOVER = "handover", _("Overdracht")
        REVEAL = "reveal", _("Identiteit ingezien")
        EXPORT = "export", _("Geëxporteerd")
        ERASE = "erase", _("Gewist (AVG art. 17)")
        RETENTION = "retention", _("Bewaartermijn toegepast")

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    case = models.ForeignKey(
        Case,
        verbose_name=_("casus"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("soort gegeven"), max_length=60, blank=True)
    object_id = models.CharField(_("gegeven"), max_length=40, blank=True)
    reason = models.TextField(_("reden"), max_length=1000, blank=True, validators=PII_GUARD)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    data_classes = {
        "id": SAFE,
        "at": QUASI,
        "actor": QUASI,
        "action": SAFE,
        "case": SAFE,
        "object_type": SAFE,
        "object_id": SAFE,
        "reason": SENSITIVE,
        "detail": SAFE,
    }

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["case", "-at"], name="audit_case_recent"),
            models.Index(fields=["actor", "-at"], name="audit_actor_recent"),
            # the cases a list page showed (cases.middleware): found by case as well
            GinIndex(
                OpClass(KeyTransform("cases", "detail"), name="jsonb_path_ops"),
                name="audit_cases_shown",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.case_id or ''}"

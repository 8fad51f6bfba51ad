"""Signals: patterns seen in practice (never about one client), raised by anyone or generated
per month from the second line's coded feedback and the piket's not-reached counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, Organisation
from accounts.privacy import QUASI, SAFE, SENSITIVE
from cases.models import LegalArea
from cases.pii import PII_GUARD


class Signal(models.Model):
    class Kind(models.TextChoices):
        GOES_WELL = "goes_well", _("Gaat goed")
        CAN_IMPROVE = "can_improve", _("Kan beter")
        BOTTLENECK = "bottleneck", _("Knelpunt")
        WITTE_VLEK = "witte_vlek", _("Witte vlek (gat in het aanbod)")
        IDEA = "idea", _("Idee")
        ZELFREDZAAMHEID = "zelfredzaamheid", _("Zelfredzaamheidscriterium")
        INTAKE_FEEDBACK = "intake_feedback", _("Terugkoppeling op intakes")
        NOT_REACHED = "not_reached", _("Niet bereikt (piket)")

    class Theme(models.TextChoices):
        LEGAL_AREA = "legal_area", _("Rechtsgebied")
        COUNTERPARTY = "counterparty", _("Wederpartij")
        PROCESS_STEP = "process_step", _("Processtap")
        OTHER = "other", _("Anders")

    class ProcessStep(models.TextChoices):
        INTAKE = "intake", _("Intake")
        DOORVERWIJZING = "doorverwijzing", _("Doorverwijzing")
        PIKET = "piket", _("Piket")
        OVERDRACHT = "overdracht", _("Overdracht")
        TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling")
        OTHER = "other", _("Anders")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Ingebracht")
        INTAKE_FEEDBACK = "intake_feedback", _("Terugkoppeling tweede lijn")
        PIKET_NOT_REACHED = "piket_not_reached", _("Piket: niet bereikt")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_AGENDA = "on_agenda", _("Geagendeerd")
        DISCUSSED = "discussed", _("Besproken")
        RESOLVED = "resolved", _("Opgelost")
        BACKLOG = "backlog", _("Wachtlijst")

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingebracht door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, default="other")
    legal_area = models.ForeignKey(
        LegalArea,
        verbose_name=_("rechtsgebied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counterparty = models.CharField(
        _("wederpartij"), max_length=100, blank=True, validators=PII_GUARD
    )
    process_step = models.CharField(
        _("processtap"), max_length=20, choices=ProcessStep.choices, blank=True
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("betrokken organisaties"), blank=True, related_name="+"
    )
    description = models.TextField(_("omschrijving"), max_length=4000, validators=PII_GUARD)
    case_count = models.PositiveIntegerField(_("aantal zaken"), null=True, blank=True)
    refused_count = models.PositiveIntegerField(
        _("aantal ten onrechte zelfredzaam geacht"), null=True, blank=True
    )
    source = models.CharField(
        _("bron"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    month = models.DateField(_("maand"), null=True, blank=True)
    source_code = models.CharField(_("broncode"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    justified = models.BooleanField(_("terecht"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    resolution = models.TextField(_("oplossing"), max_length=4000, blank=True, validators=PII_GUARD)
    created_at = models.DateTimeField(_("ingebracht op"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "raised_by": QUASI,
        "location": SAFE,
        "kind": SAFE,
        "theme": SAFE,
        "legal_area": SAFE,
        "counterparty": SAFE,
        "process_step": SAFE,
        "organisations": SAFE,
        "description": SENSITIVE,
        "case_count": SAFE,
        "refused_count": SAFE,
        "source": SAFE,
        "month": SAFE,
        "source_code": SAFE,
        "status": SAFE,
        "justified": SAFE,
        "resolved_at": SAFE,
        "resolution": SENSITIVE,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["location", "status"], name="signal_location_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "location", "month", "source_code"],
                condition=~Q(source="manual"),
                name="signal_automatic_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | Q(month__isnull=False),
                name="signal_automatic_has_month",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "on_agenda", "discussed", "resolved", "backlog"]),
                name="signal_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

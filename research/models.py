"""Studies and their export requests.

A study is a line of research of the research bureau with its own secret: the key of its case
pseudonyms (`research.keys`), so rows of one study link across its exports and never to another
study. An export request goes through an approval workflow (`research.services`): requested,
approved or rejected by an approver who is never the requester, run by a Celery task, ready for
download until it expires and its file is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from accounts.privacy import QUASI, SAFE, SENSITIVE
from cases.pii import PII_GUARD


class Study(models.Model):
    """Created by administrators in the Django admin; the key is made then and never shown."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Hoofdletters, cijfers en -."))],
        help_text=_("Kort en zonder spaties, bijvoorbeeld EVAL-2026."),
    )
    name = models.CharField(_("naam"), max_length=200)
    k = models.PositiveSmallIntegerField(
        _("k (minimale groepsgrootte)"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_(
            "Elke combinatie van quasi-identificerende gegevens komt minstens k keer voor."
        ),
    )
    # The study's pseudonym key, Fernet-encrypted under RESEARCH_ENCRYPTION_KEYS (research.keys)
    key_token = models.TextField(_("sleutel (versleuteld)"), editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "code": SAFE,
        "name": SAFE,
        "k": SAFE,
        "key_token": SENSITIVE,
        "is_active": SAFE,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("onderzoek")
        verbose_name_plural = _("onderzoeken")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(k__gte=2), name="study_k_at_least_two"),
            models.CheckConstraint(condition=~Q(key_token=""), name="study_has_key"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ExportStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Wacht op beoordeling")
    REJECTED = "afgewezen", _("Afgewezen")
    APPROVED = "goedgekeurd", _("Goedgekeurd, wacht op uitvoering")
    RUNNING = "bezig", _("Wordt gemaakt")
    READY = "klaar", _("Klaar om te downloaden")
    FAILED = "niet_vrijgegeven", _("Niet vrijgegeven")
    EXPIRED = "verlopen", _("Verlopen")


class ExportRequest(models.Model):
    """One export asked for by a researcher. Its status changes only in
    `research.services.export_request_transition` (the table TRANSITIONS there)."""

    Status = ExportStatus

    class Unit(models.TextChoices):
        SUBPROBLEM = "subproblem", _("Eén rij per deelprobleem")
        CASE = "case", _("Eén rij per casus")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")
        SAV = "sav", _("SPSS (.sav)")
        PARQUET = "parquet", _("Parquet")

    class Delimiter(models.TextChoices):
        COMMA = ",", _("komma (,)")
        SEMICOLON = ";", _("puntkomma (;) voor Nederlandse Excel")

    study = models.ForeignKey(
        Study, verbose_name=_("onderzoek"), on_delete=models.PROTECT, related_name="exports"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.TextField(_("doel"), max_length=2000, validators=PII_GUARD)
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    # empty: every location
    locations = models.ManyToManyField(
        Location, verbose_name=_("locaties"), blank=True, related_name="+"
    )
    fields = ArrayField(models.CharField(max_length=60), verbose_name=_("velden"))
    unit = models.CharField(_("eenheid van een rij"), max_length=20, choices=Unit.choices)
    format = models.CharField(_("formaat"), max_length=10, choices=Format.choices)
    delimiter = models.CharField(
        _("scheidingsteken (CSV)"), max_length=1, choices=Delimiter.choices, default=","
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decision_reason = models.TextField(
        _("toelichting bij het besluit"), max_length=2000, blank=True, validators=PII_GUARD
    )
    # the quasi-identifiers of the study's earlier exports, over which k was checked with ours
    released_quasi = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("eerder vrijgegeven"),
        default=list,
        blank=True,
    )
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("rijen geschreven"), default=0)
    progress_total = models.PositiveIntegerField(_("rijen totaal"), default=0)
    failure_message = models.TextField(_("waarom niet vrijgegeven"), blank=True)
    # relative to settings.RESEARCH_EXPORT_DIR; never under MEDIA or STATIC
    file_name = models.CharField(_("bestand"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    risk_report = models.JSONField(_("risicorapport"), default=dict, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)

    data_classes = {
        "id": SAFE,
        "study": SAFE,
        "requester": QUASI,
        "purpose": SENSITIVE,
        "period_start": SAFE,
        "period_end": SAFE,
        "locations": SAFE,
        "fields": SAFE,
        "unit": SAFE,
        "format": SAFE,
        "delimiter": SAFE,
        "status": SAFE,
        "requested_at": QUASI,
        "approver": QUASI,
        "decided_at": QUASI,
        "decision_reason": SENSITIVE,
        "released_quasi": SAFE,
        "started_at": SAFE,
        "finished_at": SAFE,
        "progress_done": SAFE,
        "progress_total": SAFE,
        "failure_message": SAFE,
        "file_name": SAFE,
        "expires_at": SAFE,
        "risk_report": SAFE,
        "manifest": SAFE,
    }

    class Meta:
        verbose_name = _("exportaanvraag")
        verbose_name_plural = _("exportaanvragen")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["requester", "-requested_at"], name="export_requester_recent"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_known"
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("requester")),
                name="export_approver_is_not_requester",
            ),
            models.CheckConstraint(
                condition=Q(status="aangevraagd") | Q(approver__isnull=False),
                name="export_decided_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decision_reason=""),
                name="export_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="export_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="klaar") | (~Q(file_name="") & Q(expires_at__isnull=False)),
                name="export_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["subproblem", "case"]), name="export_unit_known"
            ),
            models.CheckConstraint(
                condition=Q(format__in=["csv", "xlsx", "sav", "parquet"]),
                name="export_format_known",
            ),
            models.CheckConstraint(condition=Q(delimiter__in=[",", ";"]), name="export_delimiter"),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")), name="export_progress_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study.code} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.READY, self.Status.EXPIRED):
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        """Nothing will change any more without a person acting (the page stops polling)."""
        return self.status not in (self.Status.APPROVED, self.Status.RUNNING)


class ExportStatusChange(models.Model):
    """One step of an export request; written only by `export_request_transition`."""

    export_request = models.ForeignKey(
        ExportRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("van"), max_length=20, choices=ExportRequest.Status.choices, blank=True
    )
    to_status = models.CharField(_("naar"), max_length=20, choices=ExportRequest.Status.choices)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    data_classes = {
        "id": SAFE,
        "export_request": SAFE,
        "from_status": SAFE,
        "to_status": SAFE,
        "at": QUASI,
        "actor": QUASI,
    }

    class Meta:
        verbose_name = _("statuswijziging export")
        verbose_name_plural = _("statusgeschiedenis exports")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="export_change_changes_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.export_request_id}: {self.from_status} → {self.to_status}"

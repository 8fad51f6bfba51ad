"""The recommendations register: recommendations that rise from a location to the national
level, with milestones, a change history and the consent of a location's three lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, Organisation
from accounts.privacy import QUASI, SAFE, SENSITIVE
from cases.pii import PII_GUARD


class Recommendation(models.Model):
    class Level(models.TextChoices):
        LOCAL = "local", _("Lokaal")
        REGIONAL = "regional", _("Regionaal")
        NATIONAL = "national", _("Landelijk")

    class AddresseeKind(models.TextChoices):
        STUURGROEP = "stuurgroep", _("Stuurgroep")
        ORGANISATION = "organisation", _("Organisatie")
        MINISTRY = "ministry", _("Ministerie")
        OTHER = "other", _("Anders")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        CONSENT = "consent", _("Instemmingsronde")
        SUBMITTED = "submitted", _("Ingediend")
        IN_PROGRESS = "in_progress", _("In behandeling")
        ANSWERED = "answered", _("Beantwoord")
        IMPLEMENTED = "implemented", _("Uitgevoerd")
        DECLINED = "declined", _("Afgewezen")
        MERGED = "merged", _("Samengevoegd")

    title = models.CharField(_("titel"), max_length=200, validators=PII_GUARD)
    text = models.TextField(_("aanbeveling"), max_length=8000, validators=PII_GUARD)
    level = models.CharField(_("niveau"), max_length=16, choices=Level.choices, default="local")
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    addressee_kind = models.CharField(
        _("soort geadresseerde"), max_length=16, choices=AddresseeKind.choices
    )
    addressee_name = models.CharField(
        _("geadresseerde"), max_length=200, blank=True, validators=PII_GUARD
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="draft")
    answer = models.TextField(_("antwoord"), max_length=8000, blank=True, validators=PII_GUARD)
    decisions = models.ManyToManyField(
        "signalering.Decision",
        verbose_name=_("besluiten"),
        blank=True,
        related_name="recommendations",
    )
    signals = models.ManyToManyField(
        "signalering.Signal",
        verbose_name=_("signalen"),
        blank=True,
        related_name="recommendations",
    )
    meetings = models.ManyToManyField(
        "signalering.Meeting",
        verbose_name=_("overleggen"),
        blank=True,
        related_name="recommendations",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    data_classes = {
        "id": SAFE,
        "title": SAFE,
        "text": SENSITIVE,
        "level": SAFE,
        "location": SAFE,
        "addressee_kind": SAFE,
        "addressee_name": SAFE,
        "status": SAFE,
        "answer": SENSITIVE,
        "decisions": SAFE,
        "signals": SAFE,
        "meetings": SAFE,
        "merged_into": SAFE,
        "created_by": QUASI,
        "created_at": SAFE,
        "updated_at": SAFE,
    }

    class Meta:
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="recommendation_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(level="local", location__isnull=False)
                | ~models.Q(level="local"),
                name="recommendation_local_has_location",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationMilestone(models.Model):
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("aanbeveling"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    description = models.CharField(_("mijlpaal"), max_length=300, validators=PII_GUARD)
    due_date = models.DateField(_("gepland op"), null=True, blank=True)
    done_at = models.DateField(_("bereikt op"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    data_classes = {
        "id": SAFE,
        "recommendation": SAFE,
        "description": SENSITIVE,
        "due_date": SAFE,
        "done_at": SAFE,
        "position": SAFE,
    }

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["recommendation", "position", "pk"]

    def __str__(self) -> str:
        return self.description


class RecommendationChange(models.Model):
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("aanbeveling"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    what = models.CharField(_("wijziging"), max_length=20)
    note = models.TextField(_("toelichting"), max_length=4000, blank=True, validators=PII_GUARD)

    data_classes = {
        "id": SAFE,
        "recommendation": SAFE,
        "changed_by": QUASI,
        "changed_at": SAFE,
        "what": SAFE,
        "note": SENSITIVE,
    }

    class Meta:
        verbose_name = _("wijziging van een aanbeveling")
        verbose_name_plural = _("wijzigingen van aanbevelingen")
        ordering = ["recommendation", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation} — {self.what}"


class RecommendationConsent(models.Model):
    """One line's agreement (or not) that a location's recommendation rises further."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("aanbeveling"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    line = models.CharField(
        _("lijn"),
        max_length=32,
        choices=[
            (value, label)
            for value, label in Organisation.Kind.choices
            if value != Organisation.Kind.OTHER
        ],
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("namens"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed = models.BooleanField(_("akkoord"))
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)

    data_classes = {
        "id": SAFE,
        "recommendation": SAFE,
        "line": SAFE,
        "organisation": SAFE,
        "user": QUASI,
        "agreed": SAFE,
        "decided_at": SAFE,
    }

    class Meta:
        verbose_name = _("instemming")
        verbose_name_plural = _("instemmingen")
        ordering = ["recommendation", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "line"], name="recommendation_consent_one_per_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} — {self.get_line_display()}"

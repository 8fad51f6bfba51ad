"""Meeting series, their meetings, agenda, minutes, decisions and actions.

A series meets once a month (one Meeting per series and month, a database constraint). Its
participants are SeriesMembers: accounts, or guests from sociale-kaart organisations known only
by name and e-mail. Minutes are drafted per agenda item and approved by the chair as a
MinutesVersion, a snapshot that PostgreSQL refuses to change once approved (migration 0002); a
correction is a new version that keeps the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from accounts.privacy import DIRECT, QUASI, SAFE, SENSITIVE
from cases.pii import PII_GUARD


class Section(models.TextChoices):
    SIGNALS = "signals", _("Ontvangen signalen")
    REPORT = "report", _("Maandrapportage")
    GOES_WELL = "goes_well", _("Wat gaat goed")
    CAN_IMPROVE = "can_improve", _("Wat kan beter")
    RECOMMENDATIONS = "recommendations", _("Aanbevelingen")
    ACTIONS = "actions", _("Opvolging van acties")
    OTHER = "other", _("Overig")


class Series(models.Model):
    """A meeting series: local (one location), regional or national (several locations)."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Lokaal")
        REGIONAL = "regional", _("Regionaal")
        NATIONAL = "national", _("Landelijk")

    name = models.CharField(_("naam"), max_length=200, validators=PII_GUARD)
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.LOCAL)
    location = models.ForeignKey(
        Location,
        verbose_name=_("locatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signalering_series",
    )
    locations = models.ManyToManyField(
        Location, verbose_name=_("locaties"), blank=True, related_name="+"
    )
    municipalities = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("extra gemeenten"),
        default=list,
        blank=True,
    )
    default_weekday = models.PositiveSmallIntegerField(
        _("vaste weekdag"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        help_text=_("0 = maandag … 6 = zondag"),
    )
    default_time = models.TimeField(_("vaste tijd"), null=True, blank=True)
    days_before_agenda_mail = models.PositiveSmallIntegerField(
        _("agenda versturen (dagen vooraf)"), default=5, validators=[MaxValueValidator(60)]
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "name": SAFE,
        "kind": SAFE,
        "location": SAFE,
        "locations": SAFE,
        "municipalities": SAFE,
        "default_weekday": SAFE,
        "default_time": SAFE,
        "days_before_agenda_mail": SAFE,
        "is_active": SAFE,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="local") & Q(location__isnull=False))
                | (~Q(kind="local") & Q(location__isnull=True)),
                name="series_location_iff_local",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["local", "regional", "national"]), name="series_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SeriesMember(models.Model):
    """A participant of a series: an account, or a guest known by name and e-mail only."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Voorzitter")
        COORDINATOR = "coordinator", _("Coördinator")
        MEMBER = "member", _("Deelnemer")
        GUEST = "guest", _("Gast")

    series = models.ForeignKey(
        Series, verbose_name=_("overlegreeks"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signalering_memberships",
    )
    guest_name = models.CharField(_("naam gast"), max_length=200, blank=True)
    guest_email = models.EmailField(_("e-mailadres gast"), blank=True)
    guest_organisation = models.CharField(
        _("organisatie gast"),
        max_length=200,
        blank=True,
        help_text=_("De organisatie van de sociale kaart waarvoor de gast deelneemt."),
    )
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("actief"), default=True)

    data_classes = {
        "id": SAFE,
        "series": SAFE,
        "user": SAFE,
        "guest_name": DIRECT,
        "guest_email": DIRECT,
        "guest_organisation": SAFE,
        "role": SAFE,
        "is_active": SAFE,
    }

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["series", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_email=""))
                | (Q(user__isnull=True) & ~Q(guest_email="")),
                name="series_member_user_xor_guest",
            ),
            models.UniqueConstraint(
                fields=["series", "user"],
                condition=Q(user__isnull=False),
                name="series_member_unique_user",
            ),
            models.UniqueConstraint(
                fields=["series", "guest_email"],
                condition=~Q(guest_email=""),
                name="series_member_unique_guest",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return str(self.user)
        return f"{self.guest_name or self.guest_email} ({_('gast')})"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else self.guest_email

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.email
        return self.guest_name or self.guest_email


class AgendaTemplateItem(models.Model):
    """One line of a series' agenda template; recurring lines are copied into every meeting."""

    series = models.ForeignKey(
        Series,
        verbose_name=_("overlegreeks"),
        on_delete=models.CASCADE,
        related_name="template_items",
    )
    section = models.CharField(_("onderdeel"), max_length=20, choices=Section.choices)
    title = models.CharField(_("titel"), max_length=200, validators=PII_GUARD)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_recurring = models.BooleanField(_("terugkerend"), default=True)

    data_classes = {
        "id": SAFE,
        "series": SAFE,
        "section": SAFE,
        "title": SAFE,
        "position": SAFE,
        "is_recurring": SAFE,
    }

    class Meta:
        verbose_name = _("agendasjabloonpunt")
        verbose_name_plural = _("agendasjabloon")
        ordering = ["series", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        PREPARED = "prepared", _("Voorbereid")
        HELD = "held", _("Gehouden")

    series = models.ForeignKey(
        Series, verbose_name=_("overlegreeks"), on_delete=models.PROTECT, related_name="meetings"
    )
    # the first day of the month the meeting belongs to
    month = models.DateField(_("maand"))
    starts_at = models.DateTimeField(_("begint om"))
    place = models.CharField(_("plaats"), max_length=200, blank=True, validators=PII_GUARD)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    prepared_at = models.DateTimeField(_("voorbereid op"), null=True, blank=True)
    agenda_mailed_at = models.DateTimeField(_("agenda verstuurd op"), null=True, blank=True)
    report = models.JSONField(_("maandrapportage"), null=True, blank=True)
    report_frozen_at = models.DateTimeField(_("rapportage vastgezet op"), null=True, blank=True)
    # the same month report for guests of the sociale kaart (without other locations' figures)
    report_guests = models.JSONField(_("maandrapportage voor gasten"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "series": SAFE,
        "month": SAFE,
        "starts_at": SAFE,
        "place": SAFE,
        "online_url": SAFE,
        "status": SAFE,
        "prepared_at": SAFE,
        "agenda_mailed_at": SAFE,
        "report": SAFE,
        "report_frozen_at": SAFE,
        "report_guests": SAFE,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["series", "month"], name="meeting_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="meeting_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "prepared", "held"]),
                name="meeting_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} — {self.month:%m-%Y}"

    @property
    def date(self):
        return timezone.localtime(self.starts_at).date()


class Attendance(models.Model):
    class Response(models.TextChoices):
        NONE = "none", _("Nog niet gereageerd")
        YES = "yes", _("Ja")
        NO = "no", _("Nee")
        MAYBE = "maybe", _("Misschien")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("overleg"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        SeriesMember,
        verbose_name=_("deelnemer"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    response = models.CharField(
        _("reactie"), max_length=8, choices=Response.choices, default=Response.NONE
    )
    responded_at = models.DateTimeField(_("gereageerd op"), null=True, blank=True)
    present = models.BooleanField(_("aanwezig"), null=True, blank=True)
    # sha256 of the token in the invitation's links; the token itself is never stored
    response_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    # the number of the last minutes version mailed to this invitee (never mailed twice)
    minutes_mailed_number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    data_classes = {
        "id": SAFE,
        "meeting": SAFE,
        "member": SAFE,
        "response": QUASI,
        "responded_at": QUASI,
        "present": QUASI,
        "response_token_hash": SENSITIVE,
        "invited_at": SAFE,
        "minutes_mailed_number": SAFE,
    }

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique"),
            models.UniqueConstraint(
                fields=["response_token_hash"],
                condition=~Q(response_token_hash=""),
                name="attendance_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("overleg"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(
        _("onderdeel"), max_length=20, choices=Section.choices, default=Section.OTHER
    )
    title = models.CharField(_("titel"), max_length=200, validators=PII_GUARD)
    description = models.TextField(
        _("toelichting"), max_length=4000, blank=True, validators=PII_GUARD
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingebracht door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signal = models.ForeignKey(
        "signalering.Signal",
        verbose_name=_("signaal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("overgenomen van"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    is_confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    is_done = models.BooleanField(_("afgehandeld"), default=False)
    minutes = models.TextField(_("verslag"), max_length=10000, blank=True, validators=PII_GUARD)

    data_classes = {
        "id": SAFE,
        "meeting": SAFE,
        "section": SAFE,
        "title": SENSITIVE,
        "description": SENSITIVE,
        "position": SAFE,
        "proposed_by": QUASI,
        "signal": SAFE,
        "carried_from": SAFE,
        "is_confidential": SAFE,
        "is_done": SAFE,
        "minutes": SENSITIVE,
    }

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "carried_from"],
                condition=Q(carried_from__isnull=False),
                name="agenda_item_carried_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "signal"],
                condition=Q(signal__isnull=False),
                name="agenda_item_signal_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agendapunt"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.TextField(_("besluit"), max_length=4000, validators=PII_GUARD)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "agenda_item": SAFE,
        "text": SENSITIVE,
        "position": SAFE,
        "created_by": QUASI,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["agenda_item", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status=ActionItem.Status.OPEN)


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Gedaan")
        CANCELLED = "cancelled", _("Vervallen")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("overleg"), on_delete=models.CASCADE, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agendapunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField(_("actie"), max_length=2000, validators=PII_GUARD)
    owner = models.ForeignKey(
        SeriesMember,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    due_date = models.DateField(_("uiterlijk op"))
    # the meeting's date, kept here so the database can refuse a due date before it
    meeting_date = models.DateField(_("datum overleg"), editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="open")
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    last_reminded_on = models.DateField(_("laatst herinnerd op"), null=True, blank=True)
    is_confidential = models.BooleanField(_("vertrouwelijk"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now, editable=False)

    objects = ActionItemQuerySet.as_manager()

    data_classes = {
        "id": SAFE,
        "meeting": SAFE,
        "agenda_item": SAFE,
        "description": SENSITIVE,
        "owner": QUASI,
        "due_date": SAFE,
        "meeting_date": SAFE,
        "status": SAFE,
        "done_at": SAFE,
        "last_reminded_on": SAFE,
        "is_confidential": SAFE,
        "created_by": QUASI,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("meeting_date")),
                name="action_due_not_before_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "cancelled"]), name="action_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class MinutesVersion(models.Model):
    """The minutes of a meeting as approved (or being approved). Approved rows are immutable:
    a PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE of them, except the one
    step approved -> superseded when a correction is approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        APPROVED = "approved", _("Vastgesteld")
        SUPERSEDED = "superseded", _("Vervangen door correctie")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("overleg"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    content = models.JSONField(_("inhoud"), default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgesteld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    correction_reason = models.TextField(
        _("reden van correctie"), max_length=2000, blank=True, validators=PII_GUARD
    )
    minutes_mailed_at = models.DateTimeField(_("verslag verstuurd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now, editable=False)

    data_classes = {
        "id": SAFE,
        "meeting": SAFE,
        "number": SAFE,
        "status": SAFE,
        "content": SENSITIVE,
        "approved_by": QUASI,
        "approved_at": SAFE,
        "correction_reason": SENSITIVE,
        "minutes_mailed_at": SAFE,
        "created_by": QUASI,
        "created_at": SAFE,
    }

    class Meta:
        verbose_name = _("verslagversie")
        verbose_name_plural = _("verslagversies")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_number_unique"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="approved"),
                name="minutes_one_approved_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="minutes_approved_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — v{self.number}"

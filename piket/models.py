"""The piketdienst: recurring on-call moments (rosters), concrete shifts, advocaten on duty,
consults booked from a case, the waitlist, and what was mailed.

Times: aware datetimes in the database; a weekly moment at 10:00 is 10:00 in Europe/Amsterdam,
summer or winter (the shift generator combines local date and time).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import time

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import ChoiceLabels
from accounts.models import Location
from accounts.privacy import QUASI, SAFE, SENSITIVE
from cases.content import CaseContent
from cases.models import TEXT_MAX, Case, LegalArea, SecondLineAdvice, SubProblem
from cases.pii import PII_GUARD

NOON = time(12, 0)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class Roster(models.Model):
    """A recurring piket moment: every <weekday> from <start> to <end> at a location or national."""

    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, related_name="+"
    )
    legal_areas = models.ManyToManyField(
        LegalArea, verbose_name=_("rechtsgebieden"), related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("weekdag"), choices=Weekday.choices)
    start_time = models.TimeField(_("van"))
    end_time = models.TimeField(_("tot"))
    consult_minutes = models.PositiveSmallIntegerField(
        _("duur van een consult (minuten)"), default=15
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("pauze tussen consulten (minuten)"), default=5
    )
    capacity = models.PositiveSmallIntegerField(_("aantal advocaten van dienst"), default=1)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    data_classes = {
        "id": SAFE,
        "location": SAFE,
        "legal_areas": SAFE,
        "weekday": SAFE,
        "start_time": SAFE,
        "end_time": SAFE,
        "consult_minutes": SAFE,
        "buffer_minutes": SAFE,
        "capacity": SAFE,
        "valid_from": SAFE,
        "valid_until": SAFE,
        "is_active": SAFE,
        "created_by": QUASI,
    }

    class Meta:
        verbose_name = _("piketmoment")
        verbose_name_plural = _("piketmomenten")
        ordering = ["location__name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="roster_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(consult_minutes__gte=5), name="roster_consult_at_least_5_minutes"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="roster_capacity_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        return f"{self.location} {self.get_weekday_display()} {hours}"

    @property
    def dagdeel(self) -> str:
        return "ochtend" if self.start_time < NOON else "middag"


class RosterException(models.Model):
    """A closed day or changed hours, for one roster or for every roster at a location."""

    class Kind(models.TextChoices):
        CLOSED = "gesloten", _("Gesloten")
        CHANGED = "andere_tijden", _("Andere tijden")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    roster = models.ForeignKey(
        Roster, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.CLOSED)
    start_time = models.TimeField(_("van"), null=True, blank=True)
    end_time = models.TimeField(_("tot"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=200, blank=True, validators=PII_GUARD)

    data_classes = {
        "id": SAFE,
        "location": SAFE,
        "roster": SAFE,
        "date": SAFE,
        "kind": SAFE,
        "start_time": SAFE,
        "end_time": SAFE,
        "reason": SAFE,
    }

    class Meta:
        verbose_name = _("uitzondering op het rooster")
        verbose_name_plural = _("uitzonderingen op het rooster")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="gesloten")
                | Q(start_time__isnull=False, end_time__gt=models.F("start_time")),
                name="exception_changed_hours_are_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AdvocaatProfile(models.Model):
    """What an advocaat covers on the piket, and the limits they agreed to."""

    advocaat = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="piket_profile"
    )
    legal_areas = models.ManyToManyField(
        LegalArea, verbose_name=_("rechtsgebieden"), related_name="+"
    )
    half_days_per_month = models.PositiveSmallIntegerField(
        _("toegezegde dagdelen per maand"), default=2
    )
    max_shifts_per_week = models.PositiveSmallIntegerField(
        _("maximaal aantal diensten per week"), default=2
    )
    max_shifts_per_month = models.PositiveSmallIntegerField(
        _("maximaal aantal diensten per maand"), default=6
    )

    data_classes = {
        "id": SAFE,
        "advocaat": QUASI,
        "legal_areas": SAFE,
        "half_days_per_month": SAFE,
        "max_shifts_per_week": SAFE,
        "max_shifts_per_month": SAFE,
    }

    class Meta:
        verbose_name = _("piketprofiel advocaat")
        verbose_name_plural = _("piketprofielen advocaten")

    def __str__(self) -> str:
        return str(self.advocaat)


class Shift(models.Model):
    """A concrete piket dienst on one date, generated from a roster some weeks ahead."""

    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="shifts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("datum"))
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    capacity = models.PositiveSmallIntegerField(_("aantal advocaten"), default=1)
    is_cancelled = models.BooleanField(_("vervallen"), default=False)

    data_classes = {
        "id": SAFE,
        "roster": SAFE,
        "location": SAFE,
        "date": SAFE,
        "starts_at": SAFE,
        "ends_at": SAFE,
        "capacity": SAFE,
        "is_cancelled": SAFE,
    }

    class Meta:
        verbose_name = _("piketdienst")
        verbose_name_plural = _("piketdiensten")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "date"], name="shift_once_per_roster_and_date"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["location", "starts_at"], name="shift_location_time")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.location} {local:%Y-%m-%d %H:%M}"

    @property
    def dagdeel(self) -> str:
        return "ochtend" if timezone.localtime(self.starts_at).time() < NOON else "middag"


class Assignment(models.Model):
    """An advocaat on duty for a shift."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    advocaat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="piket_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    data_classes = {
        "id": SAFE,
        "shift": SAFE,
        "advocaat": QUASI,
        "assigned_by": QUASI,
        "created_at": QUASI,
    }

    class Meta:
        verbose_name = _("advocaat van dienst")
        verbose_name_plural = _("advocaten van dienst")
        constraints = [
            models.UniqueConstraint(fields=["shift", "advocaat"], name="assignment_once_per_shift")
        ]
        indexes = [models.Index(fields=["advocaat", "shift"], name="assignment_advocaat_shift")]

    def __str__(self) -> str:
        return f"{self.shift} — {self.advocaat}"


class Swap(models.Model):
    """An advocaat offers their shift to a colleague, who accepts or declines."""

    class Status(models.TextChoices):
        OFFERED = "aangeboden", _("Aangeboden")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        DECLINED = "afgewezen", _("Afgewezen")
        WITHDRAWN = "ingetrokken", _("Ingetrokken")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="swaps")
    to_advocaat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    # set in the transaction that mails the colleague: a retried task mails nothing twice
    offer_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    data_classes = {
        "id": SAFE,
        "assignment": SAFE,
        "to_advocaat": QUASI,
        "status": SAFE,
        "created_at": QUASI,
        "decided_at": QUASI,
        "offer_mailed_at": QUASI,
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="aangeboden"), name="swap_one_open_offer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.to_advocaat}"


# Consult states that occupy the advocaat's slot; a cancelled, moved or expired one frees it.
OCCUPYING = ("aangeboden", "geboekt", "gehouden", "niet_verschenen", "niet_bereikt")


class AdvocaatRange(models.Func):
    """The advocaat as a one-value range, [id, id+1): lets a GiST exclusion constraint compare
    advocaten with `&&` using only PostgreSQL's built-in range operator classes (btree_gist,
    which `=` would need, is not in the embedded PostgreSQL of pgserver)."""

    function = "int8range"
    template = "%(function)s(%(expressions)s, '[]')"
    output_field = BigIntegerRangeField()

    def __init__(self, field: str, **extra):
        # the column twice as two expressions (not the template twice), so that Django's own
        # check of the constraint (full_clean) passes one parameter per placeholder
        super().__init__(field, field, **extra)


class TimeRange(models.Func):
    """[starts_at, ends_at): a consult ending at 10:15 and one starting at 10:15 don't overlap."""

    function = "tstzrange"
    output_field = DateTimeRangeField()


class Consult(ChoiceLabels, CaseContent, models.Model):
    """A short phone consult in a shift, booked from a case by a first-line worker."""

    class Status(models.TextChoices):
        OFFERED = "aangeboden", _("Aangeboden (wachtlijst)")
        BOOKED = "geboekt", _("Geboekt")
        HELD = "gehouden", _("Gehouden")
        NO_SHOW = "niet_verschenen", _("Niet doorgegaan")
        NOT_REACHED = "niet_bereikt", _("Advocaat niet bereikt")
        CANCELLED = "geannuleerd", _("Geannuleerd")
        MOVED = "verplaatst", _("Verplaatst")
        EXPIRED = "verlopen", _("Aanbod verlopen")

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="consults")
    advocaat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="piket_consults"
    )
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consults")
    subproblem = models.ForeignKey(
        SubProblem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    legal_area = models.ForeignKey(LegalArea, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(
        _("vraag aan de advocaat"), max_length=TEXT_MAX, validators=PII_GUARD
    )
    callback_number = models.CharField(
        _("terugbelnummer (uw werknummer)"),
        max_length=32,
        help_text=_(
            "Het nummer waarop de advocaat u terugbelt: uw eigen werknummer, "
            "nooit dat van de rechtzoekende."
        ),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    change_reason = models.CharField(_("reden"), max_length=300, blank=True, validators=PII_GUARD)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    case_path = "case"  # case content (cases.content): erased, exported, its reads audited
    colleague_fields = ("callback_number",)  # the worker's own number, not the client's
    data_classes = {
        "id": SAFE,
        "shift": SAFE,
        "advocaat": QUASI,
        "starts_at": QUASI,
        "ends_at": QUASI,
        "case": SAFE,
        "subproblem": SAFE,
        "legal_area": SAFE,
        "booked_by": QUASI,
        "question": SENSITIVE,
        "callback_number": QUASI,
        "status": SAFE,
        "change_reason": SENSITIVE,
        "offer_expires_at": SAFE,
        "replaces": SAFE,
        "created_at": QUASI,
        "updated_at": QUASI,
    }

    class Meta:
        verbose_name = _("piketconsult")
        verbose_name_plural = _("piketconsulten")
        ordering = ["starts_at"]
        constraints = [
            # Double booking is impossible: an advocaat's occupying consults never overlap in
            # time, also across shifts (a local and a national piket at the same hour).
            ExclusionConstraint(
                name="consult_no_overlap",
                index_type="gist",
                expressions=[
                    (AdvocaatRange("advocaat"), RangeOperators.OVERLAPS),
                    (TimeRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=OCCUPYING),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="consult_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["shift", "starts_at"], name="consult_shift_time"),
            models.Index(fields=["case"], name="consult_case"),
            models.Index(fields=["advocaat", "starts_at"], name="consult_advocaat_time"),
            # the figures count consults of every location by the month of their slot
            models.Index(fields=["starts_at"], name="consult_time"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.legal_area}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.OFFERED)


class ConsultAdvice(models.Model):
    """The advice recorded after a held consult, one per sub-problem of the case: links the
    advocaat's SecondLineAdvice (occasion "piket") to the consult it answers for. A second
    consult with the same advocaat gets advice of its own, so "would a LAT or toevoeging
    otherwise have been requested?" is answered per consult.

    The link lives here, not as a foreign key on SecondLineAdvice, because cases sits below the
    piket and knows nothing of it. `subproblem` repeats the advice's sub-problem so that
    PostgreSQL keeps one advice per consult and sub-problem; a trigger (migration
    0003_consult_advice) refuses a link whose advice is not that of the consult's advocaat on a
    sub-problem of the consult's case."""

    consult = models.ForeignKey(Consult, on_delete=models.PROTECT, related_name="advice_links")
    subproblem = models.ForeignKey(SubProblem, on_delete=models.CASCADE, related_name="+")
    advice = models.OneToOneField(
        SecondLineAdvice, on_delete=models.CASCADE, related_name="consult_link"
    )

    data_classes = {"id": SAFE, "consult": SAFE, "subproblem": SAFE, "advice": SAFE}

    class Meta:
        verbose_name = _("advies na een piketconsult")
        verbose_name_plural = _("adviezen na piketconsulten")
        constraints = [
            models.UniqueConstraint(
                fields=["consult", "subproblem"], name="consult_advice_once_per_subproblem"
            )
        ]

    def __str__(self) -> str:
        return f"consult {self.consult_id} — advies {self.advice_id}"


class WaitlistEntry(CaseContent, models.Model):
    """A worker waiting for a free consult slot for a legal area in a period."""

    class Status(models.TextChoices):
        WAITING = "wachtend", _("Wachtend")
        OFFERED = "aangeboden", _("Plek aangeboden")
        BOOKED = "geboekt", _("Geboekt")
        EXPIRED = "verlopen", _("Verlopen")
        CANCELLED = "geannuleerd", _("Geannuleerd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    legal_area = models.ForeignKey(LegalArea, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(
        _("vraag aan de advocaat"), max_length=TEXT_MAX, validators=PII_GUARD
    )
    callback_number = models.CharField(_("terugbelnummer (uw werknummer)"), max_length=32)
    earliest = models.DateField(_("vanaf"))
    latest = models.DateField(_("tot en met"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    offer = models.ForeignKey(
        Consult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    case_path = "case"
    colleague_fields = ("callback_number",)
    data_classes = {
        "id": SAFE,
        "case": SAFE,
        "legal_area": SAFE,
        "location": SAFE,
        "requested_by": QUASI,
        "question": SENSITIVE,
        "callback_number": QUASI,
        "earliest": SAFE,
        "latest": SAFE,
        "status": SAFE,
        "offer": SAFE,
        "created_at": QUASI,
    }

    class Meta:
        verbose_name = _("wachtlijstplaats")
        verbose_name_plural = _("wachtlijst")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["legal_area", "status", "created_at"], name="waitlist_queue")
        ]

    def __str__(self) -> str:
        return f"{self.legal_area} {self.earliest}–{self.latest}"


class Notification(models.Model):
    """A mail that was sent: keeps the Celery tasks idempotent (a retry sends nothing twice)."""

    class Kind(models.TextChoices):
        CONFIRMATION = "bevestiging", _("Bevestiging")
        REMINDER = "herinnering", _("Herinnering")
        CANCELLATION = "annulering", _("Annulering")
        WAITLIST_OFFER = "wachtlijst", _("Wachtlijstaanbod")
        NOT_REACHED = "niet_bereikt", _("Niet bereikt")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    consult = models.ForeignKey(Consult, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    data_classes = {"id": SAFE, "kind": SAFE, "consult": SAFE, "recipient": QUASI, "sent_at": QUASI}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "consult", "recipient"], name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.consult_id} {self.recipient_id}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's secret iCalendar feed URL; only the token's hash is stored. Revoke = new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    data_classes = {"id": SAFE, "user": SAFE, "token_hash": SENSITIVE, "created_at": QUASI}

    def __str__(self) -> str:
        return f"agenda {self.user_id}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash(token)

    @staticmethod
    def hash_of(token: str) -> str:
        return _hash(token)


class PiketRules(models.Model):
    """The pilot's piket rules: one row, changed in the application by coordinators of the
    national level (`piket_rules_update`, audited), never through the environment."""

    ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW, editable=False)
    no_toevoeging_after_consult = models.BooleanField(
        _("geen toevoeging na advies via het piket"),
        default=True,
        help_text=_(
            "Een advocaat die via het piket over een casus heeft geadviseerd, krijgt voor die "
            "zaak geen toevoeging."
        ),
    )
    period_starts_on = models.DateField(
        _("begin van de pilotperiode"),
        null=True,
        blank=True,
        help_text=_(
            "Vanaf deze dag tellen de toegezegde dagdelen van de advocaten. Leeg: vanaf de "
            "eerste piketdienst."
        ),
    )
    period_ends_on = models.DateField(
        _("einde van de pilotperiode"),
        null=True,
        blank=True,
        help_text=_("Leeg: de pilot loopt nog."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst gewijzigd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("laatst gewijzigd op"), null=True, blank=True)

    data_classes = {
        "id": SAFE,
        "no_toevoeging_after_consult": SAFE,
        "period_starts_on": SAFE,
        "period_ends_on": SAFE,
        "changed_by": QUASI,
        "changed_at": QUASI,
    }

    class Meta:
        verbose_name = _("piketregels")
        verbose_name_plural = _("piketregels")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="piket_rules_one_row"),
            models.CheckConstraint(
                condition=Q(period_ends_on__isnull=True)
                | Q(period_starts_on__isnull=True)
                | Q(period_ends_on__gte=models.F("period_starts_on")),
                name="piket_rules_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

"""Consult slots: the times a shift offers, and the key by which a form names one.

The key ("<shift id>|<local start, ISO 8601>") is made and read here only; it carries no personal
data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, FloatField, Func, IntegerField
from django.db.models.functions import Cast, Floor, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from piket.models import Shift


def slot_key(shift_id: int, starts_at: datetime) -> str:
    return f"{shift_id}|{timezone.localtime(starts_at).isoformat()}"


def parse_slot_key(key: str) -> tuple[int, datetime]:
    """The shift id and start of a key, or a Dutch ValidationError on the form's slot field."""
    try:
        shift_id, start = key.split("|", 1)
        starts_at = datetime.fromisoformat(start)
        if timezone.is_naive(starts_at):
            raise ValueError
        return int(shift_id), starts_at
    except ValueError:
        raise ValidationError({"slot": _("Kies een tijdstip uit de lijst.")}) from None


def slot_times(shift: Shift) -> Iterator[tuple[datetime, datetime]]:
    """Start and end of every consult slot in the shift: consult length plus buffer."""
    roster = shift.roster
    step = timedelta(minutes=roster.consult_minutes + roster.buffer_minutes)
    length = timedelta(minutes=roster.consult_minutes)
    start = shift.starts_at
    while start + length <= shift.ends_at:
        yield start, start + length
        start += step


@dataclass(frozen=True)
class Slot:
    shift: Shift
    starts_at: datetime
    ends_at: datetime
    free_advocaten: tuple[int, ...]

    @property
    def key(self) -> str:
        return slot_key(self.shift.pk, self.starts_at)

    @property
    def is_national(self) -> bool:
        return self.shift.location.is_national


def slot_count() -> Func:
    """The number of slots `slot_times` yields for a shift, as an expression on Shift for the
    database to count over many shifts: the consults of `consult_minutes` that fit from the
    start, one every `consult_minutes + buffer_minutes`."""
    minutes = Func(
        F("ends_at") - F("starts_at"),
        template="EXTRACT(EPOCH FROM %(expressions)s) / 60",
        output_field=FloatField(),
    )
    length = F("roster__consult_minutes")
    step = F("roster__consult_minutes") + F("roster__buffer_minutes")
    fitting = Floor((minutes - length) / step) + 1
    return Cast(Greatest(fitting, 0, output_field=FloatField()), IntegerField())

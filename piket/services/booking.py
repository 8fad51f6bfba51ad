"""Booking a piket consult from a case. Double booking is refused by PostgreSQL
(exclusion constraint `consult_no_overlap`: no two occupying consults of one advocaat overlap
in time); this module turns that into a clear message."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from psycopg.errors import DeadlockDetected

from accounts.models import User
from cases import selectors as case_selectors
from cases.models import AuditEntry, Case, CaseStatusChange, LegalArea, SubProblem
from cases.services.audit import audit_log
from cases.services.secondline import case_grant_consult
from cases.services.status import case_status_change
from piket import selectors
from piket.models import OCCUPYING, Consult, Shift
from piket.slots import parse_slot_key, slot_times


class SlotTaken(ValidationError):
    """The slot was just taken by someone else; `next_slots` are the next free ones.

    They are looked up only when asked for: the booking page shows fresh free times anyway, and
    when many race for one slot, the losers should not each pay for the search while holding up
    the others.
    """

    def __init__(self, *, legal_area: LegalArea, location, now: datetime | None = None):
        super().__init__(
            _(
                "Dit tijdstip is net door iemand anders geboekt. "
                "Kies een van de volgende vrije tijden."
            )
        )
        self._search = {"legal_area": legal_area, "location": location, "now": now}

    @cached_property
    def next_slots(self):
        return selectors.free_slots(**self._search)


def check_bookable(
    *,
    user: User,
    case: Case,
    legal_area: LegalArea,
    shift: Shift,
    starts_at: datetime,
    now: datetime | None = None,
):
    """Raise a ValidationError (Dutch) unless this slot may be booked for this case now."""
    if not case_selectors.can_book_piket(user, case):
        raise PermissionDenied
    if not case.subproblems.filter(legal_area=legal_area).exists():
        raise ValidationError(
            {"legal_area": _("Dit rechtsgebied hoort niet bij een deelprobleem van deze casus.")}
        )
    if shift.is_cancelled or not shift.roster.legal_areas.filter(pk=legal_area.pk).exists():
        raise ValidationError(
            {"slot": _("Op dit tijdstip is er geen piket voor dit rechtsgebied.")}
        )
    if shift.location_id != case.location_id and not shift.location.is_national:
        raise ValidationError({"slot": _("Dit piket hoort bij een andere locatie.")})
    if starts_at not in {start for start, _end in slot_times(shift)}:
        raise ValidationError({"slot": _("Kies een tijdstip uit de lijst.")})
    window_start, window_end = selectors.booking_window(now)
    if starts_at < (now or timezone.now()):
        raise ValidationError({"slot": _("Dit tijdstip ligt in het verleden.")})
    if starts_at < window_start:
        raise ValidationError(
            {
                "slot": _("Boek minstens %(minutes)s minuten van tevoren.")
                % {"minutes": settings.PIKET_MIN_NOTICE_MINUTES}
            }
        )
    if starts_at > window_end:
        raise ValidationError(
            {
                "slot": _("U kunt tot %(days)s dagen vooruit boeken.")
                % {"days": settings.PIKET_HORIZON_DAYS}
            }
        )


@transaction.atomic
def consult_book(
    *,
    user: User,
    case: Case,
    legal_area: LegalArea,
    slot_key: str,
    question: str,
    callback_number: str,
    subproblem: SubProblem | None = None,
    now: datetime | None = None,
) -> Consult:
    """Book the slot with the advocaat on duty who has had the fewest consults (fair spread)."""
    shift_id, starts_at = parse_slot_key(slot_key)
    shift = Shift.objects.select_related("roster", "location").filter(pk=shift_id).first()
    if shift is None:
        raise ValidationError({"slot": _("Kies een tijdstip uit de lijst.")})
    check_bookable(
        user=user, case=case, legal_area=legal_area, shift=shift, starts_at=starts_at, now=now
    )
    if subproblem is not None and subproblem.case_id != case.pk:
        raise ValidationError({"subproblem": _("Dit deelprobleem hoort niet bij deze casus.")})
    on_duty = tuple(  # only advocaten who cover this legal area
        shift.assignments.filter(advocaat__piket_profile__legal_areas=legal_area).values_list(
            "advocaat_id", flat=True
        )
    )
    taken = set(
        Consult.objects.filter(
            advocaat_id__in=on_duty, starts_at=starts_at, status__in=OCCUPYING
        ).values_list("advocaat_id", flat=True)
    )
    consult = Consult(
        shift=shift,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=shift.roster.consult_minutes),
        case=case,
        subproblem=subproblem,
        legal_area=legal_area,
        booked_by=user,
        question=question.strip(),
        callback_number=callback_number.strip(),
    )
    for advocaat_id in selectors.fairest_advocaat(
        shift, tuple(a for a in on_duty if a not in taken)
    ):
        consult.advocaat_id = advocaat_id
        consult.full_clean(
            exclude=["shift", "case", "advocaat", "legal_area", "booked_by"],
            validate_constraints=False,
        )
        try:
            with transaction.atomic():
                consult.save()
            break
        except IntegrityError:  # someone booked this advocaat at this time a moment ago
            consult.pk = None
            continue
        except OperationalError as exc:
            # Two bookings of one place that check the exclusion constraint at the same moment
            # can wait on each other; PostgreSQL then cancels one (deadlock_detected). Its row is
            # gone with its savepoint, the other books: for this one the place was taken.
            if not isinstance(exc.__cause__, DeadlockDetected):
                raise
            consult.pk = None
            continue
    else:
        raise SlotTaken(legal_area=legal_area, location=case.location, now=now)
    case_grant_consult(
        case=case, advocaat=consult.advocaat, national_piket=shift.location.is_national
    )
    if case.status == Case.Status.OPEN:
        case_status_change(
            case=case,
            to=Case.Status.WAITING,
            actor=user,
            reason=CaseStatusChange.Reason.PIKET_BOOKED,
        )
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        case=case,
        obj=consult,
        detail={"piket": "geboekt"},
    )
    _notify(consult, "confirmation")
    return consult


def _notify(consult: Consult, kind: str) -> None:
    """Enqueue the mail after commit; the task takes the consult id only."""
    from piket import tasks

    task = {"confirmation": tasks.send_confirmation, "cancellation": tasks.send_cancellation}[kind]
    transaction.on_commit(lambda: task.delay(consult.pk))

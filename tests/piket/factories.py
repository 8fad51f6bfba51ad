"""Factories of the piket, one per model, and the builders the piket tests share.

`ShiftFactory(roster=roster, date=day)` computes the local start and end from the roster;
`RosterFactory(legal_areas=["huurrecht"])` takes slugs or LegalArea rows.

    shift = make_shift(utrecht, [bart])           # tomorrow 10:00-12:00, Bart on duty
    consult = book(anna, case, shift.starts_at)   # through the booking service
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from accounts.models import Location, Organisation, Role
from cases.models import LegalArea, SecondLineAdvice
from piket.forms.booking import slot_value
from piket.localtime import local_datetime
from piket.models import (
    AdvocaatProfile,
    Assignment,
    CalendarFeed,
    Consult,
    ConsultAdvice,
    Notification,
    PiketRules,
    Roster,
    RosterException,
    Shift,
    Swap,
    WaitlistEntry,
)
from piket.selectors import free_slots
from piket.services.booking import consult_book
from piket.slots import slot_key as slot_key_of
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory, member
from tests.cases.factories import (
    CaseFactory,
    LegalAreaFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)

# What a worker asks the advocaat and where to call back: no client data (assert_no_client_data).
QUESTION = "Is een advocaat nodig voor deze huurachterstand, of kan de eerste lijn dit oplossen?"
CALLBACK_NUMBER = "030 123 45 67"


def national_location() -> Location:
    return Location.objects.get_or_create(
        slug="landelijk", defaults={"name": "Landelijk", "is_national": True}
    )[0]


def national_coordinator(**user_fields):
    """A coordinator of the national level: the coordinator role at the national location."""
    org = OrganisationFactory(
        location=national_location(), name="Landelijk pilotbureau", kind=Organisation.Kind.OTHER
    )
    return member(Role.COORDINATOR, org, **user_fields)


def legal_areas(values) -> list[LegalArea]:
    """LegalArea rows from slugs (the migration's rows) or rows."""
    return [v if isinstance(v, LegalArea) else LegalArea.objects.get(slug=v) for v in values]


def area(slug: str = "huurrecht") -> LegalArea:
    return LegalArea.objects.get(slug=slug)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """The aware moment of a local wall-clock time in Amsterdam."""
    return local_datetime(day, time(hour, minute))


def advocaat_at(location: Location, **user_fields):
    """An advocaat of the sociale advocatuur at a location."""
    org = OrganisationFactory(
        location=location,
        name=f"Sociale advocatuur {location.name}",
        kind=Organisation.Kind.SOCIALE_ADVOCATUUR,
    )
    return member(Role.ADVOCAAT, org, **user_fields)


class RosterFactory(factory.django.DjangoModelFactory):
    """Weekly, Tuesday 09:00–12:00 by default, covering huurrecht."""

    class Meta:
        model = Roster
        skip_postgeneration_save = True

    location = factory.SubFactory(LocationFactory)
    weekday = 1
    start_time = time(9, 0)
    end_time = time(12, 0)
    consult_minutes = 15
    buffer_minutes = 5
    capacity = 1
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    created_by = factory.SubFactory(UserFactory, totp=False)

    @factory.post_generation
    def legal_areas(self, create, extracted, **kwargs):
        if create:
            self.legal_areas.set(legal_areas(extracted or ["huurrecht"]))


def _next_weekday(weekday: int) -> date:
    """The first date after today that falls on `weekday`."""
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


class RosterExceptionFactory(factory.django.DjangoModelFactory):
    """The roster is closed on its next day; `kind=CHANGED` with start and end for other hours."""

    class Meta:
        model = RosterException

    roster = factory.SubFactory(RosterFactory)
    location = factory.LazyAttribute(lambda o: o.roster.location if o.roster else LocationFactory())
    date = factory.LazyAttribute(lambda o: _next_weekday(o.roster.weekday if o.roster else 0))
    kind = RosterException.Kind.CLOSED
    reason = "Teamdag"


class ShiftFactory(factory.django.DjangoModelFactory):
    """A shift of its roster on `date` (the roster's next weekday after today by default)."""

    class Meta:
        model = Shift

    roster = factory.SubFactory(RosterFactory)
    location = factory.LazyAttribute(lambda o: o.roster.location)
    date = factory.LazyAttribute(lambda o: _next_weekday(o.roster.weekday))
    starts_at = factory.LazyAttribute(lambda o: local_datetime(o.date, o.roster.start_time))
    ends_at = factory.LazyAttribute(lambda o: local_datetime(o.date, o.roster.end_time))
    capacity = factory.LazyAttribute(lambda o: o.roster.capacity)


class AdvocaatProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvocaatProfile
        django_get_or_create = ("advocaat",)
        skip_postgeneration_save = True

    advocaat = factory.SubFactory(UserFactory, totp=False)
    half_days_per_month = 2
    max_shifts_per_week = 2
    max_shifts_per_month = 6

    @factory.post_generation
    def legal_areas(self, create, extracted, **kwargs):
        if create:
            self.legal_areas.set(legal_areas(extracted or ["huurrecht"]))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    shift = factory.SubFactory(ShiftFactory)
    advocaat = factory.SubFactory(UserFactory, totp=False)
    assigned_by = factory.LazyAttribute(lambda o: o.advocaat)


class SwapFactory(factory.django.DjangoModelFactory):
    """An open offer of an assignment to a colleague."""

    class Meta:
        model = Swap

    assignment = factory.SubFactory(AssignmentFactory)
    to_advocaat = factory.SubFactory(UserFactory, totp=False)
    status = Swap.Status.OFFERED


class ConsultFactory(factory.django.DjangoModelFactory):
    """A booked consult in the first slot of a shift (or `minutes` after its start), for a case
    at the shift's location.

    Written directly, without the booking service's checks: use `book` to book as a worker does.
    """

    class Meta:
        model = Consult
        exclude = ("minutes",)

    minutes = 0  # after the start of the shift
    shift = factory.SubFactory(ShiftFactory)
    advocaat = factory.LazyAttribute(lambda o: advocaat_at(o.shift.location, totp=False))
    starts_at = factory.LazyAttribute(lambda o: o.shift.starts_at + timedelta(minutes=o.minutes))
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.shift.roster.consult_minutes)
    )
    case = factory.LazyAttribute(
        lambda o: CaseFactory(organisation=OrganisationFactory(location=o.shift.location))
    )
    legal_area = factory.SubFactory(LegalAreaFactory)
    booked_by = factory.LazyAttribute(lambda o: o.case.registered_by)
    question = QUESTION
    callback_number = CALLBACK_NUMBER
    status = Consult.Status.BOOKED


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    """A case waiting for a huurrecht slot in the coming two weeks."""

    class Meta:
        model = WaitlistEntry

    case = factory.SubFactory(CaseFactory)
    legal_area = factory.SubFactory(LegalAreaFactory)
    location = factory.LazyAttribute(lambda o: o.case.location)
    requested_by = factory.LazyAttribute(lambda o: o.case.registered_by)
    question = QUESTION
    callback_number = CALLBACK_NUMBER
    earliest = factory.LazyFunction(timezone.localdate)
    latest = factory.LazyAttribute(lambda o: o.earliest + timedelta(days=14))
    status = WaitlistEntry.Status.WAITING


class NotificationFactory(factory.django.DjangoModelFactory):
    """The record that a consult's confirmation went to the worker who booked it."""

    class Meta:
        model = Notification

    kind = Notification.Kind.CONFIRMATION
    consult = factory.SubFactory(ConsultFactory)
    recipient = factory.LazyAttribute(lambda o: o.consult.booked_by)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A user's calendar feed; `CalendarFeedFactory(token="geheim")` is at
    /piket/agenda/feed/geheim.ics. Only the hash is stored; the plain token stays on the
    object (`feed.token`) for tests that open the feed."""

    class Meta:
        model = CalendarFeed

    token = factory.Sequence(lambda n: f"agenda-token-{n}")
    user = factory.SubFactory(UserFactory, totp=False)

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        feed = super()._create(model_class, *args, token_hash=CalendarFeed.hash_of(token), **kwargs)
        feed.token = token
        return feed


# ---------------------------------------------------------------- builders of a bookable piket


def make_shift(
    location: Location,
    advocaten=(),
    *,
    day: date | None = None,
    start: time = time(10, 0),
    end: time = time(12, 0),
    areas=("huurrecht",),
    consult_minutes: int = 15,
    buffer_minutes: int = 5,
) -> Shift:
    """A roster on that weekday and its shift on `day` (tomorrow by default), with these
    advocaten on duty and covering `areas`. The shift is made directly, also on a public
    holiday (the generator would skip it)."""
    day = day or timezone.localdate() + timedelta(days=1)
    creator = advocaten[0] if advocaten else member(Role.COORDINATOR, OrganisationFactory())
    roster = RosterFactory(
        location=location,
        weekday=day.weekday(),
        start_time=start,
        end_time=end,
        consult_minutes=consult_minutes,
        buffer_minutes=buffer_minutes,
        capacity=max(1, len(advocaten)),
        valid_from=min(day, timezone.localdate()),
        created_by=creator,
        legal_areas=areas,
    )
    shift = ShiftFactory(roster=roster, date=day)
    for advocaat in advocaten:
        profile, _ = AdvocaatProfile.objects.get_or_create(advocaat=advocaat)
        profile.legal_areas.add(*legal_areas(areas))
        AssignmentFactory(shift=shift, advocaat=advocaat, assigned_by=creator)
    return shift


def key(shift: Shift, at: time | None = None, legal_area: str = "huurrecht") -> str:
    """The form value of a slot: legal area id / shift id | start."""
    starts_at = local_datetime(shift.date, at) if at else timezone.localtime(shift.starts_at)
    return slot_value(area(legal_area), slot_key_of(shift.pk, starts_at))


def slot_key(case, starts_at: datetime, now: datetime | None = None) -> str:
    """The key of the free huurrecht slot at `starts_at` for the case (fails when not free)."""
    for slot in free_slots(legal_area=area(), location=case.location, now=now, limit=200):
        if slot.starts_at == starts_at:
            return slot.key
    raise AssertionError(f"no free slot at {starts_at}")


def book(user, case, starts_at: datetime, now: datetime | None = None) -> Consult:
    """Book the huurrecht slot at `starts_at` through the service, asking QUESTION."""
    return consult_book(
        user=user,
        case=case,
        legal_area=area(),
        slot_key=slot_key(case, starts_at, now),
        question=QUESTION,
        callback_number=CALLBACK_NUMBER,
        now=now,
    )


def assert_no_client_data(text: str, case) -> None:
    """None of what `book` and the piket `case` fixture put in (question, client Piet Jansen,
    case number, callback number) shows in a mail, calendar file or feed."""
    assert QUESTION[:30] not in text
    assert "Piet" not in text and "Jansen" not in text
    assert case.number not in text
    assert CALLBACK_NUMBER not in text


class PiketRulesFactory(factory.django.DjangoModelFactory):
    """The pilot's piket rules: one row (primary key 1), made by the migration."""

    class Meta:
        model = PiketRules
        django_get_or_create = ("id",)

    id = 1
    no_toevoeging_after_consult = True


class ConsultAdviceFactory(factory.django.DjangoModelFactory):
    """The advice of a held consult on one sub-problem of its case: an advice of the consult's
    advocaat (occasion piket) on the consult's sub-problem, or on a new one in its legal area:
    `ConsultAdviceFactory(consult=held, advice__certificate_otherwise="ja")`."""

    class Meta:
        model = ConsultAdvice

    consult = factory.SubFactory(ConsultFactory, status=Consult.Status.HELD)
    subproblem = factory.LazyAttribute(
        lambda o: (
            o.consult.subproblem
            or SubProblemFactory(case=o.consult.case, legal_area=o.consult.legal_area)
        )
    )
    advice = factory.SubFactory(
        SecondLineAdviceFactory,
        subproblem=factory.SelfAttribute("..subproblem"),
        advocaat=factory.SelfAttribute("..consult.advocaat"),
        occasion=SecondLineAdvice.Occasion.PIKET,
    )

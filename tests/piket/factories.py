"""Factories of the piket: rosters, shifts, advocaten on duty and their profiles.

`ShiftFactory(roster=roster, date=day)` computes the local start and end from the roster;
`RosterFactory(legal_areas=["huurrecht"])` takes slugs or LegalArea rows;
`ConsultFactory(shift=shift, advocaat=bart, minutes=20)` books the slot 20 minutes in;
`ConsultAdviceFactory(consult=held, advice__certificate_otherwise="ja")` is its advice."""

from __future__ import annotations

from datetime import time, timedelta

import factory
from django.utils import timezone

from accounts.models import Location, Organisation, Role
from cases.models import LegalArea, SecondLineAdvice
from piket.models import (
    AdvocaatProfile,
    Assignment,
    Consult,
    ConsultAdvice,
    Roster,
    Shift,
    WaitlistEntry,
)
from piket.services.schedule import local_datetime
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory, member
from tests.cases.factories import CaseFactory, SecondLineAdviceFactory, SubProblemFactory


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


class ShiftFactory(factory.django.DjangoModelFactory):
    """A shift of its roster on `date` (the roster's next weekday after today by default)."""

    class Meta:
        model = Shift

    roster = factory.SubFactory(RosterFactory)
    location = factory.LazyAttribute(lambda o: o.roster.location)
    date = factory.LazyAttribute(
        lambda o: (
            timezone.localdate()
            + timedelta(days=(o.roster.weekday - timezone.localdate().weekday() - 1) % 7 + 1)
        )
    )
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


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    """A worker waiting for a huurrecht slot in the coming two weeks."""

    class Meta:
        model = WaitlistEntry

    case = factory.SubFactory("tests.cases.factories.CaseFactory")
    legal_area = factory.LazyFunction(lambda: LegalArea.objects.get(slug="huurrecht"))
    location = factory.LazyAttribute(lambda o: o.case.location)
    requested_by = factory.LazyAttribute(lambda o: o.case.registered_by)
    question = "Is bezwaar tegen de huurverhoging zinvol?"
    callback_number = "030 123 45 67"
    earliest = factory.LazyFunction(timezone.localdate)
    latest = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class ConsultFactory(factory.django.DjangoModelFactory):
    """A booked huurrecht consult `minutes` after the start of its shift, for a case of the
    shift's location (give `case` for a consult on the national piket)."""

    class Meta:
        model = Consult
        exclude = ("minutes",)

    minutes = 0
    shift = factory.SubFactory(ShiftFactory)
    advocaat = factory.SubFactory(UserFactory, totp=False)
    starts_at = factory.LazyAttribute(lambda o: o.shift.starts_at + timedelta(minutes=o.minutes))
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.shift.roster.consult_minutes)
    )
    case = factory.LazyAttribute(
        lambda o: CaseFactory(organisation=OrganisationFactory(location=o.shift.location))
    )
    legal_area = factory.LazyFunction(lambda: LegalArea.objects.get(slug="huurrecht"))
    booked_by = factory.LazyAttribute(lambda o: o.case.registered_by)
    question = "Is een advocaat nodig voor deze huurverhoging?"
    callback_number = "030 123 45 67"
    status = Consult.Status.BOOKED


class ConsultAdviceFactory(factory.django.DjangoModelFactory):
    """The advice of a held consult on one sub-problem of its case: an advice of the consult's
    advocaat (occasion piket) on the consult's sub-problem, or on a new one in its legal area."""

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

"""Factories for the signaleringsoverleg's models.

series = SeriesFactory(location=utrecht)                  # a local series
chair = SeriesMemberFactory(series=series, user=carla, role="chair")
guest = GuestFactory(series=series)                        # a guest without an account
meeting = MeetingFactory(series=series, month=date(2026, 3, 1))
ActionItemFactory(meeting=meeting, owner=guest)            # due a week after the meeting
"""

from __future__ import annotations

import datetime
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Organisation
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    Decision,
    Meeting,
    MinutesVersion,
    Recommendation,
    RecommendationChange,
    RecommendationConsent,
    RecommendationMilestone,
    Section,
    Series,
    SeriesMember,
    Signal,
)
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory

AMSTERDAM = datetime.timezone(timedelta(hours=1))


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    """`day` at `hour` o'clock, Amsterdam time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def month_start(months_back: int) -> datetime.date:
    """The first day of the month `months_back` months ago."""
    first = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Signaleringsoverleg {n}")
    kind = Series.Kind.LOCAL
    location = factory.SubFactory(LocationFactory)


class SeriesMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeriesMember

    series = factory.SubFactory(SeriesFactory)
    user = factory.SubFactory(UserFactory, totp=False)
    role = SeriesMember.Role.MEMBER


class GuestFactory(SeriesMemberFactory):
    """A guest of a sociale-kaart organisation without an account."""

    user = None
    guest_name = factory.Sequence(lambda n: f"Gast {n}")
    guest_email = factory.Sequence(lambda n: f"gast{n}@sociale-kaart.example.org")
    guest_organisation = "Buurtteam"
    role = SeriesMember.Role.GUEST


class AgendaTemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaTemplateItem

    series = factory.SubFactory(SeriesFactory)
    section = Section.OTHER
    title = factory.Sequence(lambda n: f"Vast punt {n}")
    position = factory.Sequence(lambda n: n)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting on the 15th of its month at 14:00 (default: the current month)."""

    class Meta:
        model = Meeting

    series = factory.SubFactory(SeriesFactory)
    month = factory.LazyFunction(lambda: first_of_month(timezone.localdate()))
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.month.replace(day=15), datetime.time(14, 0))
        )
    )
    place = "Stadskantoor, zaal 2"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(
        SeriesMemberFactory, series=factory.SelfAttribute("..meeting.series")
    )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    section = Section.OTHER
    title = factory.Sequence(lambda n: f"Agendapunt {n}")
    position = factory.Sequence(lambda n: n)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = "We spreken af de doorverwijzing naar de schuldhulp te versnellen."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = "Afspraak maken met het buurtteam over de doorverwijzing."
    owner = factory.SubFactory(
        SeriesMemberFactory, series=factory.SelfAttribute("..meeting.series")
    )
    meeting_date = factory.LazyAttribute(lambda o: o.meeting.date)
    due_date = factory.LazyAttribute(lambda o: o.meeting_date + timedelta(days=14))


class MinutesVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; approved ones are made by `signalering.services.minutes_approve`."""

    class Meta:
        model = MinutesVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.LazyFunction(dict)


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    raised_by = factory.SubFactory(UserFactory, totp=False)
    location = factory.SubFactory(LocationFactory)
    kind = Signal.Kind.CAN_IMPROVE
    theme = Signal.Theme.PROCESS_STEP
    process_step = Signal.ProcessStep.DOORVERWIJZING
    description = "Doorverwijzingen naar het UWV-spreekuur duren vaak langer dan twee weken."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    title = factory.Sequence(lambda n: f"Aanbeveling {n}")
    text = "Maak een vast aanspreekpunt bij het UWV voor de eerstelijnsorganisaties."
    level = Recommendation.Level.LOCAL
    location = factory.SubFactory(LocationFactory)
    addressee_kind = Recommendation.AddresseeKind.STUURGROEP
    addressee_name = "Stuurgroep pilot"


class RecommendationMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationMilestone

    recommendation = factory.SubFactory(RecommendationFactory)
    description = "Eerste gesprek met het UWV"
    position = factory.Sequence(lambda n: n)


class RecommendationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationChange

    recommendation = factory.SubFactory(RecommendationFactory)
    what = "created"


class RecommendationConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationConsent

    recommendation = factory.SubFactory(RecommendationFactory)
    line = Organisation.Kind.JURIDISCH_LOKET
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=factory.SelfAttribute("..line"),
        location=factory.SelfAttribute("..recommendation.location"),
    )
    user = factory.SubFactory(UserFactory, totp=False)
    agreed = True

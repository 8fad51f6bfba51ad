"""Free slots are offered in time order, the own location first only where a national slot
starts at the same time, and national slots are marked (booking page and move page)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from piket.selectors import free_slots
from tests.cases.factories import CaseFactory, SubProblemFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    advocaat_at,
    legal_areas,
    national_location,
)


def next_weekday(weekday: int) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def shift_with(advocaat, location, day: date, **roster):
    shift = ShiftFactory(
        roster=RosterFactory(location=location, weekday=day.weekday(), **roster), date=day
    )
    AssignmentFactory(shift=shift, advocaat=advocaat)
    return shift


@pytest.fixture
def national_advocaat(db):
    advocaat = advocaat_at(national_location(), full_name="Nina Landelijk")
    AdvocaatProfileFactory(advocaat=advocaat, legal_areas=["huurrecht"])
    return advocaat


@pytest.fixture
def local_advocaat(bart):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    return bart


@pytest.fixture
def case(anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=legal_areas(["huurrecht"])[0])
    return case


@pytest.fixture
def two_weeks(utrecht, local_advocaat, national_advocaat):
    """Utrecht on Tuesdays, the national piket on Wednesdays, two weeks running; three slots a
    shift, so the booking page (eight a location) shows all four days."""
    tuesday, wednesday = next_weekday(1), next_weekday(2)
    if wednesday < tuesday:
        wednesday += timedelta(days=7)
    national = national_location()
    hour = {"end_time": time(10, 0)}
    return [
        shift_with(local_advocaat, utrecht, tuesday, **hour),
        shift_with(national_advocaat, national, wednesday, **hour),
        shift_with(local_advocaat, utrecht, tuesday + timedelta(days=7), **hour),
        shift_with(national_advocaat, national, wednesday + timedelta(days=7), **hour),
    ]


def days_of(slots) -> list[date]:
    seen: list[date] = []
    for slot in slots:
        day = timezone.localdate(slot.starts_at)
        if day not in seen:
            seen.append(day)
    return seen


def test_free_slots_are_in_time_order_not_grouped_by_location(case, two_weeks):
    slots = free_slots(legal_area=legal_areas(["huurrecht"])[0], location=case.location, limit=50)
    starts = [s.starts_at for s in slots]
    assert starts == sorted(starts)
    assert days_of(slots) == [shift.date for shift in two_weeks]


def test_at_the_same_time_the_own_location_comes_first(
    case, utrecht, local_advocaat, national_advocaat
):
    day = next_weekday(1)
    national = shift_with(national_advocaat, national_location(), day)
    own = shift_with(local_advocaat, utrecht, day)

    slots = free_slots(legal_area=legal_areas(["huurrecht"])[0], location=case.location)

    assert [s.shift for s in slots[:2]] == [own, national]
    assert slots[0].starts_at == slots[1].starts_at
    assert not slots[0].is_national and slots[1].is_national


def test_the_booking_page_lists_days_in_order_and_marks_national_slots(
    login, anna, case, two_weeks
):
    response = login(anna).get(f"/piket/boeken/{case.number}/")
    html = response.text
    assert response.status_code == 200
    (option,) = response.context["options"]
    assert [day for day, _slots in option.days] == [shift.date for shift in two_weeks]
    positions = [html.index(f"{shift.pk}|") for shift in two_weeks]
    assert positions == sorted(positions)
    national_slot = next(s for s in option.slots if s.is_national)
    label_start = html.index(f'value="{option.legal_area.pk}/{national_slot.key}"')
    label = html[label_start : html.index("</label>", label_start)]
    assert "landelijk" in label


def test_the_move_page_offers_slots_in_time_order_and_marks_national_ones(
    login, anna, case, two_weeks, local_advocaat
):
    consult = ConsultFactory(
        case=case, shift=two_weeks[0], advocaat=local_advocaat, booked_by=anna, minutes=40
    )

    form = login(anna).get(f"/piket/consult/{consult.pk}/verplaatsen/").context["form"]

    labels = [label for _key, label in form.fields["slot"].choices]
    keys = [key for key, _label in form.fields["slot"].choices]
    shift_ids = [int(key.split("|")[0]) for key in keys]
    assert shift_ids == sorted(shift_ids, key=[s.pk for s in two_weeks].index)
    assert all(
        "landelijk piket" in label
        for key, label in zip(keys, labels, strict=True)
        if key.startswith((f"{two_weeks[1].pk}|", f"{two_weeks[3].pk}|"))
    )
    assert any(label.endswith("— piket Utrecht") for label in labels)
    assert all(" Nov " not in label and "-" not in label.split(" — ")[0] for label in labels)

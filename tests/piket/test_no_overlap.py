"""An advocaat's consults never overlap in time, enforced by PostgreSQL (exclusion constraint
`consult_no_overlap`): also across two shifts at the same hour, also when many book at once."""

from __future__ import annotations

import threading
from datetime import time

import pytest
from django.db import IntegrityError, connections, transaction

from accounts.models import User
from cases.models import Case, LegalArea
from piket.models import Consult
from piket.services.booking import SlotTaken, consult_book
from piket.slots import slot_key
from tests.cases.factories import CaseFactory, SubProblemFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    ConsultFactory,
    RosterFactory,
    ShiftFactory,
    national_location,
)

ATTEMPTS = 10
QUESTION = "Is bezwaar tegen de huurverhoging zinvol?"


@pytest.fixture
def two_shifts(utrecht, bart, carla):
    """Next Tuesday Bart is on Utrecht's piket from 09:00 and on the national one from 09:10
    (the duty rules would refuse that; the database must hold even so): Utrecht's 09:00 slot
    and the national 09:10 slot overlap."""
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    local = ShiftFactory(roster=RosterFactory(location=utrecht, created_by=carla))
    national = ShiftFactory(
        roster=RosterFactory(
            location=national_location(), start_time=time(9, 10), created_by=carla
        ),
        date=local.date,
    )
    for shift in (local, national):
        AssignmentFactory(shift=shift, advocaat=bart)
    return local, national


def huur_case(anna, orgs_utrecht) -> Case:
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    return case


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_booking_overlapping_slots_of_one_advocaat_at_once_get_one_consult(
    anna, bart, orgs_utrecht, two_shifts
):
    local, national = two_shifts
    keys = [slot_key(local.pk, local.starts_at), slot_key(national.pk, national.starts_at)]
    cases = [huur_case(anna, orgs_utrecht) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS, timeout=20)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(case_pk: int, key: str) -> None:
        try:
            user = User.objects.get(pk=anna.pk)  # each thread its own objects and connection
            case = Case.objects.get(pk=case_pk)
            legal_area = LegalArea.objects.get(slug="huurrecht")
            barrier.wait()
            try:
                consult_book(
                    user=user,
                    case=case,
                    legal_area=legal_area,
                    slot_key=key,
                    question=QUESTION,
                    callback_number="030 123 45 67",
                )
                outcome = "booked"
            except SlotTaken as taken:
                outcome = "taken" if "net door iemand anders" in taken.messages[0] else "?"
            except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
                outcome = repr(exc)
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(case.pk, keys[i % 2]))
        for i, case in enumerate(cases)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "deadlock: a booking never finished"

    assert sorted(set(results)) == ["booked", "taken"], results
    assert results.count("booked") == 1
    assert Consult.objects.filter(advocaat=bart, status=Consult.Status.BOOKED).count() == 1


def overlapping(shift, advocaat, minutes, **fields):
    return ConsultFactory(shift=shift, advocaat=advocaat, minutes=minutes, **fields)


def test_the_database_refuses_an_overlapping_consult_of_the_same_advocaat(bart, two_shifts):
    local, national = two_shifts
    overlapping(local, bart, 0)  # 09:00–09:15
    with pytest.raises(IntegrityError, match="consult_no_overlap"), transaction.atomic():
        overlapping(national, bart, 0)  # 09:10–09:25
    assert Consult.objects.count() == 1


def test_back_to_back_consults_and_other_advocaten_do_not_overlap(bart, two_shifts):
    local, national = two_shifts
    overlapping(local, bart, 0)  # 09:00–09:15
    overlapping(national, bart, 5)  # 09:15–09:30: starts when the first ends
    overlapping(local, AssignmentFactory(shift=local).advocaat, 0)  # a colleague at 09:00
    assert Consult.objects.count() == 3


def test_a_cancelled_consult_frees_the_time(bart, two_shifts):
    local, national = two_shifts
    first = overlapping(local, bart, 0)
    first.status = Consult.Status.CANCELLED
    first.save(update_fields=["status"])
    overlapping(national, bart, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping(local, bart, 10)  # 09:10–09:25, as the national one

"""Double booking is impossible, enforced by PostgreSQL: many workers at once, one winner."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connections, transaction

from accounts.models import User
from cases.models import Case
from piket.models import Consult
from piket.services.booking import SlotTaken, consult_book
from tests.cases.factories import register
from tests.piket.factories import QUESTION, area, key, make_shift

ATTEMPTS = 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_workers_booking_the_same_slot_at_once_get_one_consult(
    anna, bart, orgs_utrecht, utrecht
):
    shift = make_shift(utrecht, [bart])
    slot_key = key(shift).split("/", 1)[1]
    cases = [register(anna, orgs_utrecht["loket"], areas=("huurrecht",)) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS, timeout=20)
    results: list[tuple[str, object]] = []
    lock = threading.Lock()

    def attempt(case_pk: int) -> None:
        try:
            user = User.objects.get(pk=anna.pk)  # each thread its own objects and connection
            case = Case.objects.get(pk=case_pk)
            legal_area = area()
            barrier.wait()
            try:
                consult = consult_book(
                    user=user,
                    case=case,
                    legal_area=legal_area,
                    slot_key=slot_key,
                    question=QUESTION,
                    callback_number="030 123 45 67",
                )
                outcome = ("booked", consult.pk)
            except SlotTaken as taken:
                outcome = ("taken", taken.next_slots)
            except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
                outcome = ("error", repr(exc))
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(case.pk,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "deadlock: a booking never finished"

    outcomes = [kind for kind, _ in results]
    assert outcomes.count("error") == 0, [r for r in results if r[0] == "error"]
    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == ATTEMPTS - 1
    for kind, next_slots in results:
        if kind == "taken":
            assert next_slots, "a refused worker is offered the next free slots"
            assert all(slot.starts_at != shift.starts_at for slot in next_slots)
    occupying = Consult.objects.filter(
        advocaat=bart, starts_at=shift.starts_at, status=Consult.Status.BOOKED
    )
    assert occupying.count() == 1
    winner = occupying.get()
    assert Case.objects.get(pk=winner.case_id).status == Case.Status.WAITING
    assert Case.objects.filter(status=Case.Status.WAITING).count() == 1


@pytest.mark.django_db
def test_database_refuses_a_second_occupying_consult_until_the_first_is_cancelled(
    anna, bart, orgs_utrecht, utrecht
):
    shift = make_shift(utrecht, [bart])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))

    def create():
        return Consult.objects.create(
            shift=shift,
            advocaat=bart,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            case=case,
            legal_area=area(),
            booked_by=anna,
            question=QUESTION,
            callback_number="030 123 45 67",
        )

    first = create()
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
    first.status = Consult.Status.CANCELLED
    first.save(update_fields=["status"])
    second = create()
    assert Consult.objects.filter(status__in=("geboekt",)).get() == second


@pytest.mark.django_db
def test_a_booking_cancelled_by_a_deadlock_is_told_the_place_was_taken(
    anna, bart, orgs_utrecht, utrecht, monkeypatch
):
    """Two bookings checking the exclusion constraint at once can wait on each other; PostgreSQL
    cancels one (deadlock_detected): that worker gets the refusal with the next free places,
    not a server error."""
    from django.db import OperationalError
    from psycopg.errors import DeadlockDetected

    shift = make_shift(utrecht, [bart])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))

    def cancelled_by_postgres(self, *args, **kwargs):
        try:
            raise DeadlockDetected("deadlock detected")
        except DeadlockDetected as cause:
            raise OperationalError("deadlock detected") from cause

    monkeypatch.setattr(Consult, "save", cancelled_by_postgres)
    with pytest.raises(SlotTaken):
        consult_book(
            user=anna,
            case=case,
            legal_area=area(),
            slot_key=key(shift).split("/", 1)[1],
            question=QUESTION,
            callback_number="030 123 45 67",
        )
    assert not Consult.objects.exists()

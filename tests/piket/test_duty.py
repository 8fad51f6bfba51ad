"""Who is on duty: qualification, overlap (also under concurrency), capacity, caps and swaps."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from cases.models import AuditEntry
from piket.models import Assignment, Swap
from piket.services import duty
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    RosterFactory,
    ShiftFactory,
    advocaat_at,
    national_location,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift(utrecht):
    return ShiftFactory(roster=RosterFactory(location=utrecht, capacity=1))


@pytest.fixture
def qualified_bart(bart):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["huurrecht"])
    return bart


@pytest.fixture
def bram(utrecht, orgs_utrecht):
    advocaat = advocaat_at(utrecht, email="bram@example.org", full_name="Bram Vis")
    AdvocaatProfileFactory(advocaat=advocaat, legal_areas=["huurrecht"])
    return advocaat


def overlapping(shift, start=time(11), end=time(13)):
    roster = RosterFactory(
        location=shift.location, weekday=shift.roster.weekday, start_time=start, end_time=end
    )
    return ShiftFactory(roster=roster, date=shift.date)


def test_coordinator_assigns_a_qualified_advocaat(carla, qualified_bart, shift):
    assignment = duty.assignment_create(user=carla, shift=shift, advocaat=qualified_bart)

    assert assignment.assigned_by == carla
    assert AuditEntry.objects.filter(
        object_type="piket.Assignment", object_id=str(assignment.pk)
    ).exists()


def test_coordinator_of_another_location_may_not_assign(cor, qualified_bart, shift):
    with pytest.raises(PermissionDenied):
        duty.assignment_create(user=cor, shift=shift, advocaat=qualified_bart)


def test_any_coordinator_may_assign_to_a_national_shift(cor, qualified_bart):
    shift = ShiftFactory(roster=RosterFactory(location=national_location()))

    duty.assignment_create(user=cor, shift=shift, advocaat=qualified_bart)

    assert shift.assignments.filter(advocaat=qualified_bart).exists()


def test_advocaat_can_only_serve_legal_areas_they_cover(carla, bart, shift):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["arbeidsrecht"])

    with pytest.raises(ValidationError, match="dekt"):
        duty.assignment_create(user=carla, shift=shift, advocaat=bart)
    assert not Assignment.objects.exists()


def test_advocaat_without_profile_is_refused(carla, bart, shift):
    with pytest.raises(ValidationError, match="dekt"):
        duty.assignment_create(user=carla, shift=shift, advocaat=bart)


def test_advocaat_of_another_location_is_refused(carla, shift, amsterdam, orgs_amsterdam):
    other = advocaat_at(amsterdam)
    AdvocaatProfileFactory(advocaat=other)

    with pytest.raises(ValidationError, match="geen advocaat"):
        duty.assignment_create(user=carla, shift=shift, advocaat=other)


def test_a_first_line_worker_is_not_an_advocaat(carla, anna, shift):
    AdvocaatProfileFactory(advocaat=anna)

    with pytest.raises(ValidationError):
        duty.assignment_create(user=carla, shift=shift, advocaat=anna)


def test_advocaat_signs_up_for_an_open_shift(qualified_bart, shift):
    duty.shift_sign_up(user=qualified_bart, shift=shift)

    assert shift.assignments.get().advocaat == qualified_bart


def test_first_line_worker_may_not_sign_up(anna, shift):
    with pytest.raises(PermissionDenied):
        duty.shift_sign_up(user=anna, shift=shift)


def test_overlapping_shifts_are_refused(qualified_bart, shift):
    duty.shift_sign_up(user=qualified_bart, shift=shift)

    with pytest.raises(ValidationError, match="overlappen"):
        duty.shift_sign_up(user=qualified_bart, shift=overlapping(shift))
    assert Assignment.objects.count() == 1


def test_adjacent_shifts_do_not_overlap(qualified_bart, shift):
    duty.shift_sign_up(user=qualified_bart, shift=shift)  # 09:00-12:00

    duty.shift_sign_up(user=qualified_bart, shift=overlapping(shift, time(12), time(14)))

    assert Assignment.objects.count() == 2


def test_a_cancelled_shift_does_not_count_as_overlap(qualified_bart, shift):
    AssignmentFactory(shift=shift, advocaat=qualified_bart)
    shift.is_cancelled = True
    shift.save(update_fields=["is_cancelled"])

    duty.shift_sign_up(user=qualified_bart, shift=overlapping(shift))


def test_a_cancelled_or_past_shift_cannot_be_taken(qualified_bart, utrecht, shift):
    shift.is_cancelled = True
    shift.save(update_fields=["is_cancelled"])
    with pytest.raises(ValidationError, match="vervallen"):
        duty.shift_sign_up(user=qualified_bart, shift=shift)

    past = ShiftFactory(
        roster=RosterFactory(location=utrecht), date=timezone.localdate() - timedelta(days=7)
    )
    with pytest.raises(ValidationError, match="voorbij"):
        duty.shift_sign_up(user=qualified_bart, shift=past)


def test_capacity_is_not_exceeded(qualified_bart, bram, shift):
    duty.shift_sign_up(user=qualified_bart, shift=shift)

    with pytest.raises(ValidationError, match="vol"):
        duty.shift_sign_up(user=bram, shift=shift)


def test_weekly_cap(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, max_shifts_per_week=1)
    first = ShiftFactory(roster=RosterFactory(location=utrecht, weekday=1))
    duty.shift_sign_up(user=bart, shift=first)
    same_week = ShiftFactory(
        roster=RosterFactory(location=utrecht, weekday=3), date=first.date + timedelta(days=2)
    )

    with pytest.raises(ValidationError, match="deze week"):
        duty.shift_sign_up(user=bart, shift=same_week)


def test_monthly_cap(bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, max_shifts_per_week=5, max_shifts_per_month=1)
    month = (timezone.localdate().replace(day=1) + timedelta(days=62)).replace(day=1)
    tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
    first = ShiftFactory(roster=RosterFactory(location=utrecht, weekday=1), date=tuesday)
    AssignmentFactory(shift=first, advocaat=bart)
    wednesday = ShiftFactory(
        roster=RosterFactory(location=utrecht, weekday=2), date=tuesday + timedelta(days=1)
    )

    with pytest.raises(ValidationError, match="deze maand"):
        duty.shift_sign_up(user=bart, shift=wednesday)


def test_advocaat_signs_off_and_coordinator_removes(qualified_bart, carla, bram, shift):
    shift.capacity = 2
    shift.save(update_fields=["capacity"])
    own = duty.shift_sign_up(user=qualified_bart, shift=shift)
    other = duty.shift_sign_up(user=bram, shift=shift)

    duty.assignment_remove(user=qualified_bart, assignment=own)
    with pytest.raises(PermissionDenied):
        duty.assignment_remove(user=qualified_bart, assignment=other)
    duty.assignment_remove(user=carla, assignment=other)

    assert not Assignment.objects.exists()


def test_swap_moves_the_shift_to_the_colleague(qualified_bart, bram, shift):
    assignment = duty.shift_sign_up(user=qualified_bart, shift=shift)
    swap = duty.swap_offer(user=qualified_bart, assignment=assignment, to_advocaat=bram)

    with pytest.raises(PermissionDenied):
        duty.swap_accept(user=qualified_bart, swap=swap)
    duty.swap_accept(user=bram, swap=swap)

    assignment.refresh_from_db()
    swap.refresh_from_db()
    assert assignment.advocaat == bram
    assert swap.status == Swap.Status.ACCEPTED


def test_swap_to_an_unqualified_colleague_changes_nothing(qualified_bart, utrecht, shift):
    colleague = advocaat_at(utrecht, email="cees@example.org")
    AdvocaatProfileFactory(advocaat=colleague, legal_areas=["arbeidsrecht"])
    assignment = duty.shift_sign_up(user=qualified_bart, shift=shift)
    swap = duty.swap_offer(user=qualified_bart, assignment=assignment, to_advocaat=colleague)

    with pytest.raises(ValidationError, match="dekt"):
        duty.swap_accept(user=colleague, swap=swap)

    assignment.refresh_from_db()
    swap.refresh_from_db()
    assert assignment.advocaat == qualified_bart
    assert swap.status == Swap.Status.OFFERED


def test_swap_declined_and_only_one_open_offer(qualified_bart, bram, shift):
    assignment = duty.shift_sign_up(user=qualified_bart, shift=shift)
    swap = duty.swap_offer(user=qualified_bart, assignment=assignment, to_advocaat=bram)
    with pytest.raises(ValidationError, match="al aan een collega"):
        duty.swap_offer(user=qualified_bart, assignment=assignment, to_advocaat=bram)

    duty.swap_decline(user=bram, swap=swap)

    swap.refresh_from_db()
    assert swap.status == Swap.Status.DECLINED
    with pytest.raises(ValidationError, match="al gereageerd"):
        duty.swap_accept(user=bram, swap=swap)


def test_only_the_advocaat_on_duty_offers_a_swap(qualified_bart, bram, shift):
    assignment = duty.shift_sign_up(user=qualified_bart, shift=shift)

    with pytest.raises(PermissionDenied):
        duty.swap_offer(user=bram, assignment=assignment, to_advocaat=bram)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sign_ups_for_overlapping_shifts_cannot_both_pass(utrecht, orgs_utrecht):
    advocaat = advocaat_at(utrecht, email="snel@example.org")
    AdvocaatProfileFactory(advocaat=advocaat)
    first = ShiftFactory(roster=RosterFactory(location=utrecht))
    second = overlapping(first)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sign_up(shift_id):
        try:
            user = User.objects.get(pk=advocaat.pk)
            shift = type(first).objects.get(pk=shift_id)
            barrier.wait(timeout=5)
            duty.shift_sign_up(user=user, shift=shift)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(s.pk,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(results) == ["ok", "refused"]
    assert Assignment.objects.filter(advocaat=advocaat).count() == 1

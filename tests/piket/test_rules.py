"""Rules that cut across the piket: who may serve which consult, what the day view and the
mails may hold, and pages that must not fail on odd input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Role
from piket.models import AdvocaatProfile, Consult
from piket.selectors import free_slots
from tests.accounts.factories import member
from tests.piket.factories import area, book, make_shift


def test_an_advocaat_on_duty_serves_only_the_areas_they_cover(case, utrecht, orgs_utrecht, bart):
    other = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="arbeid@example.org")
    shift = make_shift(utrecht, [bart, other])
    profile = AdvocaatProfile.objects.get(advocaat=other)
    profile.legal_areas.clear()  # other covers nothing on this roster's area
    slots = free_slots(legal_area=area(), location=case.location, limit=200)
    assert slots and all(s.free_advocaten == (bart.pk,) for s in slots if s.shift == shift)
    consults = [book(case.registered_by, case, shift.starts_at) for _ in range(1)]
    assert consults[0].advocaat == bart


def test_the_day_view_leaves_out_slots_held_for_the_waitlist(login, bart, case, shift):
    consult = book(case.registered_by, case, shift.starts_at)
    Consult.objects.filter(pk=consult.pk).update(status=Consult.Status.OFFERED)
    day = shift.starts_at.date().isoformat()
    page = login(bart).get(f"/piket/vandaag/?dag={day}")
    assert page.status_code == 200
    assert case.number not in page.text


def test_moving_a_consult_through_the_page_works(login, anna, case, shift, mailoutbox):
    consult = book(anna, case, shift.starts_at)
    later = shift.starts_at + timedelta(minutes=40)
    key = next(
        s.key
        for s in free_slots(legal_area=area(), location=case.location, limit=200)
        if s.starts_at == later
    )
    response = login(anna).post(
        f"/piket/consult/{consult.pk}/verplaatsen/",
        {"slot": key, "reason": "Cliënt kan pas later."},
    )
    assert response.status_code == 302
    consult.refresh_from_db()
    assert consult.status == Consult.Status.MOVED
    assert Consult.objects.filter(case=case, starts_at=later, status=Consult.Status.BOOKED).exists()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc"])
def test_an_odd_month_on_the_capacity_page_is_no_error(login, carla, month):
    assert login(carla).get(f"/piket/capaciteit/?maand={month}").status_code == 200


def test_a_reveal_reason_with_personal_data_is_refused(login, anna, case):
    response = login(anna).post(
        f"/casussen/{case.number}/identiteit/inzien/", {"reason": "terugbellen op 06-12345678"}
    )
    assert response.status_code == 400
    assert "Piet Jansen" not in response.text


def test_the_not_reached_mail_has_no_calendar_file(case, shift, anna, mailoutbox):
    from piket.services import notifications

    consult = book(anna, case, shift.starts_at)
    Consult.objects.filter(pk=consult.pk).update(status=Consult.Status.NOT_REACHED)
    mailoutbox.clear()
    notifications.send_not_reached(consult_id=consult.pk)
    assert mailoutbox and all(not m.attachments for m in mailoutbox)

"""The waitlist: a freed slot is held for the first in line, expires, goes to the next."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from piket.models import Consult, WaitlistEntry
from piket.services import changes, waitlist
from tests.cases.factories import register
from tests.piket.factories import QUESTION, area, at, book, make_shift

DAY = date(2031, 3, 12)  # a Wednesday; every test runs at a frozen moment the day before


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at(DAY - timedelta(days=1), 12), tick=False)
    return time_machine


@pytest.fixture
def full_shift(frozen, anna, orgs_utrecht, utrecht, bart):
    """A shift of three slots, all booked by Anna for one case."""
    shift = make_shift(utrecht, [bart], day=DAY, start=time(10), end=time(11))
    case = register(anna, orgs_utrecht["loket"])
    consults = [book(anna, case, shift.starts_at + timedelta(minutes=20 * i)) for i in range(3)]
    return shift, consults


def join(user, case, **extra):
    data = {
        "legal_area": area(),
        "question": QUESTION,
        "callback_number": "030 765 43 21",
        "earliest": DAY,
        "latest": DAY + timedelta(days=2),
        **extra,
    }
    return waitlist.waitlist_join(user=user, case=case, **data)


@pytest.fixture
def line(full_shift, anna, ravi, orgs_utrecht):
    """Ravi is first in line, Anna (another case) second."""
    first = join(ravi, register(ravi, orgs_utrecht["raadslieden"]))
    second = join(anna, register(anna, orgs_utrecht["loket"]))
    return first, second


def test_joining_is_refused_while_a_slot_is_free(frozen, anna, orgs_utrecht, utrecht, bart):
    make_shift(utrecht, [bart], day=DAY)
    with pytest.raises(ValidationError, match="nog een tijdstip vrij"):
        join(anna, register(anna, orgs_utrecht["loket"]))


def test_joining_checks_the_period_and_the_legal_area(full_shift, anna, orgs_utrecht):
    case = register(anna, orgs_utrecht["loket"])
    with pytest.raises(ValidationError, match="einddatum"):
        join(anna, case, latest=DAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="vanaf vandaag"):
        join(anna, case, earliest=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="hoort niet bij"):
        join(anna, case, legal_area=area("arbeidsrecht"))
    with pytest.raises(ValidationError):
        join(anna, case, question="Bel Piet Jansen op 06-12345678")
    assert not WaitlistEntry.objects.exists()


def test_joining_needs_access_to_the_case(full_shift, eva, anna, orgs_utrecht):
    with pytest.raises(PermissionDenied):
        join(eva, register(anna, orgs_utrecht["loket"]))


def test_a_cancelled_slot_is_held_for_the_first_in_line(
    line, full_shift, anna, ravi, mailoutbox, settings, django_capture_on_commit_callbacks
):
    first, second = line
    _shift, consults = full_shift
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changes.consult_cancel(user=anna, consult=consults[1], reason="Opgelost")
    first.refresh_from_db()
    offer = first.offer
    assert first.status == WaitlistEntry.Status.OFFERED
    assert offer.status == Consult.Status.OFFERED and offer.starts_at == consults[1].starts_at
    assert offer.booked_by == ravi and offer.case == first.case
    assert offer.offer_expires_at == timezone.now() + timedelta(
        hours=settings.PIKET_WAITLIST_HOLD_HOURS
    )
    offer_mails = [m for m in mailoutbox if "Wachtlijst" in m.subject]
    assert [m.to[0] for m in offer_mails] == [ravi.email]
    assert QUESTION[:30] not in offer_mails[0].body
    second.refresh_from_db()
    assert second.status == WaitlistEntry.Status.WAITING


def test_an_expired_offer_goes_to_the_next_in_line(
    line, full_shift, anna, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = line
    _shift, consults = full_shift
    changes.consult_cancel(user=anna, consult=consults[1], reason="Opgelost")
    first.refresh_from_db()
    held = first.offer
    frozen.shift(timedelta(hours=3, minutes=59))
    assert waitlist.expire_offers() == 0
    frozen.shift(timedelta(minutes=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist.expire_offers() == 1
    held.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert held.status == Consult.Status.EXPIRED
    assert first.status == WaitlistEntry.Status.EXPIRED
    assert second.status == WaitlistEntry.Status.OFFERED
    assert second.offer.starts_at == held.starts_at and second.offer.booked_by == anna
    assert [m.to[0] for m in mailoutbox] == [anna.email]
    with pytest.raises(ValidationError, match="niet meer geldig"):
        waitlist.waitlist_accept(user=first.requested_by, entry=first)


def test_accepting_books_the_held_slot_and_confirms(
    line, full_shift, anna, ravi, bart, mailoutbox, django_capture_on_commit_callbacks
):
    first, _second = line
    _shift, consults = full_shift
    changes.consult_cancel(user=anna, consult=consults[0], reason="Opgelost")
    first.refresh_from_db()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consult = waitlist.waitlist_accept(user=ravi, entry=first)
    assert consult.status == Consult.Status.BOOKED and consult.offer_expires_at is None
    first.refresh_from_db()
    assert first.status == WaitlistEntry.Status.BOOKED
    assert sorted(m.to[0] for m in mailoutbox) == [bart.email, ravi.email]


def test_the_waitlist_page_lists_the_offer_with_an_accept_button(
    line, full_shift, anna, ravi, login
):
    first, _second = line
    changes.consult_cancel(user=anna, consult=full_shift[1][0], reason="Opgelost")
    client = login(ravi)
    page = client.get("/piket/wachtlijst/").content.decode()
    assert "Accepteren" in page and first.case.number in page
    response = client.post(f"/piket/wachtlijst/{first.pk}/accepteren/")
    first.refresh_from_db()
    assert response.status_code == 302 and first.status == WaitlistEntry.Status.BOOKED
    assert response["Location"] == f"/piket/consult/{first.offer_id}/"


def test_nobody_waiting_leaves_the_slot_free(full_shift, anna):
    _shift, consults = full_shift
    changes.consult_cancel(user=anna, consult=consults[2], reason="Opgelost")
    assert not Consult.objects.filter(status=Consult.Status.OFFERED).exists()


def test_an_advocaat_added_to_a_full_shift_serves_the_first_in_line(
    line, full_shift, carla, orgs_utrecht
):
    from accounts.models import Role
    from piket.models import AdvocaatProfile
    from piket.services import duty
    from tests.accounts.factories import member

    shift, _consults = full_shift
    first, second = line
    extra = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="extra@example.org")
    AdvocaatProfile.objects.create(advocaat=extra).legal_areas.add(area())
    shift.capacity = 2
    shift.save(update_fields=["capacity"])
    duty.assignment_create(user=carla, shift=shift, advocaat=extra)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistEntry.Status.OFFERED
    assert first.offer.advocaat == extra and first.offer.status == Consult.Status.OFFERED

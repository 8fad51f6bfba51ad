"""Changes to a booked consult: cancel and move up to the cut-off, held and no-show by the
advocaat, not reached by the worker, and the referral rule shown to both sides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from cases.models import AuditEntry
from piket import selectors
from piket.models import Consult, PiketRules
from piket.services import changes
from tests.accounts.factories import member
from tests.piket.factories import QUESTION, book, make_shift, slot_key


@pytest.fixture
def consult(anna, case, shift):
    return book(anna, case, shift.starts_at)


def before(consult, minutes):
    return consult.starts_at - timedelta(minutes=minutes)


def after(consult, minutes):
    return consult.starts_at + timedelta(minutes=minutes)


# ---------------------------------------------------------------- cancel


def test_the_worker_cancels_before_the_cutoff_and_both_sides_hear(
    anna, bart, consult, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.consult_cancel(
            user=anna, consult=consult, reason="Vraag is al opgelost", now=before(consult, 120)
        )
    consult.refresh_from_db()
    assert consult.status == Consult.Status.CANCELLED
    assert consult.change_reason == "Vraag is al opgelost"
    assert sorted(m.to[0] for m in mailoutbox) == [anna.email, bart.email]
    assert AuditEntry.objects.filter(object_id=str(consult.pk), reason__contains="opgelost")


def test_the_advocaat_may_cancel_too(bart, consult):
    changes.consult_cancel(user=bart, consult=consult, reason="Ziek", now=before(consult, 120))
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.CANCELLED


def test_cancelling_after_the_cutoff_is_refused_and_nothing_changes(anna, consult, settings):
    settings.PIKET_CANCEL_CUTOFF_MINUTES = 60
    with pytest.raises(ValidationError, match="tot 60 minuten voor het begin"):
        changes.consult_cancel(
            user=anna, consult=consult, reason="Te laat", now=before(consult, 59)
        )
    consult.refresh_from_db()
    assert consult.status == Consult.Status.BOOKED
    assert consult.change_reason == ""


def test_a_cancellation_needs_a_reason(anna, consult):
    with pytest.raises(ValidationError):
        changes.consult_cancel(user=anna, consult=consult, reason="  ", now=before(consult, 120))


def test_a_stranger_may_not_cancel(eva, consult):
    with pytest.raises(PermissionDenied):
        changes.consult_cancel(user=eva, consult=consult, reason="x", now=before(consult, 120))


def test_the_cancel_page_cancels(login, anna, consult):
    client = login(anna)
    response = client.post(f"/piket/consult/{consult.pk}/annuleren/", {"reason": "Opgelost"})
    assert response.status_code == 302
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.CANCELLED


def test_the_cancel_page_refuses_a_reason_with_personal_data(login, anna, consult):
    response = login(anna).post(
        f"/piket/consult/{consult.pk}/annuleren/", {"reason": "Bel 06-12345678 terug"}
    )
    assert response.status_code == 200
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.BOOKED


# ---------------------------------------------------------------- move


def test_moving_books_the_new_slot_and_frees_the_old(anna, consult, shift):
    new_start = shift.starts_at + timedelta(minutes=20)
    new = changes.consult_move(
        user=anna,
        consult=consult,
        slot_key=slot_key(consult.case, new_start),
        reason="Andere tijd past beter",
    )
    consult.refresh_from_db()
    assert consult.status == Consult.Status.MOVED
    assert new.status == Consult.Status.BOOKED and new.starts_at == new_start
    assert new.replaces_id == consult.pk and new.question == QUESTION


# ---------------------------------------------------------------- after the start


def test_the_advocaat_marks_held_after_the_start(bart, consult):
    with pytest.raises(ValidationError, match="nog niet begonnen"):
        changes.consult_mark_held(user=bart, consult=consult, now=before(consult, 5))
    changes.consult_mark_held(user=bart, consult=consult, now=after(consult, 10))
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.HELD


def test_only_the_advocaat_marks_held_or_no_show(anna, consult):
    with pytest.raises(PermissionDenied):
        changes.consult_mark_no_show(user=anna, consult=consult, now=after(consult, 10))


def test_the_advocaat_marks_no_show(bart, consult):
    changes.consult_mark_no_show(user=bart, consult=consult, now=after(consult, 10))
    assert Consult.objects.get(pk=consult.pk).status == Consult.Status.NO_SHOW


# ---------------------------------------------------------------- not reached


def test_not_reached_goes_to_another_advocaat_on_duty(
    anna, bart, case, utrecht, orgs_utrecht, mailoutbox, django_capture_on_commit_callbacks
):
    dirk = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="dirk@example.org")
    shift = make_shift(utrecht, [bart, dirk])
    consult = book(anna, case, shift.starts_at)
    assert consult.advocaat == bart or consult.advocaat == dirk
    with pytest.raises(ValidationError, match="minuten na het begin"):
        changes.consult_mark_not_reached(user=anna, consult=consult, now=after(consult, 5))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = changes.consult_mark_not_reached(user=anna, consult=consult, now=after(consult, 16))
    consult.refresh_from_db()
    assert consult.status == Consult.Status.NOT_REACHED
    assert new is not None and new.replaces_id == consult.pk
    assert new.advocaat != consult.advocaat and new.status == Consult.Status.BOOKED
    assert selectors.not_reached_counts() == {consult.advocaat_id: 1}
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert consult.advocaat.email in recipients and "carla@example.org" not in recipients


def test_not_reached_without_another_advocaat_alerts_the_coordinator(
    anna, bart, carla, consult, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = changes.consult_mark_not_reached(user=anna, consult=consult, now=after(consult, 16))
    assert new is None
    assert sorted(m.to[0] for m in mailoutbox) == [bart.email, carla.email]
    assert all("niet bereikt" in m.subject for m in mailoutbox)


def test_only_the_worker_side_marks_not_reached(bart, consult):
    with pytest.raises(PermissionDenied):
        changes.consult_mark_not_reached(user=bart, consult=consult, now=after(consult, 20))


# ---------------------------------------------------------------- pages and the referral rule


def test_the_consult_page_shows_the_question_to_the_advocaat_and_the_referral_rule(
    login, bart, consult
):
    page = login(bart).get(f"/piket/consult/{consult.pk}/").content.decode()
    assert QUESTION in page
    assert "030 123 45 67" in page
    assert "geen toevoeging" in page


def test_with_the_piket_rule_off_the_referral_rule_neither_applies_nor_shows(
    login, anna, bart, consult, case
):
    page = f"/piket/consult/{consult.pk}/"
    assert selectors.referral_rule_applies(case, bart)
    PiketRules.objects.update(no_toevoeging_after_consult=False)
    assert not selectors.referral_rule_applies(case, bart)
    for user in (bart, anna):
        text = login(user).get(page).text
        assert "geen toevoeging" not in text and "Doorverwijzen naar deze advocaat" not in text


def test_someone_else_gets_404_on_the_consult_page(login, eva, carla, consult):
    assert login(eva).get(f"/piket/consult/{consult.pk}/").status_code == 404
    assert login(carla).get(f"/piket/consult/{consult.pk}/").status_code == 404

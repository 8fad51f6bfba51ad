"""The advice of a piket consult: "Consult gehouden" leads straight to it; each consult keeps
its own advice per sub-problem (a second consult never overwrites the first's answers); advice
through the case stays apart; existing advice was linked to the advocaat's last held consult."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEntry, LegalArea, SecondLineAdvice
from piket.models import Consult, ConsultAdvice
from piket.services.advice import consult_advice_record
from tests.cases.factories import (
    CaseFactory,
    CaseUserPermissionFactory,
    SecondLineAdviceFactory,
    SubProblemFactory,
)
from tests.piket.factories import ConsultFactory, RosterFactory, ShiftFactory

pytestmark = pytest.mark.django_db

Occasion = SecondLineAdvice.Occasion


@pytest.fixture
def case(anna, bart, orgs_utrecht):
    """Anna's case with a huurrecht and an arbeidsrecht sub-problem; Bart may advise on it."""
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="arbeidsrecht"))
    CaseUserPermissionFactory(content_object=case, user=bart)
    return case


def past_consult(case, advocaat, *, days_ago: int = 1, status=Consult.Status.BOOKED) -> Consult:
    """A huurrecht consult of `advocaat` on `case` that started `days_ago` days ago."""
    shift = ShiftFactory(
        roster=RosterFactory(location=case.location),
        date=timezone.localdate() - timedelta(days=days_ago),
    )
    return ConsultFactory(
        shift=shift,
        advocaat=advocaat,
        case=case,
        booked_by=case.registered_by,
        subproblem=case.subproblems.get(position=1),
        status=status,
    )


def advice_fields(**overrides) -> dict:
    data = {
        "analysis": "Huurverhoging te hoog; bezwaar bij de huurcommissie kan nog.",
        "analysis_match": "deels",
        "referral_useful": "nee",
        "continuation": "terug",
        "certificate_otherwise": "ja",
        "feedback": [],
    }
    data.update(overrides)
    return data


def formset_data(count: int = 1, **fields) -> dict:
    data = {
        "advies-TOTAL_FORMS": str(count),
        "advies-INITIAL_FORMS": "0",
        "advies-MIN_NUM_FORMS": str(count),
        "advies-MAX_NUM_FORMS": str(count),
    }
    for i in range(count):
        data.update({f"advies-{i}-{k}": v for k, v in advice_fields(**fields).items()})
    return data


def advice_url(consult: Consult) -> str:
    return reverse("piket:consult_advice", args=[consult.pk])


# ---------------------------------------------------------------- held leads to the advice


def test_marking_a_consult_held_leads_straight_to_its_advice_form(login, bart, case):
    consult = past_consult(case, bart)
    client = login(bart)

    response = client.post(reverse("piket:consult_held", args=[consult.pk]))

    assert response.status_code == 302 and response.url == advice_url(consult)
    consult.refresh_from_db()
    assert consult.status == Consult.Status.HELD
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Advies na het piketconsult" in page.text
    assert "Deelprobleem 1: Huurrecht" in page.text
    assert "Arbeidsrecht" not in page.text  # the consult was about huurrecht


def test_a_failed_held_mark_stays_on_the_consult_page(login, bart, case):
    consult = past_consult(case, bart, days_ago=-1)  # still to come

    response = login(bart).post(reverse("piket:consult_held", args=[consult.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("piket:consult", args=[consult.pk])
    assert "Het consult is nog niet begonnen." in response.text


def test_the_advocaat_records_the_consults_advice_and_corrects_it(login, bart, case):
    consult = past_consult(case, bart, status=Consult.Status.HELD)
    client = login(bart)

    response = client.post(advice_url(consult), formset_data())

    assert response.status_code == 302
    assert response.url == reverse("piket:consult", args=[consult.pk])
    link = ConsultAdvice.objects.select_related("advice").get()
    assert link.consult == consult and link.subproblem.position == 1
    assert link.advice.occasion == Occasion.PIKET and link.advice.advocaat == bart
    assert link.advice.certificate_otherwise == "ja"
    assert AuditEntry.objects.get(action="advice").detail["occasion"] == "piket"

    assert "Huurverhoging te hoog" in client.get(advice_url(consult)).text  # shown again
    client.post(advice_url(consult), formset_data(certificate_otherwise="nee"))

    assert SecondLineAdvice.objects.get().certificate_otherwise == "nee"  # no second row
    assert ConsultAdvice.objects.count() == 1


def test_a_second_consult_keeps_its_own_advice(login, bart, case):
    first = past_consult(case, bart, days_ago=8, status=Consult.Status.HELD)
    second = past_consult(case, bart, days_ago=1, status=Consult.Status.HELD)
    client = login(bart)
    client.post(advice_url(first), formset_data(certificate_otherwise="nee"))

    page = client.get(advice_url(second))
    assert "Huurverhoging te hoog" not in page.text  # a fresh form, not the first's answers
    client.post(advice_url(second), formset_data(certificate_otherwise="ja"))

    answers = dict(ConsultAdvice.objects.values_list("consult_id", "advice__certificate_otherwise"))
    assert answers == {first.pk: "nee", second.pk: "ja"}


def test_advice_through_the_case_stays_apart_from_the_consults(login, bart, case):
    consult = past_consult(case, bart, status=Consult.Status.HELD)
    client = login(bart)
    client.post(advice_url(consult), formset_data(certificate_otherwise="ja"))

    page = client.get(reverse("cases:advice", args=[case.number, 1]))
    assert "Huurverhoging te hoog" not in page.text  # the case's form is not the consult's
    data = advice_fields(
        analysis="Na nader overleg: toch een advocaat.", certificate_otherwise="nee"
    )
    client.post(reverse("cases:advice", args=[case.number, 1]), data)

    occasions = set(SecondLineAdvice.objects.values_list("occasion", "certificate_otherwise"))
    assert occasions == {(Occasion.PIKET, "ja"), (Occasion.CONSULTATION, "nee")}
    assert ConsultAdvice.objects.get().advice.certificate_otherwise == "ja"


# ---------------------------------------------------------------- refusals


def test_a_consult_not_yet_held_takes_no_advice(login, bart, case):
    consult = past_consult(case, bart)
    client = login(bart)

    assert "als gehouden heeft gemarkeerd" in client.get(advice_url(consult)).text
    response = client.post(advice_url(consult), formset_data())

    assert response.status_code == 200
    assert "als gehouden heeft gemarkeerd" in response.text
    assert not SecondLineAdvice.objects.exists() and not ConsultAdvice.objects.exists()


def test_bad_advice_gets_a_dutch_message_and_saves_nothing(login, bart, case):
    consult = past_consult(case, bart, status=Consult.Status.HELD)

    response = login(bart).post(advice_url(consult), formset_data(analysis=""))

    assert response.status_code == 200
    assert "Vul uw juridische analyse in." in response.text
    assert not SecondLineAdvice.objects.exists() and not ConsultAdvice.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("bart", 200), ("anna", 403), ("ravi", 404), ("carla", 404), ("eva", 404), ("olga", 403)],
)
def test_only_the_consults_advocaat_records_its_advice(personas, login, case, persona, status):
    consult = past_consult(case, personas["bart"], status=Consult.Status.HELD)

    assert login(personas[persona]).get(advice_url(consult)).status_code == status


def test_the_service_refuses_another_advocaat_and_a_foreign_sub_problem(bart, case, orgs_utrecht):
    consult = past_consult(case, bart, status=Consult.Status.HELD)
    other = CaseFactory(organisation=orgs_utrecht["loket"])
    foreign = SubProblemFactory(case=other)
    arbeid = case.subproblems.get(position=2)  # not what the consult was about

    for sub in (foreign, arbeid):
        with pytest.raises(PermissionDenied):
            consult_advice_record(user=bart, consult=consult, advice=[(sub, advice_fields())])
    with pytest.raises(PermissionDenied):
        consult_advice_record(
            user=case.registered_by,
            consult=consult,
            advice=[(case.subproblems.get(position=1), advice_fields())],
        )
    with pytest.raises(ValidationError, match="Deelprobleem 1"):
        consult_advice_record(
            user=bart,
            consult=consult,
            advice=[(case.subproblems.get(position=1), advice_fields(analysis=""))],
        )
    assert not SecondLineAdvice.objects.exists()


def test_postgresql_refuses_to_link_advice_of_another_advocaat(bart, case):
    consult = past_consult(case, bart, status=Consult.Status.HELD)
    sub = case.subproblems.get(position=1)
    someone_else = SecondLineAdviceFactory(subproblem=sub, occasion=Occasion.PIKET)

    with pytest.raises(IntegrityError, match="piket_consultadvice_matches"):
        ConsultAdvice.objects.create(consult=consult, subproblem=sub, advice=someone_else)


def test_postgresql_keeps_one_advice_per_consult_and_sub_problem(bart, case):
    consult = past_consult(case, bart, status=Consult.Status.HELD)
    sub = case.subproblems.get(position=1)
    first, second = (
        SecondLineAdviceFactory(subproblem=sub, advocaat=bart, occasion=Occasion.PIKET)
        for _ in range(2)
    )
    ConsultAdvice.objects.create(consult=consult, subproblem=sub, advice=first)

    with pytest.raises(IntegrityError, match="consult_advice_once_per_subproblem"):
        ConsultAdvice.objects.create(consult=consult, subproblem=sub, advice=second)


# ---------------------------------------------------------------- existing advice


def test_existing_advice_is_linked_to_the_advocaats_last_held_consult(bart, case, orgs_utrecht):
    migration = importlib.import_module("piket.migrations.0003_consult_advice")
    older = past_consult(case, bart, days_ago=9, status=Consult.Status.HELD)
    latest = past_consult(case, bart, days_ago=2, status=Consult.Status.HELD)
    past_consult(case, bart, days_ago=1, status=Consult.Status.NO_SHOW)
    huur, arbeid = case.subproblems.order_by("position")
    on_huur = SecondLineAdviceFactory(subproblem=huur, advocaat=bart)
    on_arbeid = SecondLineAdviceFactory(subproblem=arbeid, advocaat=bart)
    without_consult = SecondLineAdviceFactory(
        subproblem=SubProblemFactory(case=CaseFactory(organisation=orgs_utrecht["loket"])),
        advocaat=bart,
    )

    migration.link_existing_advice(apps, None)

    links = dict(ConsultAdvice.objects.values_list("advice_id", "consult_id"))
    assert links == {on_huur.pk: latest.pk, on_arbeid.pk: latest.pk}
    assert older.pk not in links.values()
    without_consult.refresh_from_db()
    on_huur.refresh_from_db()
    assert (on_huur.occasion, without_consult.occasion) == (Occasion.PIKET, Occasion.CONSULTATION)

"""Signals: raised by anyone about a pattern (never a client), seen by their location, judged
and resolved by its coordinator; the automatic monthly signals from the second line's feedback
and the piket's not-reached counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from cases.models import SecondLineAdvice
from piket.models import Consult
from signalering import selectors, services
from signalering.models import Signal
from tests.accounts.factories import member
from tests.cases.factories import CaseFactory, SecondLineAdviceFactory, SubProblemFactory
from tests.piket.factories import ConsultFactory, RosterFactory, ShiftFactory
from tests.signalering.factories import SignalFactory

PATTERN = "Het UWV beantwoordt bezwaren over de WW pas na de wettelijke termijn."


def _form(**fields) -> dict:
    return {
        "kind": "bottleneck",
        "theme": "counterparty",
        "counterparty": "UWV",
        "description": PATTERN,
        "case_count": "4",
        **fields,
    }


def test_anyone_raises_a_signal_at_their_location(login, anna, utrecht, orgs_utrecht):
    data = _form(location=str(utrecht.pk), organisations=[orgs_utrecht["loket"].pk])
    response = login(anna).post(reverse("signalering:signal_new"), data)
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signalering:signal", args=[signal.pk])
    assert (signal.location, signal.raised_by, signal.kind) == (utrecht, anna, "bottleneck")
    assert (signal.counterparty, signal.case_count, signal.status) == ("UWV", 4, "open")
    assert list(signal.organisations.all()) == [orgs_utrecht["loket"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Cliënt belt steeds vanaf 06-12345678 over het UWV.", "telefoonnummer"),
        ("BSN 111222333 kreeg geen antwoord van het UWV.", "BSN"),
    ],
)
def test_client_data_in_a_signal_is_refused(login, anna, utrecht, text, message):
    response = login(anna).post(
        reverse("signalering:signal_new"), _form(location=str(utrecht.pk), description=text)
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Signal.objects.exists()


def test_a_name_is_questioned_until_confirmed_not_the_clients(login, anna, utrecht):
    client = login(anna)
    data = _form(location=str(utrecht.pk), description="Mevrouw Jansen van het UWV belt niet.")
    response = client.post(reverse("signalering:signal_new"), data)
    assert "lijkt een naam te bevatten" in response.text
    assert not Signal.objects.exists()
    client.post(reverse("signalering:signal_new"), {**data, "names_confirmed": "on"})
    assert Signal.objects.count() == 1


def test_a_signal_at_another_location_is_refused(anna, amsterdam):
    data = services.SignalData(kind="idea", theme="other", description=PATTERN, location=amsterdam)
    with pytest.raises(ValidationError, match="eigen locatie"):
        services.signal_raise(user=anna, data=data)
    assert not Signal.objects.exists()


def test_zelfredzaamheid_counts_the_people_refused(anna, utrecht):
    data = services.SignalData(
        kind="zelfredzaamheid", theme="other", description=PATTERN, location=utrecht
    )
    with pytest.raises(ValidationError, match="zelfredzaam"):
        services.signal_raise(user=anna, data=data)
    signal = services.signal_raise(
        user=anna,
        data=services.SignalData(**{**data.__dict__, "refused_count": 3}),
    )
    assert signal.refused_count == 3
    with pytest.raises(ValidationError, match="alleen bij een signaal over het"):
        services.signal_raise(
            user=anna,
            data=services.SignalData(**{**data.__dict__, "kind": "idea", "refused_count": 2}),
        )


def test_theme_needs_its_detail(anna, utrecht):
    data = services.SignalData(
        kind="idea", theme="legal_area", description=PATTERN, location=utrecht
    )
    with pytest.raises(ValidationError, match="rechtsgebied"):
        services.signal_raise(user=anna, data=data)


def test_the_backlog_shows_the_own_location_only(login, anna, utrecht, amsterdam, eva):
    own = SignalFactory(location=utrecht, description="Utrecht-signaal over de IND")
    SignalFactory(location=amsterdam, raised_by=eva, description="Amsterdam-signaal over DUO")
    response = login(anna).get(reverse("signalering:signals"))
    assert "Utrecht-signaal" in response.text
    assert "Amsterdam-signaal" not in response.text
    assert login(anna).get(reverse("signalering:signal", args=[own.pk])).status_code == 200
    other = Signal.objects.get(location=amsterdam)
    assert login(anna).get(reverse("signalering:signal", args=[other.pk])).status_code == 404


def test_the_backlog_filters(login, anna, utrecht):
    SignalFactory(location=utrecht, kind="idea", description="Idee-signaal")
    SignalFactory(location=utrecht, kind="bottleneck", description="Knelpunt-signaal")
    response = login(anna).get(reverse("signalering:signals"), {"kind": "idea"})
    assert "Idee-signaal" in response.text
    assert "Knelpunt-signaal" not in response.text


def test_the_backlog_costs_the_same_queries_for_more_signals(
    login, anna, utrecht, orgs_utrecht, django_assert_max_num_queries
):
    client = login(anna)
    for _ in range(2):
        SignalFactory(location=utrecht).organisations.add(orgs_utrecht["loket"])
    client.get(reverse("signalering:signals"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("signalering:signals"))
    for _ in range(12):
        SignalFactory(location=utrecht).organisations.add(orgs_utrecht["loket"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalering:signals"))


def test_national_signals_are_seen_by_coordinators_and_the_stuurgroep(anna, carla, cor, stef):
    national = SignalFactory(location=None)
    assert national in selectors.signals_visible_to(carla)
    assert national in selectors.signals_visible_to(cor)
    assert national in selectors.signals_visible_to(stef)
    assert national not in selectors.signals_visible_to(anna)


# ---------------------------------------------------------------- judged and resolved


def _feedback_signal(location) -> Signal:
    return SignalFactory(
        location=location,
        raised_by=None,
        kind="intake_feedback",
        source="intake_feedback",
        month=timezone.localdate().replace(day=1),
        source_code="te_laat",
    )


def test_the_coordinator_judges_and_resolves_feedback(login, carla, utrecht):
    signal = _feedback_signal(utrecht)
    client = login(carla)
    client.post(reverse("signalering:signal_judge", args=[signal.pk]), {"justified": "nee"})
    client.post(
        reverse("signalering:signal_resolve", args=[signal.pk]),
        {"resolution": "Afgesproken: intakes vermelden de termijn."},
    )
    signal.refresh_from_db()
    assert signal.justified is False
    assert signal.status == "resolved" and signal.resolved_at is not None
    assert signal.resolution == "Afgesproken: intakes vermelden de termijn."


def test_only_the_locations_coordinator_resolves(login, anna, cor, utrecht):
    signal = _feedback_signal(utrecht)
    url = reverse("signalering:signal_resolve", args=[signal.pk])
    assert login(anna).post(url, {"resolution": "Klaar."}).status_code == 403
    assert login(cor).post(url, {"resolution": "Klaar."}).status_code == 404
    signal.refresh_from_db()
    assert signal.status == "open"


def test_resolving_needs_a_text_and_happens_once(carla, utrecht):
    signal = _feedback_signal(utrecht)
    with pytest.raises(ValidationError, match="Beschrijf"):
        services.signal_resolve(user=carla, signal=signal, resolution="  ")
    services.signal_resolve(user=carla, signal=signal, resolution="Besproken.")
    with pytest.raises(ValidationError, match="al afgehandeld"):
        services.signal_resolve(user=carla, signal=signal, resolution="Nogmaals.")


def test_only_feedback_is_judged(carla, utrecht):
    signal = SignalFactory(location=utrecht)
    with pytest.raises(ValidationError, match="terugkoppeling"):
        services.signal_judge(user=carla, signal=signal, justified=True)
    signal.refresh_from_db()
    assert signal.justified is None


# ---------------------------------------------------------------- automatic signals


def _advice(organisation, feedback, advocaat=None):
    case = CaseFactory(organisation=organisation)
    extra = {"advocaat": advocaat} if advocaat else {}
    return SecondLineAdviceFactory(
        subproblem=SubProblemFactory(case=case), feedback=feedback, **extra
    )


def test_feedback_and_not_reached_arrive_as_monthly_signals_once(
    orgs_utrecht, orgs_amsterdam, utrecht, amsterdam
):
    codes = SecondLineAdvice.Feedback
    _advice(orgs_utrecht["loket"], [codes.TOO_LATE, codes.INCOMPLETE])
    _advice(orgs_utrecht["raadslieden"], [codes.TOO_LATE])
    _advice(orgs_amsterdam["loket"], [codes.NOT_LEGAL])
    month = timezone.localdate().replace(day=1)

    assert services.signals_generate_for_month(month=month) == 3
    assert services.signals_generate_for_month(month=month) == 0  # idempotent
    signals = {
        (s.location_id, s.source_code): s for s in Signal.objects.filter(source="intake_feedback")
    }
    assert {key: s.case_count for key, s in signals.items()} == {
        (utrecht.pk, "te_laat"): 2,
        (utrecht.pk, "feiten_onvolledig"): 1,
        (amsterdam.pk, "geen_juridisch_probleem"): 1,
    }
    late = signals[(utrecht.pk, "te_laat")]
    assert (late.kind, late.raised_by, late.month, late.status) == (
        "intake_feedback",
        None,
        month,
        "open",
    )

    _advice(orgs_utrecht["loket"], [codes.TOO_LATE])  # a late record: the count follows
    assert services.signals_generate_for_month(month=month) == 0
    late.refresh_from_db()
    assert late.case_count == 3


def test_not_reached_is_counted_per_location_never_per_advocaat(utrecht):
    roster = RosterFactory(location=utrecht)
    shift = ShiftFactory(roster=roster)
    first = ConsultFactory(shift=shift, status=Consult.Status.NOT_REACHED)
    second = ConsultFactory(shift=shift, minutes=30, status=Consult.Status.NOT_REACHED)
    ConsultFactory(shift=shift, minutes=60, status=Consult.Status.HELD)
    month = timezone.localtime(first.starts_at).date().replace(day=1)

    assert services.signals_generate_for_month(month=month) == 1
    assert services.signals_generate_for_month(month=month) == 0
    signal = Signal.objects.get(source="piket_not_reached")
    assert (signal.location, signal.case_count, signal.kind) == (utrecht, 2, "not_reached")
    assert "2 van de 3" in signal.description
    for advocaat in (first.advocaat, second.advocaat):
        assert advocaat.get_full_name() not in signal.description
        assert str(advocaat.pk) not in signal.source_code


def test_the_beat_task_makes_this_and_last_months_signals(orgs_utrecht):
    from signalering.tasks import generate_signals

    _advice(orgs_utrecht["loket"], [SecondLineAdvice.Feedback.EARLIER])
    assert generate_signals.delay().get() == 1
    assert generate_signals.delay().get() == 0


def test_a_coordinator_at_two_locations_sees_both_backlogs(
    utrecht, amsterdam, orgs_utrecht, orgs_amsterdam
):
    both = member("coordinator", orgs_amsterdam["loket"], email="twee@example.org")
    Membership.objects.create(user=both, organisation=orgs_utrecht["loket"], role="coordinator")
    SignalFactory(location=utrecht)
    SignalFactory(location=amsterdam)
    assert selectors.signals_visible_to(both).count() == 2

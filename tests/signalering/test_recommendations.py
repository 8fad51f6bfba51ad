"""The recommendations register: from a decision or directly, status changes against the
declared table with a history row, milestones and the answer, merge and split keeping the links,
the consent round of a location's three lines, CSV and XLSX, and who sees what."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership, Role
from signalering import selectors, services
from signalering.models import Recommendation, RecommendationChange
from tests.accounts.factories import member
from tests.signalering.factories import (
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    RecommendationFactory,
    SeriesFactory,
    SignalFactory,
)

Status, Level = Recommendation.Status, Recommendation.Level


def _data(**fields) -> services.RecommendationData:
    return services.RecommendationData(
        **{
            "title": "Vast aanspreekpunt bij het UWV",
            "text": "Maak per regio één aanspreekpunt bij het UWV voor de eerste lijn.",
            "addressee_kind": "organisation",
            "addressee_name": "UWV",
            **fields,
        }
    )


def _linked(location, text: str):
    """A local recommendation with a signal, a meeting and a decision of its own."""
    signal = SignalFactory(location=location, description=f"Signaal {text}")
    meeting = MeetingFactory(series=SeriesFactory(location=location))
    decision = DecisionFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, signal=signal), text=f"Besluit {text}"
    )
    recommendation = RecommendationFactory(location=location, title=text)
    recommendation.signals.add(signal)
    recommendation.meetings.add(meeting)
    recommendation.decisions.add(decision)
    return recommendation, signal, meeting, decision


@pytest.fixture
def both(orgs_utrecht, orgs_amsterdam):
    """A coordinator at Utrecht and Amsterdam (a regional coordinator)."""
    user = member(Role.COORDINATOR, orgs_utrecht["loket"], email="regio@example.org")
    Membership.objects.create(user=user, organisation=orgs_amsterdam["loket"], role="coordinator")
    return user


# ---------------------------------------------------------------- made, and its history


def test_a_coordinator_makes_a_local_recommendation(login, carla, utrecht):
    response = login(carla).post(
        reverse("signalering:recommendation_new"),
        {
            "title": "Vast aanspreekpunt bij het UWV",
            "text": "Maak één aanspreekpunt.",
            "level": "local",
            "location": utrecht.pk,
            "addressee_kind": "stuurgroep",
        },
    )
    recommendation = Recommendation.objects.get()
    assert response["Location"] == reverse("signalering:recommendation", args=[recommendation.pk])
    assert (recommendation.location, recommendation.status) == (utrecht, Status.DRAFT)
    assert list(recommendation.changes.values_list("what", flat=True)) == ["created"]


def test_a_decision_becomes_a_recommendation_with_its_links(login, carla, utrecht):
    signal = SignalFactory(location=utrecht)
    meeting = MeetingFactory(series=SeriesFactory(location=utrecht))
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, signal=signal))
    url = reverse("signalering:recommendation_from_decision", args=[decision.pk])
    client = login(carla)
    assert decision.text in client.get(url).text
    client.post(
        url,
        {
            "title": "Sneller naar de schuldhulp",
            "text": decision.text,
            "level": "local",
            "location": utrecht.pk,
            "addressee_kind": "organisation",
            "addressee_name": "Gemeente Utrecht",
        },
    )
    recommendation = Recommendation.objects.get()
    assert list(recommendation.decisions.all()) == [decision]
    assert list(recommendation.meetings.all()) == [meeting]
    assert list(recommendation.signals.all()) == [signal]


def test_a_decision_of_another_location_is_not_found(login, cor, utrecht):
    decision = DecisionFactory(
        agenda_item=AgendaItemFactory(
            meeting=MeetingFactory(series=SeriesFactory(location=utrecht))
        )
    )
    url = reverse("signalering:recommendation_from_decision", args=[decision.pk])
    assert login(cor).get(url).status_code == 404


def test_every_status_change_follows_the_table_and_leaves_a_history_row(carla, utrecht):
    for before in Status.values:
        for after in Status.values:
            recommendation = RecommendationFactory(location=utrecht, status=before)
            allowed = after in services.RECOMMENDATION_TRANSITIONS[before]
            try:
                services.recommendation_transition(
                    user=carla, recommendation=recommendation, status=after
                )
            except ValidationError as exc:
                assert not allowed, (before, after, exc.messages)
                assert "kan niet naar" in " ".join(exc.messages)
                recommendation.refresh_from_db()
                assert recommendation.status == before
                assert not recommendation.changes.exists()
            else:
                assert allowed, (before, after)
                recommendation.refresh_from_db()
                assert recommendation.status == after
                assert list(recommendation.changes.values_list("what", flat=True)) == ["status"]


def test_the_consent_round_is_for_local_recommendations_only(carla):
    national = RecommendationFactory(level=Level.NATIONAL, location=None)
    with pytest.raises(ValidationError, match="drie lijnen"):
        services.recommendation_transition(user=carla, recommendation=national, status="consent")


def test_the_status_form_refuses_a_jump_with_a_dutch_message(login, carla, utrecht):
    recommendation = RecommendationFactory(location=utrecht)
    client = login(carla)
    url = reverse("signalering:recommendation_status", args=[recommendation.pk])
    response = client.post(url, {"status": "implemented"}, follow=True)
    assert "kan niet naar" in response.text
    recommendation.refresh_from_db()
    assert recommendation.status == Status.DRAFT


def test_milestones_and_the_answer_are_recorded(carla, utrecht):
    recommendation = RecommendationFactory(location=utrecht, status=Status.SUBMITTED)
    milestone = services.recommendation_milestone_add(
        user=carla, recommendation=recommendation, description="Gesprek met het UWV", due_date=None
    )
    services.recommendation_milestone_done(
        user=carla, recommendation=recommendation, milestone_id=milestone.pk
    )
    services.recommendation_answer(
        user=carla, recommendation=recommendation, answer="Het UWV stelt een aanspreekpunt aan."
    )
    recommendation.refresh_from_db()
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    assert recommendation.status == Status.ANSWERED
    assert recommendation.answer == "Het UWV stelt een aanspreekpunt aan."
    assert list(recommendation.changes.values_list("what", flat=True)) == [
        "milestone",
        "milestone",
        "answer",
        "status",
    ]


def test_an_answer_before_submission_is_refused(carla, utrecht):
    recommendation = RecommendationFactory(location=utrecht)
    with pytest.raises(ValidationError, match="ingediend"):
        services.recommendation_answer(user=carla, recommendation=recommendation, answer="Ja.")


# ---------------------------------------------------------------- merge and split


def test_merge_and_split_keep_every_link(both, utrecht, amsterdam):
    first, s1, m1, d1 = _linked(utrecht, "Utrecht")
    second, s2, m2, d2 = _linked(amsterdam, "Amsterdam")
    merged = services.recommendation_merge(
        user=both, recommendations=[first, second], data=_data(level=Level.REGIONAL)
    )
    assert set(merged.signals.all()) == {s1, s2}
    assert set(merged.meetings.all()) == {m1, m2}
    assert set(merged.decisions.all()) == {d1, d2}
    assert set(merged.merged_from.all()) == {first, second}
    for source, signal in ((first, s1), (second, s2)):
        source.refresh_from_db()
        assert (source.status, source.merged_into) == (Status.MERGED, merged)
        assert list(source.signals.all()) == [signal]

    services.recommendation_split(user=both, recommendation=merged)
    assert not Recommendation.objects.filter(pk=merged.pk).exists()
    for source, signal, meeting, decision in ((first, s1, m1, d1), (second, s2, m2, d2)):
        source.refresh_from_db()
        assert (source.status, source.merged_into) == (Status.DRAFT, None)
        assert list(source.signals.all()) == [signal]
        assert list(source.meetings.all()) == [meeting]
        assert list(source.decisions.all()) == [decision]
        assert list(source.changes.values_list("what", flat=True)) == ["merged", "split"]


def test_merging_a_recommendation_with_itself_is_refused(both, utrecht):
    recommendation = RecommendationFactory(location=utrecht)
    with pytest.raises(ValidationError, match="niet met zichzelf"):
        services.recommendation_merge(
            user=both,
            recommendations=[recommendation, recommendation],
            data=_data(level="national"),
        )
    recommendation.refresh_from_db()
    assert recommendation.status == Status.DRAFT
    assert Recommendation.objects.count() == 1


def test_the_merge_form_refuses_the_same_recommendation_twice(login, both, utrecht):
    recommendation = RecommendationFactory(location=utrecht)
    response = login(both).post(
        reverse("signalering:recommendation_merge"),
        {
            "recommendations": [recommendation.pk, recommendation.pk],
            "title": "Samen",
            "text": "Samen sterker.",
            "level": "national",
            "addressee_kind": "stuurgroep",
        },
    )
    assert response.status_code == 200
    assert "niet met zichzelf" in response.text
    assert Recommendation.objects.count() == 1


def test_merging_needs_a_right_at_every_location(carla, utrecht, amsterdam):
    first, second = (
        RecommendationFactory(location=utrecht),
        RecommendationFactory(location=amsterdam),
    )
    with pytest.raises(PermissionDenied):
        services.recommendation_merge(
            user=carla, recommendations=[first, second], data=_data(level="regional")
        )
    assert Recommendation.objects.count() == 2


def test_a_merged_recommendation_is_not_merged_again(both, utrecht, amsterdam):
    first, second = (
        RecommendationFactory(location=utrecht),
        RecommendationFactory(location=amsterdam),
    )
    services.recommendation_merge(
        user=both, recommendations=[first, second], data=_data(level="regional")
    )
    third = RecommendationFactory(location=utrecht)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="al samengevoegd"):
        services.recommendation_merge(
            user=both, recommendations=[first, third], data=_data(level="national")
        )


# ---------------------------------------------------------------- the consent round


@pytest.fixture
def lines(carla, orgs_utrecht):
    """The coordinators of Utrecht's three lines (Carla is the Juridisch Loket's)."""
    return {
        "juridisch_loket": carla,
        "sociaal_raadslieden": member(
            Role.COORDINATOR, orgs_utrecht["raadslieden"], email="raad@example.org"
        ),
        "sociale_advocatuur": member(
            Role.COORDINATOR, orgs_utrecht["advocatuur"], email="advo@example.org"
        ),
    }


def test_a_recommendation_rises_once_all_three_lines_agreed(login, lines, utrecht):
    recommendation = RecommendationFactory(location=utrecht, status=Status.CONSENT)
    url = reverse("signalering:recommendation_consent", args=[recommendation.pk])
    login(lines["juridisch_loket"]).post(url, {"agreed": "ja"})
    login(lines["sociaal_raadslieden"]).post(url, {"agreed": "ja"})
    recommendation.refresh_from_db()
    assert (recommendation.level, recommendation.status) == (Level.LOCAL, Status.CONSENT)
    page = login(lines["sociaal_raadslieden"]).get(
        reverse("signalering:recommendation", args=[recommendation.pk])
    )
    assert "nog geen antwoord" in page.text and "akkoord" in page.text

    login(lines["sociale_advocatuur"]).post(url, {"agreed": "ja"})
    recommendation.refresh_from_db()
    assert (recommendation.level, recommendation.status) == (Level.NATIONAL, Status.SUBMITTED)
    assert set(recommendation.consents.values_list("line", flat=True)) == set(lines)


def test_one_line_disagreeing_keeps_it_local(lines, utrecht):
    recommendation = RecommendationFactory(location=utrecht, status=Status.CONSENT)
    for line, user in lines.items():
        services.recommendation_consent(
            user=user, recommendation=recommendation, agreed=line != "sociale_advocatuur"
        )
    recommendation.refresh_from_db()
    assert (recommendation.level, recommendation.status) == (Level.LOCAL, Status.CONSENT)


def test_only_a_lines_coordinator_at_the_location_consents(login, anna, cor, lines, utrecht):
    recommendation = RecommendationFactory(location=utrecht, status=Status.CONSENT)
    url = reverse("signalering:recommendation_consent", args=[recommendation.pk])
    assert login(anna).post(url, {"agreed": "ja"}).status_code == 403
    assert login(cor).post(url, {"agreed": "ja"}).status_code == 404
    assert not recommendation.consents.exists()


def test_no_consent_outside_a_round(lines, utrecht):
    recommendation = RecommendationFactory(location=utrecht)
    with pytest.raises(ValidationError, match="geen instemmingsronde"):
        services.recommendation_consent(
            user=lines["juridisch_loket"], recommendation=recommendation, agreed=True
        )


# ---------------------------------------------------------------- who sees what


def test_local_recommendations_for_the_location_national_ones_above(
    anna, carla, cor, eva, stef, utrecht
):
    local = RecommendationFactory(location=utrecht)
    national = RecommendationFactory(level=Level.NATIONAL, location=None)
    assert set(selectors.recommendations_visible_to(anna)) == {local}
    assert set(selectors.recommendations_visible_to(carla)) == {local, national}
    assert set(selectors.recommendations_visible_to(cor)) == {national}
    assert set(selectors.recommendations_visible_to(stef)) == {national}
    assert not selectors.recommendations_visible_to(eva).exists()


def test_the_stuurgroep_reads_a_national_recommendation_but_does_not_change_it(login, stef):
    national = RecommendationFactory(level=Level.NATIONAL, location=None)
    client = login(stef)
    assert client.get(reverse("signalering:recommendation", args=[national.pk])).status_code == 200
    url = reverse("signalering:recommendation_status", args=[national.pk])
    assert client.post(url, {"status": "submitted"}).status_code == 403


def test_signals_of_a_national_recommendation_are_readable_above_the_location(
    login, cor, anna, utrecht
):
    signal = SignalFactory(location=utrecht, description="Utrechts patroon bij de IND")
    national = RecommendationFactory(level=Level.NATIONAL, location=None)
    assert signal not in selectors.signals_visible_to(cor)
    national.signals.add(signal)
    assert signal in selectors.signals_visible_to(cor)
    local = RecommendationFactory(location=utrecht)
    other = SignalFactory(location=utrecht)
    local.signals.add(other)
    assert other not in selectors.signals_visible_to(cor)


def test_the_register_costs_the_same_queries_for_more_rows(
    login, carla, utrecht, django_assert_max_num_queries
):
    client = login(carla)
    for _ in range(2):
        _linked(utrecht, "a")
    client.get(reverse("signalering:recommendations"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("signalering:recommendations"))
    for _ in range(8):
        _linked(utrecht, "b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("signalering:recommendations"))


def test_the_detail_page_costs_the_same_queries_for_more_links(
    login, carla, utrecht, django_assert_max_num_queries
):
    recommendation, *_ = _linked(utrecht, "a")
    client = login(carla)
    url = reverse("signalering:recommendation", args=[recommendation.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        other, signal, meeting, decision = _linked(utrecht, "b")
        recommendation.signals.add(signal)
        recommendation.meetings.add(meeting)
        recommendation.decisions.add(decision)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# ---------------------------------------------------------------- CSV and XLSX


def test_the_register_exports_to_csv_and_xlsx(login, carla, utrecht, amsterdam):
    recommendation, signal, meeting, decision = _linked(utrecht, "Aanspreekpunt UWV")
    RecommendationFactory(location=amsterdam, title="Amsterdamse aanbeveling")
    client = login(carla)

    response = client.get(reverse("signalering:recommendations_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *body = rows
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["Titel"] == "Aanspreekpunt UWV"
    assert row["Locatie"] == "Utrecht"
    assert row["Signalen"] == str(signal.pk)
    assert row["Besluiten"] == str(decision.pk)
    assert row["Overleggen (maand)"] == meeting.month.strftime("%Y-%m")

    response = client.get(reverse("signalering:recommendations_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0] == header
    assert len(values) == 2
    assert values[1][header.index("Titel")] == "Aanspreekpunt UWV"
    assert values[1][header.index("Status")] == "Concept"


def test_a_formula_in_a_title_is_not_a_formula_in_the_csv(login, carla, utrecht):
    RecommendationFactory(location=utrecht, title="=SOM(A1:A9)")
    response = login(carla).get(reverse("signalering:recommendations_csv"))
    assert "'=SOM(A1:A9)" in response.content.decode("utf-8-sig")


def test_every_change_has_a_history_row(both, utrecht, amsterdam):
    first, second = (
        RecommendationFactory(location=utrecht),
        RecommendationFactory(location=amsterdam),
    )
    merged = services.recommendation_merge(
        user=both, recommendations=[first, second], data=_data(level="national")
    )
    assert set(
        RecommendationChange.objects.filter(recommendation=merged).values_list("what", flat=True)
    ) == {"created", "merged"}


def test_a_signal_becomes_a_recommendation_linked_to_it(login, carla, anna, utrecht):
    signal = SignalFactory(location=utrecht)
    url = reverse("signalering:recommendation_new") + f"?signaal={signal.pk}"
    assert signal.description in login(carla).get(url).text
    login(carla).post(
        url,
        {
            "title": "Sneller antwoord van het UWV",
            "text": "Spreek een termijn af.",
            "level": "local",
            "location": utrecht.pk,
            "addressee_kind": "organisation",
        },
    )
    assert list(Recommendation.objects.get().signals.all()) == [signal]
    assert login(anna).get(url).status_code == 403


def test_another_locations_signal_is_not_found_for_a_recommendation(login, cor, utrecht):
    signal = SignalFactory(location=utrecht)
    url = reverse("signalering:recommendation_new") + f"?signaal={signal.pk}"
    assert login(cor).get(url).status_code == 404

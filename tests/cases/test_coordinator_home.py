"""The cases app's cards on the coordinator's home page: warm handovers waiting for an answer
at their location (counts, no case), and the sociale-kaart entries they maintain that are due
for a check; in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Location
from cases.models import Handover
from tests.accounts.factories import OrganisationFactory
from tests.cases.factories import CaseFactory, HandoverFactory, SocialMapEntryFactory

pytestmark = pytest.mark.django_db

HANDOVERS = ">Overdrachten</h2>"
SOCIALEKAART = ">Sociale kaart</h2>"


def card(response, title: str) -> dict:
    return next(c for c in response.context["cards"] if c["title"] == title)["context"]


def long_ago(months: int = 12):
    return timezone.localdate() - timedelta(days=31 * months)


@pytest.fixture
def national(db) -> Location:
    return Location.objects.get_or_create(
        is_national=True, defaults={"name": "Landelijk", "slug": "landelijk"}
    )[0]


# ---------------------------------------------------------------- handovers


def test_coordinator_sees_the_handovers_waiting_at_their_location(
    login, carla, orgs_utrecht, orgs_amsterdam
):
    utrecht_case = CaseFactory(organisation=orgs_utrecht["loket"])
    amsterdam_case = CaseFactory(organisation=orgs_amsterdam["loket"])
    sent = HandoverFactory(case=utrecht_case, to_organisation=orgs_amsterdam["raadslieden"])
    HandoverFactory(case=amsterdam_case, to_organisation=orgs_utrecht["raadslieden"])  # received
    HandoverFactory(case=utrecht_case, to_organisation=orgs_utrecht["advocatuur"])  # both
    HandoverFactory(
        case=utrecht_case,
        to_organisation=orgs_utrecht["bureau"],
        status=Handover.Status.ACCEPTED,
    )
    HandoverFactory(case=amsterdam_case, to_organisation=orgs_amsterdam["advocatuur"])

    response = login(carla).get("/")

    counts = card(response, "Overdrachten")
    assert (counts["received"], counts["sent"]) == (2, 2)
    assert counts["oldest"] == sent.created_at
    text = response.content.decode()
    assert HANDOVERS in text
    assert "2 wachten bij organisaties van uw locatie" in text
    assert "2 verstuurd vanuit uw locatie wachten op antwoord" in text
    assert utrecht_case.number not in text and amsterdam_case.number not in text


def test_no_handovers_waiting_says_so(login, cor):
    response = login(cor).get("/")
    assert "Er wachten geen overdrachten op antwoord." in response.content.decode()


# ---------------------------------------------------------------- sociale kaart


def test_coordinator_sees_the_entries_due_for_a_check(login, carla, utrecht, amsterdam, national):
    oldest = SocialMapEntryFactory(
        location=utrecht, name="Schuldhulp Oud", last_checked_on=long_ago(14)
    )
    landelijk = SocialMapEntryFactory(
        location=national, name="Landelijke lijn", last_checked_on=long_ago()
    )
    SocialMapEntryFactory(location=utrecht, name="Net gecontroleerd")
    SocialMapEntryFactory(location=amsterdam, name="Amsterdams loket", last_checked_on=long_ago())
    SocialMapEntryFactory(
        location=utrecht, name="Opgeheven", last_checked_on=long_ago(), is_active=False
    )

    response = login(carla).get("/")

    due = card(response, "Sociale kaart")
    assert due["count"] == 2
    assert due["entries"] == [oldest, landelijk]
    text = response.content.decode()
    assert "2 vermeldingen zijn aan een controle toe:" in text
    assert f'href="/casussen/sociale-kaart/{oldest.pk}/"' in text
    assert "Amsterdams loket" not in text


def test_a_long_list_links_to_all_entries_due(login, carla, utrecht):
    for i in range(7):
        SocialMapEntryFactory(location=utrecht, last_checked_on=long_ago() - timedelta(days=i))
    response = login(carla).get("/")
    assert len(card(response, "Sociale kaart")["entries"]) == 5
    assert 'href="/casussen/sociale-kaart/?stale_only=on"' in response.content.decode()


@pytest.mark.parametrize("persona", ["anna", "bart", "olga", "bea"])
def test_other_roles_get_neither_card(personas, login, persona):
    text = login(personas[persona]).get("/").content.decode()
    assert HANDOVERS not in text and SOCIALEKAART not in text


def test_the_cards_queries_do_not_grow(login, carla, utrecht, orgs_utrecht, orgs_amsterdam):
    client = login(carla)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    SocialMapEntryFactory(location=utrecht, last_checked_on=long_ago())
    HandoverFactory(
        case=CaseFactory(organisation=orgs_utrecht["loket"]),
        to_organisation=orgs_amsterdam["loket"],
    )
    few = count()
    for i in range(6):
        SocialMapEntryFactory(location=utrecht, last_checked_on=long_ago() - timedelta(days=i))
        HandoverFactory(
            case=CaseFactory(organisation=orgs_amsterdam["loket"]),
            to_organisation=OrganisationFactory(location=utrecht),
        )
    assert count() == few

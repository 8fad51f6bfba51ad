"""Provenance: a recommendation of the signaleringsoverleg becomes a proposal in one step, and
the entry and the recommendation link to each other."""

from __future__ import annotations

from django.urls import reverse

from bestpractices.models import Entry
from cases.models import LegalArea
from tests.signalering.factories import (
    MeetingFactory,
    RecommendationFactory,
    SeriesFactory,
    SignalFactory,
)


def _recommendation(location, legal_area=None):
    recommendation = RecommendationFactory(
        location=location, title="Vaste contactpersoon bij UWV", text="Spreek per locatie af."
    )
    signal = SignalFactory(location=location, legal_area=legal_area)
    meeting = MeetingFactory(series=SeriesFactory(location=location))
    recommendation.signals.add(signal)
    recommendation.meetings.add(meeting)
    return recommendation, signal, meeting


def test_a_recommendation_becomes_an_idea_linked_to_where_it_came_from(client, anna, utrecht):
    huur = LegalArea.objects.get(slug="huurrecht")
    recommendation, signal, meeting = _recommendation(utrecht, legal_area=huur)
    client.force_login(anna)
    url = reverse("bestpractices:propose_from_recommendation", args=[recommendation.pk])
    response = client.post(url)
    entry = Entry.objects.get(recommendations=recommendation)
    assert response.status_code == 302 and response.url == reverse(
        "bestpractices:entry", args=[entry.slug]
    )
    assert entry.status == Entry.Status.IDEA and entry.author == anna
    assert entry.title == "Vaste contactpersoon bij UWV"
    assert list(entry.signals.all()) == [signal] and list(entry.meetings.all()) == [meeting]
    assert list(entry.legal_areas.all()) == [huur]
    page = client.get(response.url).content.decode()
    assert reverse("signalering:recommendation", args=[recommendation.pk]) in page
    assert reverse("signalering:signal", args=[signal.pk]) in page


def test_the_recommendation_page_shows_the_entry_and_offers_a_proposal(client, anna, utrecht):
    recommendation, _signal, _meeting = _recommendation(utrecht)
    client.force_login(anna)
    page = client.get(reverse("signalering:recommendation", args=[recommendation.pk]))
    propose = reverse("bestpractices:propose_from_recommendation", args=[recommendation.pk])
    assert propose in page.content.decode()
    client.post(propose)
    entry = Entry.objects.get(recommendations=recommendation)
    page = client.get(reverse("signalering:recommendation", args=[recommendation.pk]))
    assert reverse("bestpractices:entry", args=[entry.slug]) in page.content.decode()


def test_a_recommendation_of_another_location_is_not_found(client, eva, utrecht):
    recommendation, _signal, _meeting = _recommendation(utrecht)
    client.force_login(eva)
    url = reverse("bestpractices:propose_from_recommendation", args=[recommendation.pk])
    assert client.post(url).status_code == 404
    assert not Entry.objects.exists()


def test_provenance_the_reader_may_not_see_is_left_out(client, eva, amsterdam, utrecht):
    recommendation, signal, _meeting = _recommendation(utrecht)
    entry = Entry.objects.create(
        kind=Entry.Kind.WAY_OF_WORKING,
        slug="uit-utrecht",
        title="Uit Utrecht",
        status=Entry.Status.DRAFT,
        author=eva,
        owner=eva,
    )
    entry.signals.add(signal)
    client.force_login(eva)
    page = client.get(reverse("bestpractices:entry", args=[entry.slug])).content.decode()
    assert reverse("signalering:signal", args=[signal.pk]) not in page


def test_every_readable_entry_has_a_print_page_and_a_pdf(client, anna, utrecht):
    import io

    from pypdf import PdfReader

    entry = Entry.objects.create(
        kind=Entry.Kind.WAY_OF_WORKING,
        slug="concept-huur",
        title="Huurachterstand vroeg signaleren",
        body="Bel de **verhuurder** binnen een week.",
        status=Entry.Status.DRAFT,
        author=anna,
        owner=anna,
    )
    client.force_login(anna)
    page = client.get(reverse("bestpractices:entry", args=[entry.slug])).content.decode()
    assert reverse("bestpractices:pdf", args=[entry.slug]) in page
    printed = client.get(reverse("bestpractices:print", args=[entry.slug])).content.decode()
    assert "<strong>verhuurder</strong>" in printed
    response = client.get(reverse("bestpractices:pdf", args=[entry.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Huurachterstand vroeg signaleren" in text and "verhuurder" in text
    # the public address still knows nothing of a draft
    assert client.get(reverse("praktijk:pdf", args=[entry.slug])).status_code == 404

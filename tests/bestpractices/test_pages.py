"""The library's pages through the test client: propose, edit, the entry page at every status,
the workflow's actions with and without htmx, and bad input (a clear message, never a 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bestpractices.models import Endorsement, Entry, Feedback, Follow, Revision, TaskRow
from tests.bestpractices.factories import (
    EndorsementFactory,
    EntryFactory,
    RevisionFactory,
    adopted_entry,
)
from tests.cases.factories import LegalAreaFactory

S = Entry.Status


def entry_url(entry, name="entry"):
    return reverse(f"bestpractices:{name}", args=[entry.slug])


def test_a_participant_proposes_an_idea_and_follows_it(login, anna):
    area = LegalAreaFactory(slug="huurrecht")
    response = login(anna).post(
        reverse("bestpractices:propose"),
        {
            "kind": "way_of_working",
            "title": "Samen bellen met de verhuurder",
            "summary": "Bel samen.",
            "body": "## Aanpak\n\nBel samen.",
            "legal_areas": [area.pk],
            "audience": "both",
            "tags": "huur, Verhuurder , huur",
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302 and response.url == entry_url(entry)
    assert entry.status == S.IDEA and entry.author == anna and entry.owner == anna
    assert entry.tags == ["huur", "verhuurder"]
    assert entry.current_revision.number == 1
    assert Follow.objects.filter(entry=entry, user=anna).exists()


@pytest.mark.parametrize("status", list(S))
def test_the_entry_page_shows_at_every_status(login, carla, status):
    entry = EntryFactory(status=status)
    response = login(carla).get(entry_url(entry))
    assert response.status_code == 200
    assert entry.title in response.text


def test_a_researcher_reads_adopted_entries_only(login, olga):
    adopted = adopted_entry()
    draft = EntryFactory(status=S.CONSULTATION)
    client = login(olga)
    assert client.get(entry_url(adopted)).status_code == 200
    assert client.get(entry_url(draft)).status_code == 404
    listing = client.get(reverse("bestpractices:library"))
    assert adopted.title in listing.text and draft.title not in listing.text


def test_the_library_filters_and_asks_a_fixed_number_of_queries(
    login, anna, django_assert_max_num_queries
):
    area = LegalAreaFactory(slug="huurrecht")
    for _ in range(3):
        adopted_entry()
    other = EntryFactory(status=S.DRAFT, kind=Entry.Kind.MODEL_TEXT)
    client = login(anna)
    client.get(reverse("bestpractices:library"))  # warm the session's own queries
    with django_assert_max_num_queries(12):
        client.get(reverse("bestpractices:library"))
    for _ in range(10):
        adopted_entry()
    with django_assert_max_num_queries(12):
        client.get(reverse("bestpractices:library"))
    filtered = client.get(reverse("bestpractices:library"), {"legal_area": area.pk})
    assert other.title not in filtered.text
    by_kind = client.get(reverse("bestpractices:library"), {"kind": "model_text"})
    assert other.title in by_kind.text


def test_endorsing_with_htmx_returns_the_support_section(login, anna, orgs_utrecht):
    entry = EntryFactory(status=S.CONSULTATION)
    response = login(anna).post(
        entry_url(entry, "endorse"),
        {"organisation": orgs_utrecht["loket"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="steun"' in response.text and orgs_utrecht["loket"].name in response.text
    assert Endorsement.objects.get(entry=entry).endorsed_by == anna


def test_endorsing_for_another_organisation_is_refused_in_dutch(login, anna, orgs_utrecht):
    entry = EntryFactory(status=S.CONSULTATION)
    client = login(anna)
    response = client.post(
        entry_url(entry, "endorse"), {"organisation": orgs_utrecht["advocatuur"].pk}, follow=True
    )
    assert response.status_code == 200
    assert "namens een organisatie waar u lid van bent" in response.text
    assert not Endorsement.objects.exists()


def test_follow_and_feedback_work_without_javascript(login, ravi):
    entry = adopted_entry()
    client = login(ravi)
    assert client.post(entry_url(entry, "follow"), {"follow": "on"}).status_code == 302
    assert Follow.objects.filter(entry=entry, user=ravi).exists()
    client.post(entry_url(entry, "follow"), {"follow": ""})
    assert not Follow.objects.filter(entry=entry, user=ravi).exists()
    client.post(entry_url(entry, "feedback"), {"helpful": "nee"})
    client.post(entry_url(entry, "feedback"), {"helpful": "ja"})
    assert Feedback.objects.get(entry=entry, user=ravi).helpful is True
    partial = client.post(entry_url(entry, "feedback"), {"helpful": "x"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and 'id="nuttig"' in partial.text


def test_the_editor_previews_without_javascript_and_saves_a_revision(login, anna):
    entry = EntryFactory(status=S.DRAFT, author=anna)
    client = login(anna)
    data = {
        "kind": entry.kind,
        "title": entry.title,
        "summary": entry.summary,
        "body": "## Nieuw\n\n<script>alert(1)</script>",
        "audience": "both",
        "owner": anna.pk,
        "note": "Een kop toegevoegd",
    }
    preview = client.post(entry_url(entry, "edit"), {**data, "preview": "1"})
    assert preview.status_code == 200
    assert "<h2>Nieuw</h2>" in preview.text and "<script>alert" not in preview.text
    assert entry.revisions.count() == 1
    assert client.post(entry_url(entry, "edit"), data).status_code == 302
    entry.refresh_from_db()
    assert (
        entry.current_revision.number == 2 and entry.current_revision.note == "Een kop toegevoegd"
    )
    htmx = client.post(reverse("bestpractices:preview"), {"body": "**vet**"})
    assert "<strong>vet</strong>" in htmx.text


def test_someone_else_may_not_edit_a_draft(login, ravi):
    entry = EntryFactory(status=S.DRAFT)
    assert login(ravi).get(entry_url(entry, "edit")).status_code == 403


def test_task_rows_are_edited_as_a_formset(login, carla):
    entry = EntryFactory(status=S.DRAFT, kind=Entry.Kind.TASK_DIVISION, author=carla)
    area = LegalAreaFactory(slug="huurrecht")
    quality = adopted_entry(kind=Entry.Kind.QUALITY_REQUIREMENT)
    client = login(carla)
    assert client.get(entry_url(entry, "task_rows")).status_code == 200
    data = {
        "rij-TOTAL_FORMS": "2",
        "rij-INITIAL_FORMS": "0",
        "rij-MIN_NUM_FORMS": "0",
        "rij-MAX_NUM_FORMS": "60",
        "rij-0-legal_area": area.pk,
        "rij-0-first_line_can": "Uitleg geven over de huurverhoging.",
        "rij-0-second_line_when": "Bij een dagvaarding.",
        "rij-0-quality_requirements": [quality.pk],
    }
    assert client.post(entry_url(entry, "task_rows"), data).status_code == 302
    row = TaskRow.objects.get(entry=entry)
    assert list(row.quality_requirements.all()) == [quality]
    page = client.get(entry_url(entry))
    assert "Bij een dagvaarding." in page.text


def test_a_variant_shows_what_differs_from_the_national_entry(login, anna, utrecht):
    national = adopted_entry(body="Bel binnen een week.")
    client = login(anna)
    response = client.post(entry_url(national, "variant"), {"location": utrecht.pk})
    variant = Entry.objects.get(parent=national)
    assert response.status_code == 302 and variant.variant_location == utrecht
    data = {
        "kind": variant.kind,
        "title": variant.title,
        "summary": variant.summary,
        "body": "Bel binnen drie dagen.",
        "audience": "both",
        "owner": anna.pk,
    }
    client.post(entry_url(variant, "edit"), data)
    page = client.get(entry_url(variant))
    assert "Bel binnen drie dagen." in page.text
    assert "<del" in page.text and "<ins" in page.text


BAD_INPUT = [
    ("diff", "get", {"van": "abc", "naar": "999999999999999999999"}),
    ("diff", "get", {"van": "-1"}),
    ("restore", "post", {"revision": "abc"}),
    ("restore", "post", {"revision": ""}),
    ("transition", "post", {"stap-to": "onzin"}),
    ("transition", "post", {"stap-to": "adopted", "stap-review_by": "gisteren"}),
    ("endorse", "post", {"organisation": "999999"}),
    ("comment", "post", {"text": ""}),
    ("review", "post", {"outcome": "onzin"}),
    ("feedback", "post", {"helpful": "misschien"}),
    ("variant", "post", {"location": "abc"}),
    ("task_rows", "post", {"rij-TOTAL_FORMS": "x"}),
]


@pytest.mark.parametrize(("name", "method", "data"), BAD_INPUT)
def test_bad_input_never_gives_a_server_error(login, carla, anna, name, method, data):
    kind = Entry.Kind.TASK_DIVISION if name == "task_rows" else Entry.Kind.WAY_OF_WORKING
    entry = EntryFactory(status=S.CONSULTATION, author=anna, kind=kind)
    RevisionFactory(entry=entry)
    client = login(carla)
    response = getattr(client, method)(entry_url(entry, name), data)
    assert response.status_code < 500


def test_restoring_a_revision_of_another_entry_is_refused(login, anna):
    entry = EntryFactory(status=S.DRAFT, author=anna)
    other = EntryFactory(status=S.DRAFT, author=anna)
    foreign = RevisionFactory(entry=other)
    response = login(anna).post(entry_url(entry, "restore"), {"revision": foreign.pk}, follow=True)
    assert "hoort niet bij dit praktijkvoorbeeld" in response.text
    assert Revision.objects.filter(entry=entry).count() == 1


def test_the_reviewer_dashboard_lists_consultation_and_overdue(login, carla, time_machine):
    waiting = EntryFactory(status=S.CONSULTATION)
    EndorsementFactory(entry=waiting)
    overdue = adopted_entry()
    Entry.objects.filter(pk=overdue.pk).update(review_by="2020-01-01")
    response = login(carla).get(reverse("bestpractices:dashboard"))
    assert waiting.title in response.text and overdue.title in response.text


def test_subscriptions_save_legal_areas_and_the_digest(login, anna):
    from bestpractices.models import DigestSubscription, LegalAreaFollow

    area = LegalAreaFactory(slug="huurrecht")
    client = login(anna)
    client.post(reverse("bestpractices:subscriptions"), {"legal_areas": [area.pk], "digest": "on"})
    assert LegalAreaFollow.objects.filter(user=anna, legal_area=area).exists()
    assert DigestSubscription.objects.filter(user=anna).exists()
    client.post(reverse("bestpractices:subscriptions"), {})
    assert not DigestSubscription.objects.filter(user=anna).exists()
    assert client.get(reverse("bestpractices:subscriptions")).status_code == 200


def test_an_invalid_review_date_on_adoption_is_explained(login, anna, carla, orgs_utrecht):
    entry = EntryFactory(status=S.CONSULTATION, author=anna)
    for key in ("loket", "raadslieden", "advocatuur"):
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key])
    response = login(carla).post(
        entry_url(entry, "transition"),
        {"stap-to": "adopted", "stap-review_by": "gisteren"},
        follow=True,
    )
    assert "Vul een geldige datum in." in response.text
    entry.refresh_from_db()
    assert entry.status == S.CONSULTATION

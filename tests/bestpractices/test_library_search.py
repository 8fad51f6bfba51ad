"""The library's `q`: ranked and highlighted, combined with the filters; bad input never fails."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bestpractices.models import Entry
from cases.models import LegalArea
from tests.bestpractices.factories import EntryFactory, SynonymFactory, adopted_entry

LIBRARY = "/bibliotheek/"


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [entry.title for entry in response.context["page"].object_list]


def test_search_finds_and_highlights(login, anna):
    adopted_entry(title="Aanpak", summary="", body="Alle huurders krijgen een brief.")
    adopted_entry(title="Iets anders", summary="", body="Over schulden.")
    response = login(anna).get(LIBRARY, {"q": "huurder"})
    assert titles(response) == ["Aanpak"]
    assert "<mark>huurders</mark>" in response.text


def test_title_matches_come_before_body_matches(login, anna):
    adopted_entry(title="Werkwijze", summary="", body="Let op bij een ontruiming.")
    adopted_entry(title="Ontruiming voorkomen", summary="", body="Werkwijze.")
    assert titles(login(anna).get(LIBRARY, {"q": "ontruiming"})) == [
        "Ontruiming voorkomen",
        "Werkwijze",
    ]


def test_a_synonym_of_the_coordinators_list(login, anna):
    adopted_entry(title="Uitkering aanvragen", summary="", body="Volgens de Participatiewet.")
    SynonymFactory(term="bijstand", synonyms=["participatiewet"])
    assert titles(login(anna).get(LIBRARY, {"q": "bijstand"})) == ["Uitkering aanvragen"]


def test_search_combines_with_the_filters(login, anna, amsterdam, utrecht):
    work = adopted_entry(areas=["arbeidsrecht"], title="Ontslag en huur", summary="", body="")
    adopted_entry(areas=["huurrecht"], title="Huur en huurverhoging", summary="", body="")
    model = adopted_entry(
        areas=["huurrecht"], title="Huurbrief", kind=Entry.Kind.MODEL_TEXT, summary="", body=""
    )
    local = adopted_entry(areas=["huurrecht"], title="Huur in Amsterdam", summary="", body="")
    local.locations.set([amsterdam])
    client = login(anna)
    huurrecht = LegalArea.objects.get(slug="huurrecht").pk

    assert "Ontslag en huur" not in titles(
        client.get(LIBRARY, {"q": "huur", "legal_area": huurrecht})
    )
    assert titles(client.get(LIBRARY, {"q": "huurbrief", "kind": "model_text"})) == [model.title]
    assert titles(client.get(LIBRARY, {"q": "huurbrief", "kind": "way_of_working"})) == []
    in_utrecht = titles(client.get(LIBRARY, {"q": "huur", "location": utrecht.pk}))
    assert "Huur in Amsterdam" not in in_utrecht and work.title in in_utrecht


def test_status_filter_and_search(login, anna):
    adopted_entry(title="Huur vastgesteld", summary="", body="")
    EntryFactory(status=Entry.Status.DRAFT, title="Huur concept", summary="", body="")
    client = login(anna)
    assert titles(client.get(LIBRARY, {"q": "huur", "status": "draft"})) == ["Huur concept"]


def test_search_page_queries_do_not_grow_with_hits(login, anna, django_assert_max_num_queries):
    client = login(anna)
    adopted_entry(title="Huur 1", summary="", body="")
    client.get(LIBRARY, {"q": "huur"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIBRARY, {"q": "huur"})
    for n in range(2, 20):
        adopted_entry(areas=["huurrecht", "arbeidsrecht"], title=f"Huur {n}", summary="", body="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIBRARY, {"q": "huur"})


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "a" * 10_000,
        "huur " * 2_000,
        "&|!():*'\"",
        "huur & | ! ( ) : * ' \"",
        "huur:* | !(schuld",
        "'; DROP TABLE bestpractices_entry; --",
        "de het een",
        "<script>alert(1)</script>",
    ],
)
def test_bad_queries_give_a_sane_page(login, anna, q):
    adopted_entry(title="Huur", summary="", body="")
    response = login(anna).get(LIBRARY, {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text

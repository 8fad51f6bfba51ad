"""The coordinators' synonym list: kept normalised, applied to the search, refused to others."""

from __future__ import annotations

from bestpractices.models import Synonym
from tests.bestpractices.factories import SynonymFactory, adopted_entry

PAGE = "/bibliotheek/synoniemen/"


def test_a_coordinator_adds_a_word_and_the_search_uses_it(login, carla, anna):
    adopted_entry(title="Reparaties", summary="", body="De verhuurder moet repareren.")
    response = login(carla).post(
        PAGE, {"term": " Huurbaas ", "synonyms": "Verhuurder, , verhuurder, huurbaas"}
    )
    assert response.status_code == 302
    synonym = Synonym.objects.get()
    assert (synonym.term, synonym.synonyms) == ("huurbaas", ["verhuurder"])
    found = login(anna).get("/bibliotheek/", {"q": "huurbaas"})
    assert [e.title for e in found.context["page"].object_list] == ["Reparaties"]


def test_a_word_twice_is_refused_with_a_message(login, carla):
    SynonymFactory(term="bijstand", synonyms=["participatiewet"])
    response = login(carla).post(PAGE, {"term": "Bijstand", "synonyms": "uitkering"})
    assert response.status_code == 400
    assert "Voor dit woord bestaat al een regel" in response.text
    assert Synonym.objects.get().synonyms == ["participatiewet"]


def test_empty_input_is_refused(login, carla):
    response = login(carla).post(PAGE, {"term": "!!", "synonyms": ", ,"})
    assert response.status_code == 400
    assert not Synonym.objects.exists()


def test_edit_and_delete(login, carla):
    synonym = SynonymFactory(term="bijstand", synonyms=["participatiewet"])
    client = login(carla)
    assert (
        client.post(
            f"{PAGE}{synonym.pk}/", {"term": "bijstand", "synonyms": "participatiewet, wwb"}
        ).status_code
        == 302
    )
    synonym.refresh_from_db()
    assert synonym.synonyms == ["participatiewet", "wwb"]
    assert client.post(f"{PAGE}{synonym.pk}/verwijderen/").status_code == 302
    assert not Synonym.objects.exists()


def test_only_coordinators_maintain_the_list(login, anna):
    synonym = SynonymFactory()
    client = login(anna)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"term": "x", "synonyms": "y"}).status_code == 403
    assert client.post(f"{PAGE}{synonym.pk}/verwijderen/").status_code == 403
    assert Synonym.objects.count() == 1

"""Searching the library: the trigger keeps the search vector, Dutch stemming, the coordinators'
synonyms, title above body, highlighted fragments."""

from __future__ import annotations

from bestpractices import search
from bestpractices.models import Entry
from tests.bestpractices.factories import EntryFactory, SynonymFactory


def found(text: str) -> list[Entry]:
    query = search.query_for(text)
    return list(search.entries_matching(Entry.objects.all(), query)) if query else []


def test_the_trigger_fills_and_refreshes_the_vector(db):
    entry = EntryFactory(title="Schuldhulp", body="Over beslag op loon.")
    entry.refresh_from_db()
    assert "schuldhulp" in entry.search_vector
    Entry.objects.filter(pk=entry.pk).update(body="Over de kostendelersnorm.")
    assert found("kostendelersnorm") == [entry]
    assert found("beslag") == []


def test_tags_are_searched(db):
    entry = EntryFactory(title="Aanpak", tags=["energiearmoede"])
    assert found("energiearmoede") == [entry]


def test_huurder_finds_a_text_about_huurders(db):
    entry = EntryFactory(title="Aanpak", summary="", body="Alle huurders krijgen een brief.")
    EntryFactory(title="Iets anders", summary="", body="Over schulden.")
    assert found("huurder") == [entry]


def test_coordinators_synonyms_apply_to_the_query(db):
    bijstand = EntryFactory(
        title="Aanvraag", summary="", body="Een uitkering uit de Participatiewet."
    )
    huur = EntryFactory(title="Onderhoud", summary="", body="De verhuurder repareert niet.")
    assert found("bijstand") == []
    SynonymFactory(term="bijstand", synonyms=["participatiewet"])
    SynonymFactory(term="huurbaas", synonyms=["verhuurder"])
    assert found("bijstand") == [bijstand]
    assert found("huurbaas") == [huur]
    assert found("huurbaas participatiewet") == []  # every word must be found


def test_a_title_match_ranks_above_a_body_match(db):
    in_body = EntryFactory(title="Werkwijze", summary="", body="Let op bij een ontruiming.")
    in_title = EntryFactory(title="Ontruiming voorkomen", summary="", body="Werkwijze.")
    in_summary = EntryFactory(title="Aanpak", summary="Bij dreigende ontruiming.", body="")
    assert found("ontruiming") == [in_title, in_summary, in_body]


def test_the_fragment_is_highlighted_and_escaped(db):
    EntryFactory(title="X", summary="", body="De huurders <script>alert(1)</script> & co.")
    (entry,) = found("huurder")
    html = search.highlight(entry.headline)
    assert "<mark>huurders</mark>" in html
    assert "<script" not in html and "&amp; co" in html
    assert html.count("<") == html.count("<mark>") + html.count("</mark>")

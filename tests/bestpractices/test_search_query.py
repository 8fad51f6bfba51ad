"""From what a user typed to a tsquery: stemmed Dutch words, synonyms as alternatives, and a sane
answer (never an error) for empty, huge or syntax-laden input."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from bestpractices import search

SYNONYMS = {"bijstand": ["participatiewet"], "huurbaas": ["verhuurder", "woningcorporatie"]}


def matches(document: str, text: str, synonyms=None) -> bool:
    """Whether the query built from `text` matches `document` in PostgreSQL."""
    query = search.build_query(text, synonyms)
    if query is None:
        return False
    vector = SearchVector(Value(document), config=search.CONFIG)
    return ContentType.objects.annotate(v=vector).filter(v=query)[:1].exists()


def test_terms_are_lowercased_words_without_syntax():
    assert search.query_terms("Huurder & (Verhuurder | !bijstand):* 'x' \"y\"") == [
        "huurder",
        "verhuurder",
        "bijstand",
        "x",
        "y",
    ]


def test_terms_are_deduplicated_and_capped():
    text = " ".join(f"woord{i}" for i in range(100))
    terms = search.query_terms(text)
    assert len(terms) == search.MAX_TERMS
    assert search.query_terms("huur Huur HUUR") == ["huur"]


def test_a_huge_query_is_cut_to_its_first_characters():
    assert search.query_terms("a" * 10_000) == []  # one word of 200 letters: no word
    terms = search.query_terms("huur " * 2_000 + "bijstand")
    assert terms == ["huur"]  # "bijstand" lies beyond the first 200 characters


@pytest.mark.parametrize("text", ["", None, "   ", "&|!():*'\"", "&&", "!", "*:", "''", "<>"])
def test_empty_or_syntax_only_queries_build_no_query(text):
    assert search.build_query(text) is None


def test_synonyms_expand_both_ways():
    assert search.expand(["bijstand", "huur"], SYNONYMS) == [
        ["bijstand", "participatiewet"],
        ["huur"],
    ]
    assert search.expand(["verhuurder"], SYNONYMS) == [["verhuurder", "huurbaas"]]


def test_normalised_synonym_terms():
    assert search.normalise_term("  Huur_Baas  ") == "huur baas"
    assert search.normalise_term("Participatiewet!") == "participatiewet"


def test_huurder_finds_huurders(db):
    assert matches("De huurders van de woning klagen over schimmel.", "huurder")
    assert not matches("De eigenaar klaagt over schimmel.", "huurder")


def test_all_words_must_match(db):
    assert matches(
        "Schulden bij de woningcorporatie en huurachterstand.", "schulden huurachterstand"
    )
    assert not matches("Schulden bij de zorgverzekeraar.", "schulden huurachterstand")


def test_a_synonym_finds_the_other_word(db):
    assert matches("Een uitkering op grond van de Participatiewet.", "bijstand", SYNONYMS)
    assert not matches("Een uitkering op grond van de Participatiewet.", "bijstand")
    assert matches("De verhuurder weigert te repareren.", "huurbaas", SYNONYMS)
    assert matches("De huurbaas weigert te repareren.", "verhuurder", SYNONYMS)


@pytest.mark.parametrize(
    "text",
    [
        "huur & | ! ( ) : * ' \"",
        "huur:*",
        "huur'; DROP TABLE bestpractices_entry; --",
        "!huur",
        "(huur",
        "huur <-> schuld",
        "huur " * 3000,
        "ü" * 10_000,
        "de het een",  # stop words only: an empty tsquery, no error
        "\x00huur",
    ],
)
def test_hostile_queries_never_fail(db, text):
    matches("De huurder betaalt de huur.", text)


def test_syntax_around_a_word_still_finds_it(db):
    assert matches("De huurder betaalt de huur.", "(huurder)!:*")


def test_highlight_escapes_everything_but_the_marks():
    headline = f"<script>x</script> de {search.START_SEL}huurder{search.STOP_SEL} & co"
    assert search.highlight(headline) == (
        "&lt;script&gt;x&lt;/script&gt; de <mark>huurder</mark> &amp; co"
    )


def test_highlight_drops_unbalanced_sentinels():
    assert search.highlight(f"a{search.STOP_SEL}b{search.START_SEL}c") == "abc"
    assert search.highlight(None) == ""

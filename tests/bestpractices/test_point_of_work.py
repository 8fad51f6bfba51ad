"""The library where the work happens: the case page, the booking page and the advocaat's
preparation cards show the adopted entries for the case's legal areas and kinds of case (at most
three, a kind-of-case match first), in one query more than without the library."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bestpractices import selectors
from bestpractices.models import Entry
from cases import case_page, related
from cases.models import KindOfCase, LegalArea
from tests.bestpractices.factories import EntryFactory, adopted_entry
from tests.cases.factories import register
from tests.piket.factories import ConsultFactory, make_shift


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.text


@contextmanager
def without_the_library():
    """The pages as cases and piket render them without bestpractices' contributions."""
    section = case_page._SECTIONS.pop("bestpractices")
    provider = related.unregister("bestpractices")
    try:
        yield
    finally:
        case_page.register(section)
        related.register(provider)


def kind(name: str) -> KindOfCase:
    return KindOfCase.objects.get(name=name)


def test_the_case_page_shows_entries_of_its_legal_area_not_of_another(login, anna, orgs_utrecht):
    rent = adopted_entry(areas=["huurrecht"], title="Huurachterstand: samen bellen")
    adopted_entry(areas=["arbeidsrecht"], title="Ontslag op staande voet")
    EntryFactory(status=Entry.Status.DRAFT, title="Concept over huur").legal_areas.set(
        LegalArea.objects.filter(slug="huurrecht")
    )
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))

    html = login(anna).get(f"/casussen/{case.number}/").text

    assert "Werkwijzen uit de bibliotheek" in html
    assert "Huurachterstand: samen bellen" in html
    assert f'href="/bibliotheek/{rent.slug}/"' in html  # one click to read
    assert "Ontslag op staande voet" not in html
    assert "Concept over huur" not in html  # only adopted entries


def test_a_case_without_matching_entries_shows_no_section(login, anna, orgs_utrecht):
    adopted_entry(areas=["arbeidsrecht"])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    assert "Werkwijzen uit de bibliotheek" not in login(anna).get(f"/casussen/{case.number}/").text


def test_at_most_three_and_a_kind_of_case_match_first(anna, orgs_utrecht):
    arrears = kind("Huurachterstand en ontruiming")
    area_only = [adopted_entry(areas=["huurrecht"], title=f"Algemeen {n}") for n in range(4)]
    by_kind = adopted_entry(areas=[], title="Ontruiming voorkomen")
    by_kind.kinds_of_case.set([arrears])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    case.subproblems.update(kind_of_case=arrears)

    entries = selectors.entries_related_to_cases(anna, [case])[case.pk]

    assert len(entries) == 3
    assert entries[0].slug == by_kind.slug and entries[0].by_kind_of_case
    assert {e.slug for e in entries[1:]} <= {e.slug for e in area_only}


def test_the_adopted_text_is_shown_while_a_new_draft_is_worked_on(anna, orgs_utrecht):
    entry = adopted_entry(areas=["huurrecht"], title="Vastgestelde titel")
    Entry.objects.filter(pk=entry.pk).update(title="Titel in bewerking")
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    (shown,) = selectors.entries_related_to_cases(anna, [case])[case.pk]
    assert shown.title == "Vastgestelde titel"


def test_local_entries_of_another_location_are_left_out(anna, orgs_utrecht, amsterdam, utrecht):
    national = adopted_entry(areas=["huurrecht"], title="Landelijk")
    elsewhere = adopted_entry(areas=["huurrecht"], title="Alleen Amsterdam")
    elsewhere.locations.set([amsterdam])
    here = adopted_entry(areas=["huurrecht"], title="Alleen Utrecht")
    here.locations.set([utrecht])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    slugs = {e.slug for e in selectors.entries_related_to_cases(anna, [case])[case.pk]}
    assert slugs == {national.slug, here.slug}


def test_a_local_variant_replaces_its_national_entry(anna, orgs_utrecht, utrecht):
    national = adopted_entry(areas=["huurrecht"], title="Landelijk")
    variant = adopted_entry(
        areas=["huurrecht"], title="Utrechtse variant", parent=national, variant_location=utrecht
    )
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    slugs = [e.slug for e in selectors.entries_related_to_cases(anna, [case])[case.pk]]
    assert slugs == [variant.slug]


def test_the_case_page_costs_exactly_one_query_more(login, anna, orgs_utrecht):
    for n in range(5):
        adopted_entry(areas=["huurrecht", "arbeidsrecht"], title=f"Werkwijze {n}")
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht"))
    client = login(anna)
    url = f"/casussen/{case.number}/"
    client.get(url)  # warm: the session and the user's memberships as on any page
    with_library, html = count_queries(client, url)
    with without_the_library():
        without, plain = count_queries(client, url)
    assert "Werkwijzen uit de bibliotheek" in html
    assert "Werkwijzen uit de bibliotheek" not in plain
    assert with_library == without + 1


def test_the_booking_page_shows_the_entries_in_one_query_more(
    login, anna, bart, utrecht, orgs_utrecht
):
    adopted_entry(areas=["huurrecht"], title="Goed voorbereid bellen met de advocaat")
    make_shift(utrecht, [bart])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    client = login(anna)
    url = f"/piket/boeken/{case.number}/"
    client.get(url)
    with_library, html = count_queries(client, url)
    with without_the_library():
        without, _plain = count_queries(client, url)
    assert "Goed voorbereid bellen met de advocaat" in html
    assert with_library == without + 1


def test_the_preparation_cards_show_the_entries_in_one_query_for_all(
    login, anna, bart, utrecht, orgs_utrecht
):
    adopted_entry(areas=["huurrecht"], title="Checklist huurachterstand")
    adopted_entry(areas=["arbeidsrecht"], title="Checklist ontslag")
    shift = make_shift(utrecht, [bart])
    for minutes, areas in ((0, ("huurrecht",)), (20, ("arbeidsrecht",)), (40, ("huurrecht",))):
        case = register(anna, orgs_utrecht["loket"], areas=areas)
        ConsultFactory(shift=shift, advocaat=bart, case=case, minutes=minutes)
    client = login(bart)
    url = f"/piket/vandaag/?dag={shift.date.isoformat()}"
    client.get(url)
    with_library, html = count_queries(client, url)
    with without_the_library():
        without, _plain = count_queries(client, url)
    assert html.count("Checklist huurachterstand") == 2
    assert html.count("Checklist ontslag") == 1
    assert with_library == without + 1

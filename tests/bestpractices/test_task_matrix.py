"""The task matrix: per legal area and kind of case, from adopted task divisions only; gaps
(areas without an adopted division) visible; the public matrix from public divisions only."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bestpractices import selectors
from bestpractices.models import Entry
from cases.models import KindOfCase, LegalArea
from tests.bestpractices.factories import EntryFactory, TaskRowFactory, adopted_entry

MATRIX = "/bibliotheek/taakverdeling/"
PUBLIC_MATRIX = "/praktijk/taakverdeling/"


def division(*, public=False, status=Entry.Status.ADOPTED, title="Taakverdeling huur"):
    if status == Entry.Status.ADOPTED:
        return adopted_entry(kind=Entry.Kind.TASK_DIVISION, title=title, is_public=public)
    return EntryFactory(kind=Entry.Kind.TASK_DIVISION, title=title, status=status)


def area(slug: str) -> LegalArea:
    return LegalArea.objects.get(slug=slug)


def test_the_matrix_is_assembled_from_adopted_rows_with_gaps(db):
    huur = division()
    requirement = adopted_entry(
        kind=Entry.Kind.QUALITY_REQUIREMENT, title="Binnen 5 dagen terugbellen"
    )
    arrears = KindOfCase.objects.get(name="Huurachterstand en ontruiming")
    general = TaskRowFactory(entry=huur, legal_area=area("huurrecht"), first_line_can="Uitleg")
    specific = TaskRowFactory(
        entry=huur,
        legal_area=area("huurrecht"),
        kind_of_case=arrears,
        first_line_can="Betalingsregeling voorstellen",
        second_line_when="Bij een dagvaarding",
    )
    specific.quality_requirements.set([requirement])
    draft = division(status=Entry.Status.DRAFT, title="Concept arbeid")
    TaskRowFactory(entry=draft, legal_area=area("arbeidsrecht"))

    areas = {a.legal_area.slug: a for a in selectors.task_matrix()}

    assert [row.pk for row in areas["huurrecht"].rows] == [general.pk, specific.pk]
    assert not areas["huurrecht"].is_gap
    assert areas["arbeidsrecht"].is_gap  # only a draft: still a gap
    assert areas["familierecht"].is_gap
    assert set(areas) == set(
        LegalArea.objects.filter(is_active=True).values_list("slug", flat=True)
    )


def test_the_page_shows_rows_requirements_and_gaps(login, anna, django_assert_max_num_queries):
    huur = division()
    requirement = adopted_entry(
        kind=Entry.Kind.QUALITY_REQUIREMENT, title="Binnen 5 dagen terugbellen"
    )
    row = TaskRowFactory(
        entry=huur,
        legal_area=area("huurrecht"),
        first_line_can="Bezwaar bij de huurcommissie voorbereiden",
        second_line_when="Bij een dagvaarding",
    )
    row.quality_requirements.set([requirement])
    client = login(anna)
    client.get(MATRIX)
    with django_assert_max_num_queries(8):
        response = client.get(MATRIX)
    html = response.text
    assert response.status_code == 200
    assert "Bezwaar bij de huurcommissie voorbereiden" in html
    assert "Bij een dagvaarding" in html
    assert f'href="/bibliotheek/{requirement.slug}/"' in html
    assert (
        html.count("Nog geen taakverdeling.")
        == LegalArea.objects.filter(is_active=True).count() - 1
    )


def test_the_matrix_queries_do_not_grow_with_rows(login, anna):
    client = login(anna)
    TaskRowFactory(entry=division(), legal_area=area("huurrecht"))
    client.get(MATRIX)
    with CaptureQueriesContext(connection) as few:
        client.get(MATRIX)
    for slug in ("arbeidsrecht", "consumentenrecht", "vreemdelingenrecht"):
        entry = division(title=f"Taakverdeling {slug}")
        for _ in range(3):
            row = TaskRowFactory(entry=entry, legal_area=area(slug))
            row.quality_requirements.set([adopted_entry(kind=Entry.Kind.QUALITY_REQUIREMENT)])
    with CaptureQueriesContext(connection) as many:
        client.get(MATRIX)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_public_matrix_shows_only_public_divisions(client):
    public = division(public=True, title="Openbare taakverdeling")
    TaskRowFactory(entry=public, legal_area=area("huurrecht"), first_line_can="Openbare rij")
    internal = division(title="Interne taakverdeling")
    TaskRowFactory(entry=internal, legal_area=area("arbeidsrecht"), first_line_can="Interne rij")
    hidden_requirement = adopted_entry(kind=Entry.Kind.QUALITY_REQUIREMENT, title="Interne eis")
    public.task_rows.get().quality_requirements.set([hidden_requirement])

    response = client.get(PUBLIC_MATRIX)

    assert response.status_code == 200
    assert "Openbare rij" in response.text
    assert f'href="/praktijk/publiek/{public.slug}/"' in response.text
    assert "Interne rij" not in response.text and "Interne eis" not in response.text
    areas = {a.legal_area.slug: a for a in response.context["areas"]}
    assert areas["arbeidsrecht"].is_gap  # not public: a gap for the public

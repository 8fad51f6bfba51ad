"""Reads of the best-practice library."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import Organisation
from bestpractices import search
from bestpractices.models import Entry, Status, Synonym, TaskRow
from cases.models import LegalArea

# ---------------------------------------------------------------- search, task matrix, public pages



def entries_searched(entries: QuerySet[Entry], text: str | None) -> QuerySet[Entry] | None:
    """The library's `q`: of these (visible, filtered) entries the ones that match the user's
    words or their synonyms, best first, each with `rank` and `headline` (show it through
    `search.highlight`). None when the text holds no word to search for."""
    query = search.query_for(text)
    if query is None:
        return None
    return search.entries_matching(entries, query)


RELATED_LIMIT = 3

# Per case the adopted entries for its sub-problems' kinds of case (score 2) and legal areas
# (score 1), best first, at most RELATED_LIMIT; national entries and those of the case's location,
# where a location's own adopted variant replaces the national entry. One statement for any
# number of cases.
_RELATED_SQL = """
WITH needs AS (
    SELECT s.case_id, c.location_id, s.legal_area_id, s.kind_of_case_id
    FROM cases_subproblem s JOIN cases_case c ON c.id = s.case_id
    WHERE s.case_id = ANY(%(cases)s)
), hits AS (
    SELECT n.case_id, n.location_id, k.entry_id, 2 AS score
    FROM needs n JOIN bestpractices_entry_kinds_of_case k ON k.kindofcase_id = n.kind_of_case_id
    UNION ALL
    SELECT n.case_id, n.location_id, a.entry_id, 1 AS score
    FROM needs n JOIN bestpractices_entry_legal_areas a ON a.legalarea_id = n.legal_area_id
), best AS (
    SELECT case_id, location_id, entry_id, max(score) AS score
    FROM hits GROUP BY case_id, location_id, entry_id
), ranked AS (
    SELECT b.case_id, b.score, e.slug, e.kind, coalesce(r.title, e.title) AS title,
           coalesce(r.summary, e.summary) AS summary,
           row_number() OVER (
               PARTITION BY b.case_id ORDER BY b.score DESC, e.adopted_at DESC NULLS LAST, e.id
           ) AS place
    FROM best b
    JOIN bestpractices_entry e ON e.id = b.entry_id AND e.status = 'adopted'
    LEFT JOIN bestpractices_revision r ON r.id = e.adopted_revision_id
    WHERE (e.variant_location_id IS NULL OR e.variant_location_id = b.location_id)
      AND (
          NOT EXISTS (SELECT 1 FROM bestpractices_entry_locations l WHERE l.entry_id = e.id)
          OR EXISTS (
              SELECT 1 FROM bestpractices_entry_locations l
              WHERE l.entry_id = e.id AND l.location_id = b.location_id
          )
      )
      AND NOT EXISTS (
          SELECT 1 FROM bestpractices_entry v
          WHERE v.parent_id = e.id AND v.variant_location_id = b.location_id
            AND v.status = 'adopted'
      )
)
SELECT case_id, score, slug, kind, title, summary FROM ranked
WHERE place <= %(limit)s ORDER BY case_id, place
"""


@dataclass(frozen=True)
class RelatedEntry:
    """An adopted entry shown beside a case; `by_kind_of_case` when it matched the case's kind
    of case (not only its legal area)."""

    slug: str
    title: str
    summary: str
    kind: str
    by_kind_of_case: bool

    def get_kind_display(self) -> str:
        return str(Entry.Kind(self.kind).label)


def entries_related_to_cases(user, cases) -> dict[int, list[RelatedEntry]]:
    """Per case pk the adopted entries for its legal areas and kinds of case, most relevant
    first (a kind-of-case match above a legal-area match), at most three: one query. Every
    participant reads adopted entries; the cases are the ones the page already shows."""
    ids = [case.pk for case in cases]
    if not ids or not access.can(user, "bestpractices.read"):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_RELATED_SQL, {"cases": ids, "limit": RELATED_LIMIT})
        rows = cursor.fetchall()
    found: dict[int, list[RelatedEntry]] = {}
    for case_id, score, slug, kind, title, summary in rows:
        found.setdefault(case_id, []).append(RelatedEntry(slug, title, summary, kind, score == 2))
    return found


def case_related_entries(user, case) -> dict:
    """The case page's section (cases.case_page): the entries for this case."""
    return {"entries": entries_related_to_cases(user, [case]).get(case.pk, [])}


# the task matrix


@dataclass
class MatrixArea:
    """One legal area of the task matrix: its rows from adopted task divisions, or a gap."""

    legal_area: LegalArea
    rows: list[TaskRow] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.rows


def task_matrix(*, public: bool = False) -> list[MatrixArea]:
    """Per legal area (every active one, and any other that has rows) and kind of case what the
    first line can do, when the second line is needed and which quality requirements apply,
    from the rows of adopted task divisions (`public`: only those of public entries, linking
    only public requirements). An area without an adopted division is a gap. Three queries."""
    entries = Entry.objects.filter(status=Status.ADOPTED)
    if public:
        entries = entries.filter(is_public=True)
    requirements = entries.filter(kind=Entry.Kind.QUALITY_REQUIREMENT).only(
        "slug", "title", "is_public"
    )
    rows = (
        TaskRow.objects.filter(entry__in=entries.filter(kind=Entry.Kind.TASK_DIVISION))
        .select_related("entry", "kind_of_case")
        .prefetch_related(Prefetch("quality_requirements", queryset=requirements))
        .order_by(
            "legal_area_id",
            F("kind_of_case__name").asc(nulls_first=True),
            "entry__title",
            "position",
            "pk",
        )
    )
    by_area: dict[int, list[TaskRow]] = {}
    for row in rows:
        by_area.setdefault(row.legal_area_id, []).append(row)
    areas = LegalArea.objects.filter(is_active=True) | LegalArea.objects.filter(pk__in=by_area)
    return [
        MatrixArea(area, by_area.get(area.pk, []))
        for area in areas.order_by("position", "name").distinct()
    ]


# public reading: adopted entries marked public, without an account


def public_entries() -> QuerySet[Entry]:
    """Adopted entries marked public, newest adoption first, with their adopted text."""
    return (
        Entry.objects.public()
        .select_related("adopted_revision")
        .order_by(F("adopted_at").desc(nulls_last=True), "pk")
    )


def public_entry_get(slug: str) -> Entry:
    """A public entry for anyone, signed in or not; 404 for every other entry (a draft, a
    non-public entry, an unknown slug answer alike)."""
    try:
        return (
            public_entries()
            .select_related("variant_location")
            .prefetch_related("legal_areas", "kinds_of_case", "locations")
            .get(slug=slug)
        )
    except Entry.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Support:
    """Who stands behind an entry, by organisation only (never a person's name)."""

    written_by: list[str]
    endorsed_by: list[str]


def entry_support(entry: Entry) -> Support:
    """The author's organisations and the endorsing organisations, by name. Two queries."""
    written_by = (
        Organisation.objects.filter(memberships__user_id=entry.author_id)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    endorsed_by = (
        Organisation.objects.filter(pk__in=entry.endorsements.values("organisation_id"))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return Support(list(written_by), list(endorsed_by))


def public_task_rows(entry: Entry) -> list[TaskRow]:
    """A public task division's rows, linking only public quality requirements."""
    if entry.kind != Entry.Kind.TASK_DIVISION:
        return []
    return list(
        entry.task_rows.select_related("legal_area", "kind_of_case")
        .prefetch_related(
            Prefetch("quality_requirements", queryset=Entry.objects.public().only("slug", "title"))
        )
        .order_by("position", "pk")
    )


# synonyms: maintained by coordinators, applied to every search


def synonyms_visible_to(user) -> QuerySet[Synonym]:
    if access.can(user, "bestpractices.review"):
        return Synonym.objects.order_by("term")
    return Synonym.objects.none()


def synonym_get_for_user(user, pk: int, *, for_change: bool | str = False) -> Synonym:
    """404 unless the user maintains the synonym list (coordinators); they may change it too."""
    try:
        return synonyms_visible_to(user).get(pk=pk)
    except Synonym.DoesNotExist:
        raise Http404 from None

"""Reads of the best-practice library: entries as the user may see them, and who may do what.

Everyone signed in reads adopted entries. Those who work in the pilot (capability
`bestpractices.take_part`: first line, advocaten, coordinators) also see ideas, drafts, entries
in consultation and archived entries; they propose, comment and endorse for their own
organisation. The author and coordinators edit an entry; a coordinator who is not its author
adopts it. Researchers and administrators read adopted entries only.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation
from bestpractices import search
from bestpractices.models import (
    DigestSubscription,
    Endorsement,
    Entry,
    Feedback,
    Follow,
    LegalAreaFollow,
    Revision,
    Status,
    Synonym,
    TaskRow,
)
from cases.models import LegalArea
from signalering import selectors as signalering

# Organisation kinds whose endorsement adoption needs: one of each ("jointly supported").
LINES = (
    Organisation.Kind.JURIDISCH_LOKET,
    Organisation.Kind.SOCIAAL_RAADSLIEDEN,
    Organisation.Kind.SOCIALE_ADVOCATUUR,
)


def entries_visible_to(user) -> QuerySet[Entry]:
    """Every entry the user may read (the library, its filters and its search start here)."""
    entries = Entry.objects.all()
    if access.can(user, "bestpractices.take_part"):
        return entries
    if access.can(user, "bestpractices.read"):
        return entries.filter(status=Status.ADOPTED)
    return entries.none()


def is_editor(user, entry: Entry) -> bool:
    """The author and coordinators (whether the entry may change now is another question)."""
    if not access.can(user, "bestpractices.take_part"):
        return False
    return entry.author_id == user.pk or access.can(user, "bestpractices.review")


def can_edit_entry(user, entry: Entry) -> bool:
    return entry.status != Status.ARCHIVED and is_editor(user, entry)


def endorsing_organisations(user, entry: Entry) -> list[Organisation]:
    """The user's organisations that may still endorse the entry (in consultation)."""
    if entry.status != Status.CONSULTATION:
        return []
    done = set(entry.endorsements.values_list("organisation_id", flat=True))
    return [
        o for o in access.organisations_where(user, "bestpractices.take_part") if o.pk not in done
    ]


def can_endorse_entry(user, entry: Entry) -> bool:
    return entry.status == Status.CONSULTATION and bool(
        access.organisations_where(user, "bestpractices.take_part")
    )


def can_comment_entry(user, entry: Entry) -> bool:
    return entry.status in (Status.DRAFT, Status.CONSULTATION) and access.can(
        user, "bestpractices.take_part"
    )


def can_adopt_entry(user, entry: Entry) -> bool:
    """Four eyes: a coordinator who is not the author (nor wrote the version to adopt)."""
    if not access.can(user, "bestpractices.review") or entry.author_id == user.pk:
        return False
    revision = entry.current_revision
    return revision is None or revision.author_id != user.pk


def can_review_entry(user, entry: Entry) -> bool:
    """Re-confirm an adopted entry unchanged, or ask for changes: its owner or a coordinator."""
    if entry.status != Status.ADOPTED or not access.can(user, "bestpractices.take_part"):
        return False
    return entry.owner_id == user.pk or access.can(user, "bestpractices.review")


def can_transition_entry(user, entry: Entry) -> bool:
    """May the user move the entry on at all (the service checks the particular step)."""
    return is_editor(user, entry) or access.can(user, "bestpractices.review")


def can_take_part(user, entry: Entry) -> bool:
    return access.can(user, "bestpractices.take_part")


PREDICATES = {
    "change": can_edit_entry,
    "endorse": can_endorse_entry,
    "comment": can_comment_entry,
    "transition": can_transition_entry,
    "review": can_review_entry,
    "take_part": can_take_part,
}


def entry_get_for_user(user, slug: str, *, for_change: bool | str = False) -> Entry:
    """404 unless the user may read the entry; 403 unless they may make the change
    (`for_change=True`: edit; "endorse", "comment", "transition", "review", "take_part")."""
    entry = get_object_or_404(
        entries_visible_to(user).select_related(
            "author", "owner", "parent", "variant_location", "current_revision", "adopted_revision"
        ),
        slug=slug,
    )
    access.require_change(user, entry, for_change, PREDICATES)
    return entry


# ---------------------------------------------------------------- the library


@dataclass(frozen=True)
class LibraryFilters:
    kind: str = ""
    legal_area: int | None = None
    audience: str = ""
    status: str = ""
    location: int | None = None  # entries that apply there: national ones and that location's


def library_entries(user, filters: LibraryFilters) -> QuerySet[Entry]:
    """The library's list: visible entries narrowed by the filters, with what a row shows
    (a fixed number of queries whatever the number of rows)."""
    entries = entries_visible_to(user)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    # subqueries rather than joins: no DISTINCT, which would compare whole rows (and every
    # rank and highlighted fragment of a search) to drop duplicates
    if filters.legal_area:
        entries = entries.filter(
            pk__in=Entry.legal_areas.through.objects.filter(legalarea_id=filters.legal_area).values(
                "entry_id"
            )
        )
    if filters.audience:
        entries = entries.filter(Q(audience=filters.audience) | Q(audience="both"))
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.location:
        located = Entry.locations.through.objects.filter(entry_id=OuterRef("pk"))
        entries = entries.filter(
            Exists(located.filter(location_id=filters.location))
            | Q(variant_location=filters.location)
            | (~Exists(located) & Q(variant_location__isnull=True))
        )
    return (
        entries.prefetch_related("legal_areas", "locations")
        .select_related("variant_location")
        .order_by("title", "pk")
    )


def entry_provenance(user, entry: Entry) -> list[dict]:
    """The signals, meetings and recommendations an entry came from, as far as the user may see
    them (signalering's own visibility): one query each."""
    found = []
    for label, visible, url_name, related in (
        (_("Aanbeveling"), signalering.recommendations_visible_to, "recommendation", ()),
        (_("Overleg"), signalering.meetings_visible_to, "meeting", ("series",)),
        (_("Signaal"), signalering.signals_visible_to, "signal", ()),
    ):
        for obj in visible(user).filter(practices=entry).select_related(*related).order_by("pk"):
            url = reverse(f"signalering:{url_name}", args=[obj.pk])
            found.append({"url": url, "label": f"{label}: {obj}"})
    return found


def practices_from_recommendation(user, recommendation) -> dict:
    """The library's block on a recommendation's page (signalering.related): the entries that
    came from it (one query) and whether the user may turn it into a proposal."""
    return {
        "entries": list(
            entries_visible_to(user)
            .filter(recommendations=recommendation)
            .only("slug", "title", "status")
            .order_by("title")
        ),
        "can_propose": access.can(user, "bestpractices.take_part"),
    }


def entry_detail(entry: Entry) -> dict:
    """What the entry page shows beside its text (a handful of queries)."""
    endorsements = list(
        entry.endorsements.select_related("organisation__location", "endorsed_by").order_by(
            "endorsed_at"
        )
    )
    return {
        "legal_areas": list(entry.legal_areas.all()),
        "kinds_of_case": list(entry.kinds_of_case.select_related("legal_area")),
        "locations": list(entry.locations.all()),
        "endorsements": endorsements,
        "lines_missing": lines_missing(entry, endorsements),
        "revisions": list(entry.revisions.select_related("author").order_by("-number")),
        "history": list(entry.status_changes.select_related("changed_by").order_by("-changed_at")),
        "reviews": list(entry.reviews.select_related("reviewer").order_by("-at")),
        "comments": list(entry.comments.select_related("author").order_by("created_at")),
        "task_rows": task_rows(entry),
        "variants": list(entry.variants.select_related("variant_location")),
        "feedback": entry.feedback.aggregate(
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=Q(helpful=False)),
        ),
    }


def task_rows(entry: Entry) -> list[TaskRow]:
    return list(
        entry.task_rows.select_related("legal_area", "kind_of_case").prefetch_related(
            Prefetch("quality_requirements", queryset=Entry.objects.only("pk", "slug", "title"))
        )
    )


def lines_missing(entry: Entry, endorsements: list[Endorsement] | None = None) -> list[str]:
    """The lines (organisation kinds) that have not endorsed the entry yet, as labels."""
    if endorsements is None:
        endorsements = list(entry.endorsements.select_related("organisation"))
    kinds = {e.organisation.kind for e in endorsements}
    return [Organisation.Kind(kind).label for kind in LINES if kind not in kinds]


def is_following(user, entry: Entry) -> bool:
    return Follow.objects.filter(entry=entry, user=user).exists()


def own_feedback(user, entry: Entry) -> Feedback | None:
    return Feedback.objects.filter(entry=entry, user=user).first()


def shown_revision(entry: Entry) -> Revision | None:
    """The text readers see: the adopted version of an adopted entry, else the current one."""
    if entry.status == Status.ADOPTED and entry.adopted_revision_id:
        return entry.adopted_revision
    return entry.current_revision


def pending_revision(entry: Entry) -> Revision | None:
    """A newer version worked on while the adopted one stays visible."""
    if (
        entry.status == Status.ADOPTED
        and entry.current_revision_id
        and entry.current_revision_id != entry.adopted_revision_id
    ):
        return entry.current_revision
    return None


# ---------------------------------------------------------------- versions


def revision_of(entry: Entry, number) -> Revision | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return entry.revisions.select_related("author").filter(number=number).first()


@dataclass(frozen=True)
class DiffLine:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]
    changed: bool


def _diff_lines(old: str, new: str) -> list[DiffLine]:
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [DiffLine("equal", t) for t in a[i1:i2]]
            continue
        if op in ("replace", "delete"):
            lines += [DiffLine("delete", t) for t in a[i1:i2]]
        if op in ("replace", "insert"):
            lines += [DiffLine("insert", t) for t in b[j1:j2]]
    return lines


def texts_diff(old: dict[str, str], new: dict[str, str], labels: dict[str, str]) -> list[FieldDiff]:
    """Line by line, per field: what was removed and what was added (rendered with <del> and
    <ins> and a text marker, never colour alone)."""
    result = []
    for name, label in labels.items():
        lines = _diff_lines(old.get(name, ""), new.get(name, ""))
        result.append(FieldDiff(label, lines, any(line.op != "equal" for line in lines)))
    return result


def revision_texts(revision: Revision) -> dict[str, str]:
    return {"title": revision.title, "summary": revision.summary, "body": revision.body}


# ---------------------------------------------------------------- the reviewer's dashboard


def entries_to_review(user) -> QuerySet[Entry]:
    """In consultation, oldest first (the coordinator sees which ones they may adopt)."""
    return (
        entries_visible_to(user)
        .filter(status=Status.CONSULTATION)
        .select_related("author")
        .prefetch_related("endorsements__organisation")
        .order_by("updated_at", "pk")
    )


def entries_past_review(user, today: date | None = None) -> QuerySet[Entry]:
    today = today or timezone.localdate()
    return (
        entries_visible_to(user)
        .past_review(today)
        .select_related("owner")
        .order_by("review_by", "pk")
    )


def followed_legal_area_ids(user) -> set[int]:
    return set(LegalAreaFollow.objects.filter(user=user).values_list("legal_area_id", flat=True))


def digest_opted_in(user) -> bool:
    return DigestSubscription.objects.filter(user=user).exists()


# ---------------------------------------------------------------- search, task matrix, public pages


def entries_searched(entries: QuerySet[Entry], text: str | None) -> QuerySet[Entry]:
    """The library's `q`: of these (visible, filtered) entries the ones that match the user's
    words or their synonyms, best first, each with `rank` and `headline` (show it through
    `search.highlight`); all of them, as they were, when the text holds no word to search for."""
    query = search.query_for(text)
    return entries if query is None else search.entries_matching(entries, query)


RELATED_LIMIT = 3

# Per case the adopted entries for its sub-problems' kinds of case (score 2) and legal areas
# (score 1), at most RELATED_LIMIT, best first and then newest first; national entries and those of
# the case's location, where a location's own adopted variant replaces the national entry. Per
# sub-problem and score only the newest few are read (LATERAL ... LIMIT on the indexes of 0003:
# a handful of rows however large the library), then the best per case are kept. One statement
# for any number of cases; the adopted revision gives the title and summary shown.
_FITS = """
    e.status = 'adopted'
    AND (e.variant_location_id IS NULL OR e.variant_location_id = n.location_id)
    AND (
        NOT EXISTS (SELECT 1 FROM bestpractices_entry_locations l WHERE l.entry_id = e.id)
        OR EXISTS (
            SELECT 1 FROM bestpractices_entry_locations l
            WHERE l.entry_id = e.id AND l.location_id = n.location_id
        )
    )
    AND NOT EXISTS (
        SELECT 1 FROM bestpractices_entry v
        WHERE v.parent_id = e.id AND v.variant_location_id = n.location_id
          AND v.status = 'adopted'
    )
"""
_RELATED_SQL = f"""
WITH needs AS (
    SELECT DISTINCT s.case_id, c.location_id, s.legal_area_id, s.kind_of_case_id
    FROM cases_subproblem s JOIN cases_case c ON c.id = s.case_id
    WHERE s.case_id = ANY(%(cases)s)
), hits AS (
    SELECT n.case_id, 2 AS score, hit.id
    FROM needs n CROSS JOIN LATERAL (
        SELECT e.id FROM bestpractices_entry_kinds_of_case k
        JOIN bestpractices_entry e ON e.id = k.entry_id
        WHERE k.kindofcase_id = n.kind_of_case_id AND {_FITS}
        ORDER BY k.entry_id DESC LIMIT %(limit)s
    ) hit
    UNION ALL
    SELECT n.case_id, 1 AS score, hit.id
    FROM needs n CROSS JOIN LATERAL (
        SELECT e.id FROM bestpractices_entry_legal_areas a
        JOIN bestpractices_entry e ON e.id = a.entry_id
        WHERE a.legalarea_id = n.legal_area_id AND {_FITS}
        ORDER BY a.entry_id DESC LIMIT %(limit)s
    ) hit
), ranked AS (
    SELECT case_id, id, max(score) AS score,
           row_number() OVER (PARTITION BY case_id ORDER BY max(score) DESC, id DESC) AS place
    FROM hits GROUP BY case_id, id
)
SELECT r.case_id, r.score, e.slug, e.kind,
       coalesce(v.title, e.title), coalesce(v.summary, e.summary)
FROM ranked r
JOIN bestpractices_entry e ON e.id = r.id
LEFT JOIN bestpractices_revision v ON v.id = e.adopted_revision_id
WHERE r.place <= %(limit)s
ORDER BY r.case_id, r.place
"""  # noqa: S608 - no user input: _FITS is a constant, the values are parameters


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
    first (a kind-of-case match above a legal-area match, then the newest), at most three: one
    query. Every
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

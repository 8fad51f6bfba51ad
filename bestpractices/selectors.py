"""Reads of the best-practice library: entries as the user may see them, and who may do what.

Everyone signed in reads adopted entries. Those who work in the pilot (capability
`bestpractices.take_part`: first line, advocaten, coordinators) also see ideas, drafts, entries
in consultation and archived entries; they propose, comment and endorse for their own
organisation. The author and coordinators edit an entry; a coordinator who is not its author
adopts it. Researchers and administrators read adopted entries only.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import access
from accounts.models import Organisation
from bestpractices.models import (
    DigestSubscription,
    Endorsement,
    Entry,
    Feedback,
    Follow,
    LegalAreaFollow,
    Revision,
    Status,
    TaskRow,
)

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
    if filters.legal_area:
        entries = entries.filter(legal_areas=filters.legal_area)
    if filters.audience:
        entries = entries.filter(Q(audience=filters.audience) | Q(audience="both"))
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.location:
        entries = entries.filter(
            Q(locations=filters.location)
            | Q(variant_location=filters.location)
            | Q(locations__isnull=True, variant_location__isnull=True)
        )
    return (
        entries.distinct()
        .prefetch_related("legal_areas", "locations")
        .select_related("variant_location")
        .order_by("title", "pk")
    )


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

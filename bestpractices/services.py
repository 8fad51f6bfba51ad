"""Writes of the best-practice library.

An entry's status changes only in `entry_transition`, against TRANSITIONS, with a StatusChange
row. Every change of its text is a Revision (`entry_update`, `revision_restore`); an adopted
entry keeps showing its adopted revision while a newer one is worked on, until a coordinator
adopts that one too (`entry_adopt_pending`). Mails go out from Celery tasks enqueued on commit
(`bestpractices.tasks`, `bestpractices.notifications`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, Organisation, User
from bestpractices import selectors
from bestpractices.models import (
    Comment,
    DigestSubscription,
    Endorsement,
    Entry,
    Feedback,
    Follow,
    LegalAreaFollow,
    Review,
    Revision,
    Status,
    StatusChange,
    Synonym,
    TaskRow,
)
from cases.models import KindOfCase, LegalArea

# Who may take each step: "editor" (the author or a coordinator), "coordinator", or
# "reviewer" (a coordinator other than the author, with every line's endorsement).
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.IDEA, Status.DRAFT): "editor",
    (Status.IDEA, Status.ARCHIVED): "editor",
    (Status.DRAFT, Status.CONSULTATION): "editor",
    (Status.DRAFT, Status.ARCHIVED): "editor",
    (Status.CONSULTATION, Status.DRAFT): "editor",
    (Status.CONSULTATION, Status.ADOPTED): "reviewer",
    (Status.CONSULTATION, Status.ARCHIVED): "coordinator",
    (Status.ADOPTED, Status.ARCHIVED): "coordinator",
    (Status.ARCHIVED, Status.DRAFT): "coordinator",
}

REVIEW_PERIOD = timedelta(days=365)


def allowed_steps(user: User, entry: Entry) -> list[str]:
    """The statuses the user may try to move the entry to (buttons on its page)."""
    return [
        to
        for (frm, to), who in TRANSITIONS.items()
        if frm == entry.status and _may(user, entry, who)
    ]


def _may(user: User, entry: Entry, who: str) -> bool:
    if who == "editor":
        return selectors.is_editor(user, entry)
    if who == "coordinator":
        return access.can(user, "bestpractices.review")
    return access.can(user, "bestpractices.review")  # reviewer: the rest is checked on the step


def _enqueue(task_name: str, *args) -> None:
    from bestpractices import tasks  # the task module imports this one

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))


# ---------------------------------------------------------------- entries and their text


@dataclass
class EntryData:
    kind: str
    title: str
    summary: str = ""
    body: str = ""
    audience: str = Entry.Audience.BOTH
    legal_areas: list[LegalArea] = field(default_factory=list)
    kinds_of_case: list[KindOfCase] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    owner: User | None = None
    review_by: date | None = None
    note: str = ""
    is_major: bool = False


# Paths of the library's own pages beside /bibliotheek/<slug>/: never an entry's slug.
RESERVED_SLUGS = frozenset(
    {"nieuw", "beoordelen", "volgen", "voorbeeld", "taakmatrix", "zoeken", "openbaar", "feed"}
)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100].strip("-") or "praktijk"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Entry.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_data(data: EntryData) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Geef het praktijkvoorbeeld een titel.")
    if data.kind not in Entry.Kind.values:
        errors["kind"] = _("Kies een soort.")
    if data.audience not in Entry.Audience.values:
        errors["audience"] = _("Kies voor wie het is.")
    areas = {a.pk for a in data.legal_areas}
    if any(k.legal_area_id not in areas for k in data.kinds_of_case):
        errors["kinds_of_case"] = _(
            "Een soort zaak hoort bij een rechtsgebied dat u niet heeft gekozen."
        )
    if errors:
        raise ValidationError(errors)


def _set_relations(entry: Entry, data: EntryData) -> None:
    entry.legal_areas.set(data.legal_areas)
    entry.kinds_of_case.set(data.kinds_of_case)
    entry.locations.set(data.locations)


def _new_revision(
    *,
    entry: Entry,
    user: User,
    title: str,
    summary: str,
    body: str,
    note: str,
    is_major: bool,
    restored_from: Revision | None = None,
) -> Revision:
    number = (entry.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Revision.objects.create(
        entry=entry,
        number=number,
        title=title,
        summary=summary,
        body=body,
        note=note,
        is_major=is_major,
        author=user,
        restored_from=restored_from,
    )


def _record(entry: Entry, frm: str, to: str, user: User, note: str = "") -> StatusChange:
    return StatusChange.objects.create(
        entry=entry, from_status=frm, to_status=to, changed_by=user, note=note
    )


@transaction.atomic
def entry_propose(*, user: User, data: EntryData) -> Entry:
    """Anyone who takes part proposes an idea; they are its author, owner and first follower."""
    if not access.can(user, "bestpractices.take_part"):
        raise PermissionDenied
    _check_data(data)
    entry = Entry.objects.create(
        kind=data.kind,
        slug=_unique_slug(data.title),
        title=data.title.strip(),
        summary=data.summary.strip(),
        body=data.body,
        audience=data.audience,
        tags=_tags(data.tags),
        author=user,
        owner=data.owner or user,
        review_by=data.review_by,
    )
    _set_relations(entry, data)
    revision = _new_revision(
        entry=entry,
        user=user,
        title=entry.title,
        summary=entry.summary,
        body=entry.body,
        note=data.note or _("Idee"),
        is_major=True,
    )
    entry.current_revision = revision
    entry.save(update_fields=["current_revision"])
    _record(entry, "", Status.IDEA, user)
    Follow.objects.get_or_create(entry=entry, user=user)
    return entry


@transaction.atomic
def entry_propose_from_recommendation(*, user: User, recommendation) -> Entry:
    """A recommendation of the signaleringsoverleg becomes an idea in one step: its title and
    text, the legal areas of its signals, and links back to it and to the signals and meetings
    it came from. The author works it out as any idea."""
    legal_areas = list(
        LegalArea.objects.filter(
            pk__in=recommendation.signals.exclude(legal_area=None).values("legal_area")
        )
    )
    entry = entry_propose(
        user=user,
        data=EntryData(
            kind=Entry.Kind.WAY_OF_WORKING,
            title=recommendation.title,
            summary=recommendation.text[:600],
            body=recommendation.text,
            legal_areas=legal_areas,
            note=_("Uit een aanbeveling van het signaleringsoverleg"),
        ),
    )
    entry.recommendations.add(recommendation)
    entry.signals.set(recommendation.signals.all())
    entry.meetings.set(recommendation.meetings.all())
    return entry


def _tags(tags: list[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = tag.strip().lower()[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen


@transaction.atomic
def entry_update(*, user: User, entry: Entry, data: EntryData) -> Entry:
    """The author or a coordinator changes the entry. A change of title, summary or text is a
    new revision; of an adopted entry, the adopted revision stays what readers see until a
    coordinator adopts the new one."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not selectors.can_edit_entry(user, entry):
        raise PermissionDenied
    _check_data(data)
    base = entry.current_revision
    title, summary = data.title.strip(), data.summary.strip()
    changed = base is None or (base.title, base.summary, base.body) != (title, summary, data.body)
    entry.kind = data.kind
    entry.audience = data.audience
    entry.tags = _tags(data.tags)
    entry.owner = data.owner or entry.owner
    entry.review_by = (
        data.review_by if data.review_by or entry.status != Status.ADOPTED else entry.review_by
    )
    entry.updated_at = timezone.now()
    if changed:
        revision = _new_revision(
            entry=entry,
            user=user,
            title=title,
            summary=summary,
            body=data.body,
            note=data.note,
            is_major=data.is_major,
        )
        entry.current_revision = revision
        if entry.status != Status.ADOPTED:
            entry.title, entry.summary, entry.body = title, summary, data.body
        _enqueue("notify_revision", revision.pk)
    entry.save()
    _set_relations(entry, data)
    return entry


@transaction.atomic
def revision_restore(*, user: User, entry: Entry, revision_id, note: str = "") -> Revision:
    """An older version's text becomes the newest version (history is never rewritten)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not selectors.can_edit_entry(user, entry):
        raise PermissionDenied
    try:
        old = Revision.objects.filter(pk=int(revision_id)).first()
    except (TypeError, ValueError):
        old = None
    if old is None or old.entry_id != entry.pk:
        raise ValidationError(
            _(
                "Deze versie hoort niet bij dit praktijkvoorbeeld en kan hier niet worden "
                "teruggezet."
            )
        )
    if old.pk == entry.current_revision_id:
        raise ValidationError(_("Dit is al de huidige versie."))
    revision = _new_revision(
        entry=entry,
        user=user,
        title=old.title,
        summary=old.summary,
        body=old.body,
        note=note or _("Versie %(number)s teruggezet") % {"number": old.number},
        is_major=False,
        restored_from=old,
    )
    entry.current_revision = revision
    if entry.status != Status.ADOPTED:
        entry.title, entry.summary, entry.body = old.title, old.summary, old.body
    entry.updated_at = timezone.now()
    entry.save()
    _enqueue("notify_revision", revision.pk)
    return revision


# ---------------------------------------------------------------- the workflow


@transaction.atomic
def entry_transition(
    *,
    user: User,
    entry: Entry,
    to: str,
    note: str = "",
    review_by: date | None = None,
    is_public: bool = False,
) -> StatusChange:
    """Move the entry to `to` if TRANSITIONS allows this user that step; else a
    ValidationError in Dutch and nothing changes. Adoption needs a coordinator other than the
    author (and than the author of the version adopted) and an endorsement of every line."""
    entry = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=entry.pk)
    )
    frm = entry.status
    who = TRANSITIONS.get((frm, to))
    if who is None:
        raise ValidationError(
            _("Een praktijkvoorbeeld met status '%(from)s' kan niet naar '%(to)s'.")
            % {"from": Status(frm).label, "to": Status(to).label if to in Status.values else to}
        )
    if not _may(user, entry, who):
        raise ValidationError(_("U mag deze stap niet zetten."))
    now = timezone.now()
    if to == Status.ADOPTED:
        _check_adoption(user, entry)
        entry.adopted_revision = entry.current_revision
        entry.adopted_at = now
        entry.review_by = review_by or entry.review_by or timezone.localdate() + REVIEW_PERIOD
        if entry.review_by <= timezone.localdate():
            raise ValidationError({"review_by": _("Kies een herbeoordelingsdatum in de toekomst.")})
        entry.is_public = is_public
        entry.review_reminded_on = None
        Review.objects.create(entry=entry, reviewer=user, outcome=Review.Outcome.APPROVE, note=note)
    if frm == Status.ADOPTED:
        entry.is_public = False
    if to == Status.DRAFT and entry.current_revision_id:
        revision = entry.current_revision  # what readers see follows the newest text again
        entry.title, entry.summary, entry.body = revision.title, revision.summary, revision.body
    if to == Status.ADOPTED and entry.adopted_revision_id:
        revision = entry.adopted_revision
        entry.title, entry.summary, entry.body = revision.title, revision.summary, revision.body
    entry.status = to
    entry.updated_at = now
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(
            _("Deze wijziging van het praktijkvoorbeeld is niet toegestaan.")
        ) from None
    change = _record(entry, frm, to, user, note)
    _enqueue("notify_status", change.pk)
    return change


def _check_adoption(user: User, entry: Entry) -> None:
    if entry.author_id == user.pk:
        raise ValidationError(
            _(
                "U bent de auteur van dit praktijkvoorbeeld. Een andere coördinator moet het "
                "vaststellen (vier ogen)."
            )
        )
    if entry.current_revision and entry.current_revision.author_id == user.pk:
        raise ValidationError(
            _(
                "U heeft de laatste versie geschreven. Een andere coördinator moet haar "
                "vaststellen (vier ogen)."
            )
        )
    if missing := selectors.lines_missing(entry):
        raise ValidationError(
            _("Vaststellen kan pas als elke lijn het steunt. Nog geen steun van: %(lines)s.")
            % {"lines": ", ".join(str(m) for m in missing)}
        )


@transaction.atomic
def entry_adopt_pending(*, user: User, entry: Entry, note: str = "") -> StatusChange:
    """A coordinator (four eyes: not the author of the entry or of the new version) adopts the
    newer version of an adopted entry; readers see it from now on."""
    entry = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=entry.pk)
    )
    if selectors.pending_revision(entry) is None:
        raise ValidationError(_("Er is geen nieuwe versie om vast te stellen."))
    if not access.can(user, "bestpractices.review"):
        raise PermissionDenied
    _check_adoption(user, entry)
    revision = entry.current_revision
    entry.adopted_revision = revision
    entry.title, entry.summary, entry.body = revision.title, revision.summary, revision.body
    entry.updated_at = timezone.now()
    entry.save()
    Review.objects.create(entry=entry, reviewer=user, outcome=Review.Outcome.APPROVE, note=note)
    change = _record(
        entry,
        Status.ADOPTED,
        Status.ADOPTED,
        user,
        note or _("Versie %(number)s vastgesteld") % {"number": revision.number},
    )
    _enqueue("notify_status", change.pk)
    return change


@transaction.atomic
def entry_review(
    *, user: User, entry: Entry, outcome: str, note: str = "", review_by: date | None = None
) -> Review:
    """The owner or a coordinator reviews an adopted entry: re-confirmed unchanged (who and
    when are recorded, the review-by date moves on; no new version), or changes requested."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not selectors.can_review_entry(user, entry):
        raise PermissionDenied
    if outcome not in (Review.Outcome.RECONFIRMED, Review.Outcome.CHANGES_REQUESTED):
        raise ValidationError(_("Kies de uitkomst van de beoordeling."))
    if outcome == Review.Outcome.CHANGES_REQUESTED and not note.strip():
        raise ValidationError({"note": _("Schrijf welke wijzigingen nodig zijn.")})
    today = timezone.localdate()
    if outcome == Review.Outcome.RECONFIRMED:
        new_date = review_by or today + REVIEW_PERIOD
        if new_date <= today:
            raise ValidationError({"review_by": _("Kies een herbeoordelingsdatum in de toekomst.")})
        entry.reconfirmed_at, entry.reconfirmed_by = timezone.now(), user
        entry.review_by, entry.review_reminded_on = new_date, None
        entry.save(
            update_fields=["reconfirmed_at", "reconfirmed_by", "review_by", "review_reminded_on"]
        )
        _record(entry, Status.ADOPTED, Status.ADOPTED, user, note or _("Ongewijzigd herbevestigd"))
    return Review.objects.create(entry=entry, reviewer=user, outcome=outcome, note=note.strip())


@transaction.atomic
def entry_endorse(
    *, user: User, entry: Entry, organisation: Organisation, note: str = ""
) -> Endorsement:
    """A member endorses the entry in consultation on behalf of their own organisation."""
    if entry.status != Status.CONSULTATION:
        raise ValidationError(_("Steun betuigen kan alleen tijdens de consultatie."))
    own = {o.pk for o in access.organisations_where(user, "bestpractices.take_part")}
    if organisation is None or organisation.pk not in own:
        raise ValidationError(
            _("U kunt alleen steun betuigen namens een organisatie waar u lid van bent.")
        )
    if Endorsement.objects.filter(entry=entry, organisation=organisation).exists():
        raise ValidationError(
            _("%(org)s steunt dit praktijkvoorbeeld al.") % {"org": organisation.name}
        )
    return Endorsement.objects.create(
        entry=entry, organisation=organisation, endorsed_by=user, note=note.strip()
    )


@transaction.atomic
def entry_withdraw_endorsement(*, user: User, entry: Entry, organisation: Organisation) -> None:
    own = {o.pk for o in access.organisations_where(user, "bestpractices.take_part")}
    if entry.status != Status.CONSULTATION or organisation.pk not in own:
        raise ValidationError(_("Deze steun kunt u niet intrekken."))
    Endorsement.objects.filter(entry=entry, organisation=organisation).delete()


@transaction.atomic
def entry_comment(*, user: User, entry: Entry, text: str) -> Comment:
    if not selectors.can_comment_entry(user, entry):
        raise ValidationError(_("Reageren kan alleen op een concept of tijdens de consultatie."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Schrijf een reactie.")})
    return Comment.objects.create(entry=entry, author=user, text=text)


@transaction.atomic
def entry_follow(*, user: User, entry: Entry, follow: bool) -> bool:
    """Follow (mails about new versions and status changes) or stop following; the new state."""
    if follow:
        Follow.objects.get_or_create(entry=entry, user=user)
    else:
        Follow.objects.filter(entry=entry, user=user).delete()
    return follow


@transaction.atomic
def entry_feedback(*, user: User, entry: Entry, helpful: bool) -> Feedback:
    """ "Was this helpful?": one answer per user, the last one counts."""
    feedback, _created = Feedback.objects.update_or_create(
        entry=entry, user=user, defaults={"helpful": helpful, "at": timezone.now()}
    )
    return feedback


@transaction.atomic
def entry_make_variant(*, user: User, entry: Entry, location: Location) -> Entry:
    """A location's own variant of a national entry: a draft copy that records what differs."""
    if not access.can(user, "bestpractices.take_part"):
        raise PermissionDenied
    if entry.parent_id or entry.variant_location_id or entry.locations.exists():
        raise ValidationError(
            _("Alleen van een landelijk praktijkvoorbeeld maakt u een lokale variant.")
        )
    if location not in access.locations_where(user, "bestpractices.take_part"):
        raise ValidationError(_("U kunt alleen een variant maken voor uw eigen locatie."))
    if entry.variants.filter(variant_location=location).exists():
        raise ValidationError(
            _("Er is al een lokale variant voor %(loc)s.") % {"loc": location.name}
        )
    source = selectors.shown_revision(entry)
    title = _("%(title)s (%(location)s)") % {"title": entry.title, "location": location.name}
    variant = Entry.objects.create(
        kind=entry.kind,
        slug=_unique_slug(f"{entry.slug}-{location.slug}"),
        title=title[:200],
        summary=source.summary if source else entry.summary,
        body=source.body if source else entry.body,
        audience=entry.audience,
        tags=entry.tags,
        status=Status.DRAFT,
        author=user,
        owner=user,
        parent=entry,
        variant_location=location,
    )
    variant.legal_areas.set(entry.legal_areas.all())
    variant.kinds_of_case.set(entry.kinds_of_case.all())
    variant.locations.set([location])
    revision = _new_revision(
        entry=variant,
        user=user,
        title=variant.title,
        summary=variant.summary,
        body=variant.body,
        note=_("Lokale variant van '%(title)s'") % {"title": entry.title},
        is_major=True,
    )
    variant.current_revision = revision
    variant.save(update_fields=["current_revision"])
    _record(variant, "", Status.DRAFT, user)
    Follow.objects.get_or_create(entry=variant, user=user)
    return variant


@dataclass
class TaskRowData:
    legal_area: LegalArea
    kind_of_case: KindOfCase | None
    first_line_can: str
    second_line_when: str
    quality_requirements: list[Entry]


@transaction.atomic
def task_rows_save(*, user: User, entry: Entry, rows: list[TaskRowData]) -> list[TaskRow]:
    """Replace the rows of a task-division entry (in the order given)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not selectors.can_edit_entry(user, entry):
        raise PermissionDenied
    if entry.kind != Entry.Kind.TASK_DIVISION:
        raise ValidationError(_("Alleen een taakverdeling heeft rijen."))
    for row in rows:
        if row.kind_of_case and row.kind_of_case.legal_area_id != row.legal_area.pk:
            raise ValidationError(
                _("De soort zaak '%(kind)s' hoort niet bij %(area)s.")
                % {"kind": row.kind_of_case.name, "area": row.legal_area.name}
            )
        if any(q.kind != Entry.Kind.QUALITY_REQUIREMENT for q in row.quality_requirements):
            raise ValidationError(_("Koppel alleen kwaliteitseisen."))
    entry.task_rows.all().delete()
    saved = []
    for position, row in enumerate(rows):
        task_row = TaskRow.objects.create(
            entry=entry,
            legal_area=row.legal_area,
            kind_of_case=row.kind_of_case,
            first_line_can=row.first_line_can.strip(),
            second_line_when=row.second_line_when.strip(),
            position=position,
        )
        task_row.quality_requirements.set(row.quality_requirements)
        saved.append(task_row)
    entry.updated_at = timezone.now()
    entry.save(update_fields=["updated_at"])
    return saved


@transaction.atomic
def entry_set_public(*, user: User, entry: Entry, is_public: bool) -> Entry:
    """Coordinators make an adopted entry readable without an account (or not any more)."""
    if not access.can(user, "bestpractices.review"):
        raise PermissionDenied
    if is_public and entry.status != Status.ADOPTED:
        raise ValidationError(_("Alleen een vastgesteld praktijkvoorbeeld kan openbaar zijn."))
    entry.is_public = is_public
    entry.save(update_fields=["is_public"])
    return entry


# ---------------------------------------------------------------- subscriptions


@transaction.atomic
def subscriptions_set(*, user: User, legal_areas: list[LegalArea], digest: bool) -> None:
    """The legal areas the user follows (told when an entry enters consultation) and whether
    they get the monthly digest of newly adopted entries."""
    if not access.can(user, "bestpractices.read"):
        raise PermissionDenied
    keep = {a.pk for a in legal_areas}
    LegalAreaFollow.objects.filter(user=user).exclude(legal_area_id__in=keep).delete()
    for area in legal_areas:
        LegalAreaFollow.objects.get_or_create(user=user, legal_area=area)
    if digest:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()


# ---------------------------------------------------------------- search, task matrix, public pages


def _require_synonym_maintainer(user) -> None:
    if not access.can(user, "bestpractices.review"):
        raise ValidationError(_("Alleen coördinatoren beheren de synoniemen."))


@transaction.atomic
def synonym_save(
    *, user, term: str, synonyms: list[str], synonym: Synonym | None = None
) -> Synonym:
    """Adds a word with its synonyms to the list the search applies, or changes one (term and
    synonyms normalised by SynonymForm: lowercase words)."""
    _require_synonym_maintainer(user)
    synonym = synonym or Synonym()
    synonym.term, synonym.synonyms = term, synonyms
    try:
        with transaction.atomic():
            synonym.save()
    except IntegrityError:
        raise ValidationError(
            {"term": _("Voor dit woord bestaat al een regel; wijzig die.")}
        ) from None
    return synonym


@transaction.atomic
def synonym_delete(*, user, synonym: Synonym) -> None:
    _require_synonym_maintainer(user)
    synonym.delete()

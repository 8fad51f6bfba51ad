"""Reads of the signaleringsoverleg: series, meetings, agenda items, actions and minutes as the
user may see them.

Who sees what:
- a location's series and meetings, with their approved minutes: the members of that location
  (capability "signalering.meetings": first line, advocaten, coordinators) and the series'
  participants (SeriesMember rows with an account); researchers and administrators see nothing;
- draft minutes: participants only (the meeting page shows members the approved version);
- confidential agenda items and actions: participants with an account only;
- guests (SeriesMember without an account) have no account and so see nothing in the app;
- coordinators of the location (capability "signalering.manage") and the series' chair and
  coordinators manage the series and its meetings; participants add agenda items and write the
  minutes; the chair approves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import access
from accounts.models import Location, Organisation
from cases.models import LegalArea
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    Decision,
    Meeting,
    MinutesVersion,
    Recommendation,
    Series,
    SeriesMember,
    Signal,
)

SOON_DAYS = 7  # an open action due within this many days is "binnenkort"


# ---------------------------------------------------------------- the user's relation


def participations(user) -> dict[int, SeriesMember]:
    """Series id -> the user's active SeriesMember row, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_signalering_participations", None)
    if cached is None:
        cached = {m.series_id: m for m in SeriesMember.objects.filter(user=user, is_active=True)}
        user._signalering_participations = cached
    return cached


def is_participant(user, series: Series) -> bool:
    return series.pk in participations(user)


def _location_ids(user, capability: str) -> list[int]:
    return [location.pk for location in access.locations_where(user, capability)]


def _series_filter(user, capability: str) -> Q:
    """Series at a location where the user holds the capability (its own location, or one of
    a regional series' locations)."""
    ids = _location_ids(user, capability)
    spans = Series.locations.through.objects.filter(series_id=OuterRef("pk"), location_id__in=ids)
    return Q(location_id__in=ids) | Q(Exists(spans))


# ---------------------------------------------------------------- series


def series_visible_to(user) -> QuerySet[Series]:
    series = Series.objects.select_related("location")
    if not access.can(user, "signalering.meetings") and not participations(user):
        return series.none()
    return series.filter(
        _series_filter(user, "signalering.meetings") | Q(pk__in=list(participations(user)))
    )


def can_manage_series(user, series: Series) -> bool:
    """A coordinator of the series' location(s), or its chair or coordinator."""
    member = participations(user).get(series.pk)
    if member is not None and member.role in (
        SeriesMember.Role.CHAIR,
        SeriesMember.Role.COORDINATOR,
    ):
        return True
    managed = set(_location_ids(user, "signalering.manage"))
    if series.location_id is not None:
        return series.location_id in managed
    return bool(managed) and series.locations.filter(pk__in=managed).exists()


SERIES_PREDICATES = {"change": can_manage_series}


def series_get_for_user(user, pk: int, *, for_change: bool | str = False) -> Series:
    series = get_object_or_404(series_visible_to(user), pk=pk)
    access.require_change(user, series, for_change, SERIES_PREDICATES)
    return series


def can_create_series(user) -> bool:
    return access.can(user, "signalering.manage")


def series_members(series: Series) -> list[SeriesMember]:
    return list(series.members.filter(is_active=True).select_related("user").order_by("role", "pk"))


def series_page(series: Series) -> dict:
    return {
        "members": series_members(series),
        "template_items": list(series.template_items.order_by("position", "pk")),
        "meetings": list(series.meetings.order_by("-month")[:24]),
    }


# ---------------------------------------------------------------- meetings


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("series__location").filter(
        series__in=series_visible_to(user)
    )


def can_manage_meeting(user, meeting: Meeting) -> bool:
    return can_manage_series(user, meeting.series)


def can_minute(user, meeting: Meeting) -> bool:
    """Participants with an account write the agenda and the draft minutes."""
    return is_participant(user, meeting.series)


def can_approve(user, meeting: Meeting) -> bool:
    member = participations(user).get(meeting.series_id)
    return member is not None and member.role == SeriesMember.Role.CHAIR


MEETING_PREDICATES = {
    "change": can_manage_meeting,
    "minute": can_minute,
    "approve": can_approve,
}


def meeting_get_for_user(user, pk: int, *, for_change: bool | str = False) -> Meeting:
    """404 unless the user may see the meeting; 403 unless they may make the change
    ("change": plan and prepare; "minute": agenda and draft minutes; "approve": the chair)."""
    meeting = get_object_or_404(meetings_visible_to(user), pk=pk)
    access.require_change(user, meeting, for_change, MEETING_PREDICATES)
    return meeting


def approved_version(meeting: Meeting) -> MinutesVersion | None:
    return (
        meeting.versions.filter(status=MinutesVersion.Status.APPROVED).order_by("-number").first()
    )


def minutes_editable(meeting: Meeting) -> bool:
    """Draft minutes can be edited: none approved yet, or a correction is open."""
    latest = meeting.versions.order_by("-number").first()
    return latest is None or latest.status == MinutesVersion.Status.DRAFT


def meetings_list(user) -> list[Meeting]:
    return list(meetings_visible_to(user).order_by("-month", "series__name")[:100])


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series_id=meeting.series_id, month__gt=meeting.month)
        .order_by("month")
        .first()
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series_id=meeting.series_id, month__lt=meeting.month)
        .order_by("-month")
        .first()
    )


# ---------------------------------------------------------------- agenda items and actions


def _confidential_filter(user, prefix: str) -> Q:
    """Confidential rows only for participants of their series."""
    return Q(is_confidential=False) | Q(**{f"{prefix}series_id__in": list(participations(user))})


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.select_related("meeting__series")
        .filter(meeting__in=meetings_visible_to(user))
        .filter(_confidential_filter(user, "meeting__"))
    )


def can_change_item(user, item: AgendaItem) -> bool:
    return can_minute(user, item.meeting)


ITEM_PREDICATES = {"change": can_change_item}


def agenda_item_get_for_user(user, pk: int, *, for_change: bool | str = False) -> AgendaItem:
    item = get_object_or_404(agenda_items_visible_to(user), pk=pk)
    access.require_change(user, item, for_change, ITEM_PREDICATES)
    return item


def actions_visible_to(user) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.select_related("meeting__series__location", "owner__user")
        .filter(meeting__in=meetings_visible_to(user))
        .filter(_confidential_filter(user, "meeting__"))
    )


def can_change_action(user, action: ActionItem) -> bool:
    """Its owner, the series' participants and its managers mark an action done."""
    return (
        action.owner.user_id == user.pk
        or is_participant(user, action.meeting.series)
        or can_manage_series(user, action.meeting.series)
    )


ACTION_PREDICATES = {"change": can_change_action}


def action_get_for_user(user, pk: int, *, for_change: bool | str = False) -> ActionItem:
    action = get_object_or_404(actions_visible_to(user), pk=pk)
    access.require_change(user, action, for_change, ACTION_PREDICATES)
    return action


def due_state(action: ActionItem, today: date | None = None) -> str:
    """ "late", "soon" or "" for an open action (the list shows it in colour and in words)."""
    if action.status != ActionItem.Status.OPEN:
        return ""
    today = today or timezone.localdate()
    if action.due_date < today:
        return "late"
    if action.due_date <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return ""


def action_list(user, *, mine: bool, location_id: int | None = None) -> list[ActionItem]:
    """The action list page: the user's own actions, or those of the visible series (at one
    location when given). A fixed number of queries."""
    actions = actions_visible_to(user).exclude(status=ActionItem.Status.CANCELLED)
    if mine:
        actions = actions.filter(owner__user=user)
    if location_id is not None:
        actions = actions.filter(meeting__series__location_id=location_id)
    rows = list(actions.order_by("status", "due_date", "pk")[:500])
    today = timezone.localdate()
    for action in rows:
        action.due = due_state(action, today)
    return rows


def open_actions_of_series(user, meeting: Meeting) -> list[ActionItem]:
    """The follow-up section: the series' actions still open, agreed at earlier meetings."""
    rows = list(
        actions_visible_to(user)
        .filter(meeting__series_id=meeting.series_id, meeting__month__lt=meeting.month)
        .filter(status=ActionItem.Status.OPEN)
        .order_by("due_date", "pk")
    )
    today = timezone.localdate()
    for action in rows:
        action.due = due_state(action, today)
    return rows


# ---------------------------------------------------------------- minutes versions


def minutes_versions_visible_to(user) -> QuerySet[MinutesVersion]:
    """Approved and superseded versions for everyone who sees the meeting; drafts (an open
    correction) for participants."""
    return (
        MinutesVersion.objects.select_related("meeting__series", "approved_by")
        .filter(meeting__in=meetings_visible_to(user))
        .filter(
            ~Q(status=MinutesVersion.Status.DRAFT)
            | Q(meeting__series_id__in=list(participations(user)))
        )
    )


def minutes_version_get_for_user(user, pk: int, *, for_change: bool | str = False):
    version = get_object_or_404(minutes_versions_visible_to(user), pk=pk)
    access.require_change(user, version, for_change, {"change": lambda _u, _v: False})
    return version


# ---------------------------------------------------------------- the meeting page


def meeting_items(user, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with decisions and actions, confidential ones only for participants; a fixed
    number of queries whatever the number of items."""
    participant = is_participant(user, meeting.series)
    items = AgendaItem.objects.filter(meeting=meeting)
    actions = ActionItem.objects.select_related("owner__user").order_by("due_date", "pk")
    if not participant:
        items = items.filter(is_confidential=False)
        actions = actions.filter(is_confidential=False)
    return list(
        items.select_related("signal", "carried_from__meeting", "proposed_by")
        .prefetch_related("decisions", Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )


def meeting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendances.select_related("member__user").order_by("member__role", "member_id")
    )


def meeting_page(user, meeting: Meeting) -> dict:
    versions = list(meeting.versions.select_related("approved_by").order_by("-number"))
    latest = versions[0] if versions else None
    editable = latest is None or latest.status == MinutesVersion.Status.DRAFT
    participant = is_participant(user, meeting.series)
    shown = next((v for v in versions if v.status == MinutesVersion.Status.APPROVED), None)
    return {
        "meeting": meeting,
        "series": meeting.series,
        "is_participant": participant,
        "can_manage": can_manage_meeting(user, meeting),
        "can_minute": participant and editable,
        "can_approve": can_approve(user, meeting) and editable,
        "can_correct": can_approve(user, meeting) and not editable,
        "items": meeting_items(user, meeting),
        "followups": open_actions_of_series(user, meeting),
        "attendances": meeting_attendances(meeting),
        "versions": versions,
        "approved": shown,
        "draft_visible": participant and editable,
        "minutes_editable": editable,
    }


def action_owner_choices(meeting: Meeting) -> list[SeriesMember]:
    return series_members(meeting.series)


# ---------------------------------------------------------------- mail and reminders


def attendance_by_token(token_hash: str) -> Attendance | None:
    return (
        Attendance.objects.select_related("meeting__series", "member__user")
        .filter(response_token_hash=token_hash)
        .first()
    )


# ---------------------------------------------------------------- a series' parts


def series_members_visible_to(user) -> QuerySet[SeriesMember]:
    return SeriesMember.objects.select_related("series", "user").filter(
        series__in=series_visible_to(user)
    )


def series_member_get_for_user(user, pk: int, *, for_change: bool | str = False) -> SeriesMember:
    member = get_object_or_404(series_members_visible_to(user), pk=pk)
    access.require_change(
        user, member, for_change, {"change": lambda u, m: can_manage_series(u, m.series)}
    )
    return member


def template_items_visible_to(user) -> QuerySet[AgendaTemplateItem]:
    return AgendaTemplateItem.objects.select_related("series").filter(
        series__in=series_visible_to(user)
    )


def template_item_get_for_user(
    user, pk: int, *, for_change: bool | str = False
) -> AgendaTemplateItem:
    item = get_object_or_404(template_items_visible_to(user), pk=pk)
    access.require_change(
        user, item, for_change, {"change": lambda u, i: can_manage_series(u, i.series)}
    )
    return item


def series_list(user) -> list[Series]:
    return list(series_visible_to(user).filter(is_active=True).order_by("name"))


def action_locations(user) -> list:
    return access.locations_where(user, "signalering.meetings")


def minutes_content_for(user, meeting: Meeting) -> dict:
    """The minutes the user may read: the approved version; for participants while the
    minutes are still a draft (or a correction is open), the draft as it stands. 404 when
    there is nothing the user may read."""
    from django.http import Http404

    from signalering import minutes

    if is_participant(user, meeting.series) and minutes_editable(meeting):
        return minutes.build(meeting)
    version = approved_version(meeting)
    if version is None:
        raise Http404
    return version.content


# ---------------------------------------------------------------- signals and recommendations
#
# Signals are raised by everyone and seen by the members of their location; a signal without a
# location (national) is seen by coordinators and the stuurgroep. Whoever holds
# `signalering.national` also sees the signals that a regional or national recommendation is
# built on (they are part of it). The national view counts every signal but shows no signal's
# description from outside the user's own locations (`national_overview`).
#
# The register: a local recommendation is seen by the members of its location; regional and
# national ones by coordinators and the stuurgroep. Coordinators change what they see: at their
# own location, and regional and national ones wherever they coordinate. The consent round
# is answered by a coordinator of one of the three lines at the recommendation's location.

SIGNAL_LINES = (
    Organisation.Kind.JURIDISCH_LOKET,
    Organisation.Kind.SOCIAAL_RAADSLIEDEN,
    Organisation.Kind.SOCIALE_ADVOCATUUR,
)
FEEDBACK_SOURCES = (Signal.Source.INTAKE_FEEDBACK, Signal.Source.PIKET_NOT_REACHED)
# how far back the national view looks, and at how many locations a theme is a rode draad
NATIONAL_MONTHS = 12
RODE_DRAAD_LOCATIONS = 3


def _member_location_ids(user) -> set[int]:
    return {m.organisation.location_id for m in access.memberships(user)}


def signals_visible_to(user) -> QuerySet[Signal]:
    signals = Signal.objects.select_related("location", "legal_area", "raised_by")
    if not access.can(user, "signalering.raise"):
        return signals.none()
    visible = Q(location_id__in=_member_location_ids(user))
    if access.can(user, "signalering.national"):
        above_location = Recommendation.objects.filter(
            signals=OuterRef("pk"), level__in=[Recommendation.Level.REGIONAL, "national"]
        )
        visible |= Q(location__isnull=True) | Q(Exists(above_location))
    return signals.filter(visible)


def can_handle_signal(user, signal: Signal) -> bool:
    """Resolve it, or say whether feedback was justified: a coordinator of its location (of a
    national signal: any coordinator)."""
    if signal.location_id is None:
        return access.can(user, "signalering.take_part")
    return access.can(user, "signalering.take_part", signal.location)


SIGNAL_PREDICATES = {"change": can_handle_signal, "resolve": can_handle_signal}


def signal_get_for_user(user, pk: int, *, for_change: bool | str = False) -> Signal:
    """404 unless the user may see the signal; 403 unless they may handle it."""
    signal = get_object_or_404(signals_visible_to(user), pk=pk)
    access.require_change(user, signal, for_change, SIGNAL_PREDICATES)
    return signal


@dataclass(frozen=True)
class SignalFilters:
    location_id: int | None = None
    status: str = ""
    kind: str = ""
    theme: str = ""


def signal_backlog(user, filters: SignalFilters, limit: int = 200) -> list[Signal]:
    """The signals of the user's locations (and the national ones they see), newest first;
    a fixed number of queries."""
    signals = signals_visible_to(user).prefetch_related("organisations")
    if filters.location_id:
        signals = signals.filter(location_id=filters.location_id)
    for field in ("status", "kind", "theme"):
        if value := getattr(filters, field):
            signals = signals.filter(**{field: value})
    return list(signals.order_by("-created_at", "-pk")[:limit])


def signal_locations(user) -> list[Location]:
    """The locations whose signals the user sees (for the backlog's filter)."""
    return list(Location.objects.filter(pk__in=_member_location_ids(user)).order_by("name"))


def signal_recommendations(user, signal: Signal) -> list[Recommendation]:
    return list(recommendations_visible_to(user).filter(signals=signal).order_by("title"))


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.select_related("location", "merged_into")
    if not access.can(user, "signalering.raise"):
        return recommendations.none()
    visible = Q(level=Recommendation.Level.LOCAL, location_id__in=_member_location_ids(user))
    if access.can(user, "signalering.national"):
        visible |= ~Q(level=Recommendation.Level.LOCAL)
    return recommendations.filter(visible)


def can_change_recommendation(user, recommendation: Recommendation) -> bool:
    if recommendation.level == Recommendation.Level.LOCAL:
        return access.can(user, "signalering.take_part", recommendation.location)
    return access.can(user, "signalering.take_part")


def consent_line_of(user, recommendation: Recommendation) -> Organisation | None:
    """The organisation through which the user answers the consent round: a coordinator's own
    organisation of one of the three lines at the recommendation's location."""
    if recommendation.location_id is None:
        return None
    for m in access.memberships(user):
        organisation = m.organisation
        if (
            m.role in access.CAPABILITIES["signalering.take_part"]
            and organisation.location_id == recommendation.location_id
            and organisation.kind in SIGNAL_LINES
        ):
            return organisation
    return None


def can_consent_recommendation(user, recommendation: Recommendation) -> bool:
    return consent_line_of(user, recommendation) is not None


RECOMMENDATION_PREDICATES = {
    "change": can_change_recommendation,
    "consent": can_consent_recommendation,
}


def recommendation_get_for_user(user, pk: int, *, for_change: bool | str = False) -> Recommendation:
    """404 unless the user may see the recommendation; 403 unless they may change it
    (`for_change="consent"`: answer the consent round for their line)."""
    recommendation = get_object_or_404(recommendations_visible_to(user), pk=pk)
    access.require_change(user, recommendation, for_change, RECOMMENDATION_PREDICATES)
    return recommendation


@dataclass(frozen=True)
class RegisterFilters:
    level: str = ""
    status: str = ""
    location_id: int | None = None


def recommendation_register(user, filters: RegisterFilters) -> list[Recommendation]:
    """The register as the user sees it, newest first, with what its rows show; a fixed number
    of queries."""
    recommendations = recommendations_visible_to(user).annotate(
        signal_count=Count("signals", distinct=True),
        meeting_count=Count("meetings", distinct=True),
    )
    if filters.level:
        recommendations = recommendations.filter(level=filters.level)
    if filters.status:
        recommendations = recommendations.filter(status=filters.status)
    if filters.location_id:
        recommendations = recommendations.filter(location_id=filters.location_id)
    return list(
        recommendations.prefetch_related("consents", "milestones").order_by("-updated_at", "-pk")
    )


def recommendation_export_rows(user) -> list[Recommendation]:
    """Every recommendation the user sees, with its links, for CSV and XLSX."""
    return list(
        recommendations_visible_to(user)
        .prefetch_related(
            "consents",
            "milestones",
            Prefetch("signals", queryset=Signal.objects.only("pk")),
            Prefetch("meetings", queryset=Meeting.objects.only("pk", "month")),
            Prefetch("decisions", queryset=Decision.objects.only("pk")),
            Prefetch("merged_from", queryset=Recommendation.objects.only("pk", "merged_into")),
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class RecommendationPage:
    recommendation: Recommendation
    signals: list[Signal]
    hidden_signals: int  # linked signals the user may not read (another location's)
    meetings: list[Meeting]
    decisions: list[Decision]
    merged_from: list[Recommendation]
    milestones: list
    changes: list
    consents: list[tuple[str, object]]  # (line's label, its RecommendationConsent or None)


def recommendation_page(user, recommendation: Recommendation) -> RecommendationPage:
    linked = list(recommendation.signals.values_list("pk", flat=True))
    readable = list(signals_visible_to(user).filter(pk__in=linked).order_by("-created_at", "-pk"))
    consents = {c.line: c for c in recommendation.consents.select_related("organisation")}
    return RecommendationPage(
        recommendation=recommendation,
        signals=readable,
        hidden_signals=len(linked) - len(readable),
        meetings=list(recommendation.meetings.select_related("series").order_by("month")),
        decisions=list(recommendation.decisions.order_by("created_at", "pk")),
        merged_from=list(
            recommendation.merged_from.select_related("location").order_by("location__name")
        ),
        milestones=list(recommendation.milestones.order_by("position", "pk")),
        changes=list(
            recommendation.changes.select_related("changed_by").order_by("changed_at", "pk")
        ),
        consents=[(line.label, consents.get(line.value)) for line in SIGNAL_LINES],
    )


def mergeable_recommendations(user) -> QuerySet[Recommendation]:
    """What the user may merge: recommendations they may change that are not merged yet."""
    candidates = recommendations_visible_to(user).exclude(status=Recommendation.Status.MERGED)
    locations = access.locations_where(user, "signalering.take_part")
    return candidates.filter(
        ~Q(level=Recommendation.Level.LOCAL) | Q(location__in=locations)
    ).order_by("location__name", "title")


def recommendation_locations(user) -> list[Location]:
    """The locations where the user may make a local recommendation."""
    return sorted(access.locations_where(user, "signalering.take_part"), key=lambda loc: loc.name)


# ---------------------------------------------------------------- the national view


@dataclass(frozen=True)
class ThemeRow:
    theme: str  # e.g. "Rechtsgebied: Huurrecht", "Wederpartij: UWV"
    counts: tuple[int, ...]  # per month
    total: int
    locations: int  # at how many locations the theme was raised


@dataclass(frozen=True)
class NationalOverview:
    months: tuple[date, ...]
    themes: tuple[ThemeRow, ...]
    rode_draden: tuple[ThemeRow, ...]
    signals_per_location: tuple[tuple[str, int, int], ...]  # (location, signals, open)
    zelfredzaamheid: tuple[tuple[str, int, int], ...]  # (location, signals, people refused)
    recommendations: tuple[tuple[str, str, int], ...]  # (level label, status label, count)
    national_recommendations: list[Recommendation]


def _theme_label(row: dict, legal_areas: dict[int, str]) -> str:
    theme = row["theme"]
    if theme == Signal.Theme.LEGAL_AREA and row["legal_area_id"]:
        return f"{Signal.Theme.LEGAL_AREA.label}: {legal_areas.get(row['legal_area_id'], '?')}"
    if theme == Signal.Theme.COUNTERPARTY and row["counterparty"]:
        return f"{Signal.Theme.COUNTERPARTY.label}: {row['counterparty'].strip().upper()}"
    if theme == Signal.Theme.PROCESS_STEP and row["process_step"]:
        step = Signal.ProcessStep(row["process_step"]).label
        return f"{Signal.Theme.PROCESS_STEP.label}: {step}"
    return str(Signal.Theme.OTHER.label)


def _months_back(today: date, count: int) -> tuple[date, ...]:
    first = today.replace(day=1)
    months = []
    for _step in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return tuple(reversed(months))


def national_overview(user, *, today: date | None = None) -> NationalOverview:
    """Signals and recommendations across locations by theme and month, in counts; a fixed
    number of queries. Counts of signals are not personal; descriptions are not shown here."""
    today = today or timezone.localdate()
    months = _months_back(today, NATIONAL_MONTHS)
    since = datetime.combine(months[0], time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        Signal.objects.filter(created_at__gte=since)
        .annotate(created_month=TruncMonth("created_at"))
        .values(
            "theme",
            "legal_area_id",
            "counterparty",
            "process_step",
            "location_id",
            "created_month",
        )
        .annotate(signals=Count("pk"))
        .order_by()
    )
    legal_areas = dict(LegalArea.objects.values_list("pk", "name"))
    index = {month: i for i, month in enumerate(months)}
    per_theme: dict[str, list[int]] = {}
    theme_locations: dict[str, set] = {}
    for row in rows:
        label = _theme_label(row, legal_areas)
        counts = per_theme.setdefault(label, [0] * len(months))
        month = timezone.localtime(row["created_month"]).date().replace(day=1)
        if month in index:
            counts[index[month]] += row["signals"]
        if row["location_id"] is not None:
            theme_locations.setdefault(label, set()).add(row["location_id"])
    themes = tuple(
        sorted(
            (
                ThemeRow(label, tuple(c), sum(c), len(theme_locations.get(label, ())))
                for label, c in per_theme.items()
            ),
            key=lambda r: (-r.locations, -r.total, r.theme),
        )
    )
    per_location = (
        Signal.objects.filter(created_at__gte=since, location__isnull=False)
        .values("location__name")
        .annotate(
            signals=Count("pk"),
            open=Count("pk", filter=~Q(status=Signal.Status.RESOLVED)),
            zelfredzaam=Count("pk", filter=Q(kind=Signal.Kind.ZELFREDZAAMHEID)),
            refused=Sum("refused_count", filter=Q(kind=Signal.Kind.ZELFREDZAAMHEID)),
        )
        .order_by("location__name")
    )
    per_location = list(per_location)
    levels, statuses = Recommendation.Level, Recommendation.Status
    recommendation_counts = (
        Recommendation.objects.values("level", "status")
        .annotate(n=Count("pk"))
        .order_by("level", "status")
    )
    return NationalOverview(
        months=months,
        themes=themes,
        rode_draden=tuple(t for t in themes if t.locations >= RODE_DRAAD_LOCATIONS),
        signals_per_location=tuple(
            (r["location__name"], r["signals"], r["open"]) for r in per_location
        ),
        zelfredzaamheid=tuple(
            (r["location__name"], r["zelfredzaam"], r["refused"] or 0)
            for r in per_location
            if r["zelfredzaam"]
        ),
        recommendations=tuple(
            (levels(r["level"]).label, statuses(r["status"]).label, r["n"])
            for r in recommendation_counts
        ),
        national_recommendations=list(
            recommendations_visible_to(user)
            .exclude(level=levels.LOCAL)
            .exclude(status=statuses.MERGED)
            .annotate(
                signal_count=Count("signals", distinct=True),
                location_count=Count("merged_from__location", distinct=True),
            )
            .order_by("-updated_at", "-pk")[:50]
        ),
    )


def decision_for_recommendation(user, pk: int) -> Decision:
    """A meeting's decision that the user may turn into a recommendation: 404 unless it was
    taken in a series of a location where the user coordinates (a regional or national series:
    one that spans such a location)."""
    locations = access.locations_where(user, "signalering.take_part")
    decisions = Decision.objects.select_related(
        "agenda_item__meeting__series", "agenda_item__signal"
    ).filter(
        Q(agenda_item__meeting__series__location__in=locations)
        | Q(agenda_item__meeting__series__locations__in=locations)
    )
    return get_object_or_404(decisions.distinct(), pk=pk)

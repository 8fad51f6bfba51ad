"""Reads of the signaleringsoverleg, as the user may see them."""

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
from signalering.models import Decision, Meeting, Recommendation, Signal

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

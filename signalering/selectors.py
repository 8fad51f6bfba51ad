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

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import access
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    Meeting,
    MinutesVersion,
    Series,
    SeriesMember,
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

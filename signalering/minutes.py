"""The minutes of a meeting as one plain structure: built from the live agenda (the draft),
kept as the content of an approved MinutesVersion, and rendered alike on the page, in the mail
and in the PDF. `for_audience` leaves confidential items and actions out for guests."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from signalering.models import ActionItem, AgendaItem, Meeting

VERSION = 1


def build(meeting: Meeting) -> dict:
    """The meeting's minutes as they stand: items with minutes, decisions and actions, and who
    was present. Plain JSON types only (names of professionals and guests, no client data: the
    texts passed the PII guard)."""
    actions = ActionItem.objects.select_related("owner__user").order_by("due_date", "pk")
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("carried_from__meeting")
        .prefetch_related("decisions", Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )
    attendances = meeting.attendances.select_related("member__user").order_by(
        "member__role", "member_id"
    )
    return {
        "version": VERSION,
        "series": meeting.series.name,
        "month": meeting.month.isoformat(),
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
        "place": meeting.place,
        "items": [
            {
                "id": item.pk,
                "section": item.section,
                "section_label": str(item.get_section_display()),
                "title": item.title,
                "description": item.description,
                "minutes": item.minutes,
                "is_confidential": item.is_confidential,
                "is_done": item.is_done,
                "decisions": [d.text for d in item.decisions.all()],
                "actions": [
                    {
                        "id": action.pk,
                        "description": action.description,
                        "owner": action.owner.display_name,
                        "due_date": action.due_date.isoformat(),
                        "status": action.status,
                        "is_confidential": action.is_confidential,
                    }
                    for action in item.actions.all()
                ],
            }
            for item in items
        ],
        "attendance": [
            {
                "name": attendance.member.display_name,
                "organisation": attendance.member.guest_organisation,
                "is_guest": attendance.member.user_id is None,
                "present": attendance.present,
            }
            for attendance in attendances
        ],
    }


def for_audience(content: dict, confidential: bool) -> dict:
    """The content without confidential items and actions unless `confidential`."""
    if confidential:
        return content
    items = []
    for item in content.get("items", []):
        if item.get("is_confidential"):
            continue
        actions = [a for a in item.get("actions", []) if not a.get("is_confidential")]
        items.append({**item, "actions": actions})
    return {**content, "items": items}

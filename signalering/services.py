"""Writes of the signaleringsoverleg: series and their participants, meetings, agenda, minutes,
decisions, actions, approval and correction, carry-over, and the mails.

Every service checks what the getter could not (the meeting's state, the owner of an action)
and raises a ValidationError with a Dutch message; nothing is changed then. Approved minutes
are immutable in PostgreSQL too (migration 0002).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, Organisation, User
from cases import figures as case_figures
from cases.models import LegalArea
from piket import figures as piket_figures
from signalering import minutes as minutes_content
from signalering import selectors
from signalering.models import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    Decision,
    Meeting,
    MinutesVersion,
    Recommendation,
    RecommendationChange,
    RecommendationConsent,
    RecommendationMilestone,
    Section,
    Series,
    SeriesMember,
    Signal,
)

log = logging.getLogger(__name__)

# The agenda template a new series starts with (coordinators edit it afterwards).
DEFAULT_TEMPLATE = [
    (Section.SIGNALS, "Ontvangen signalen"),
    (Section.REPORT, "Maandrapportage"),
    (Section.GOES_WELL, "Wat gaat goed"),
    (Section.CAN_IMPROVE, "Wat kan beter"),
    (Section.RECOMMENDATIONS, "Aanbevelingen"),
    (Section.ACTIONS, "Opvolging van acties"),
]


def _month_label(month: date) -> str:
    return formats.date_format(month, "F Y")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _full_clean(obj, exclude: list[str] | None = None) -> None:
    """The model's validators (the PII guard among them), without the unique checks that the
    database and the service's own messages cover."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# ---------------------------------------------------------------- series


@dataclass(frozen=True)
class SeriesData:
    name: str
    location: object  # accounts.Location
    default_weekday: int | None = None
    default_time: time | None = None
    days_before_agenda_mail: int = 5
    is_active: bool = True


@transaction.atomic
def series_create(*, user: User, data: SeriesData) -> Series:
    """A local series of a coordinator's location, with the default agenda template and the
    coordinator as its chair."""
    if not selectors.can_create_series(user) or data.location.pk not in {
        loc.pk for loc in selectors.access.locations_where(user, "signalering.manage")
    }:
        raise ValidationError(_("U kunt alleen een overlegreeks maken voor uw eigen locatie."))
    series = Series(
        name=data.name,
        kind=Series.Kind.LOCAL,
        location=data.location,
        default_weekday=data.default_weekday,
        default_time=data.default_time,
        days_before_agenda_mail=data.days_before_agenda_mail,
        is_active=data.is_active,
    )
    _full_clean(series)
    series.save()
    series_seed_template(series=series)
    SeriesMember.objects.create(series=series, user=user, role=SeriesMember.Role.CHAIR)
    return series


def series_seed_template(*, series: Series) -> None:
    if series.template_items.exists():
        return
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(series=series, section=section, title=title, position=index * 10)
        for index, (section, title) in enumerate(DEFAULT_TEMPLATE, start=1)
    )


@transaction.atomic
def series_update(*, user: User, series: Series, data: SeriesData) -> Series:
    for field in ("name", "default_weekday", "default_time", "days_before_agenda_mail"):
        setattr(series, field, getattr(data, field))
    series.is_active = data.is_active
    _full_clean(series)
    series.save(
        update_fields=[
            "name",
            "default_weekday",
            "default_time",
            "days_before_agenda_mail",
            "is_active",
        ]
    )
    return series


@transaction.atomic
def series_member_add(
    *,
    user: User,
    series: Series,
    member_user: User | None = None,
    guest_name: str = "",
    guest_email: str = "",
    guest_organisation: str = "",
    role: str = SeriesMember.Role.MEMBER,
) -> SeriesMember:
    """A participant with an account, or a guest (name, e-mail, organisation) without one."""
    if (member_user is None) == (not guest_email):
        raise ValidationError(
            _("Kies een deelnemer met een account, of vul naam en e-mailadres van een gast in.")
        )
    if member_user is None:
        role = SeriesMember.Role.GUEST
        if not guest_name:
            raise ValidationError({"guest_name": _("Vul de naam van de gast in.")})
    elif role == SeriesMember.Role.GUEST:
        role = SeriesMember.Role.MEMBER
    existing = SeriesMember.objects.filter(
        series=series,
        **({"user": member_user} if member_user else {"guest_email": guest_email.lower()}),
    ).first()
    if existing is not None:
        if existing.is_active:
            raise ValidationError(_("Deze persoon doet al mee aan deze overlegreeks."))
        existing.is_active, existing.role = True, role
        existing.save(update_fields=["is_active", "role"])
        return existing
    member = SeriesMember(
        series=series,
        user=member_user,
        guest_name=guest_name,
        guest_email=guest_email.lower(),
        guest_organisation=guest_organisation,
        role=role,
    )
    _full_clean(member, exclude=["user", "series"])
    member.save()
    return member


@transaction.atomic
def series_member_remove(*, user: User, member: SeriesMember) -> None:
    """Deactivated, not deleted: their actions and attendance stay in the minutes."""
    if (
        member.role == SeriesMember.Role.CHAIR
        and not member.series.members.filter(role=SeriesMember.Role.CHAIR, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(_("Een overlegreeks heeft een voorzitter nodig."))
    member.is_active = False
    member.save(update_fields=["is_active"])


@transaction.atomic
def template_item_add(
    *, user: User, series: Series, section: str, title: str, is_recurring: bool = True
) -> AgendaTemplateItem:
    last = series.template_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaTemplateItem(
        series=series, section=section, title=title, is_recurring=is_recurring, position=last + 10
    )
    _full_clean(item, exclude=["series"])
    item.save()
    return item


@transaction.atomic
def template_item_remove(*, user: User, item: AgendaTemplateItem) -> None:
    item.delete()


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_plan(
    *, user: User, series: Series, starts_at: datetime, place: str = "", online_url: str = ""
) -> Meeting:
    """A meeting of the series in the month of `starts_at` (one a month): its participants
    invited, the recurring template items and what was left open last time on its agenda."""
    local = timezone.localtime(starts_at)
    month = local.date().replace(day=1)
    if Meeting.objects.filter(series=series, month=month).exists():
        raise ValidationError(
            {
                "starts_at": _(
                    "Er is al een overleg van deze reeks in %(month)s. Per maand is er één "
                    "overleg; wijzig dat overleg of kies een andere maand."
                )
                % {"month": _month_label(month)}
            }
        )
    meeting = Meeting(
        series=series, month=month, starts_at=starts_at, place=place, online_url=online_url
    )
    _full_clean(meeting, exclude=["series"])
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # planned at the same moment by someone else
        raise ValidationError(
            _("Er is al een overleg van deze reeks in %(month)s.") % {"month": _month_label(month)}
        ) from None
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member)
        for member in series.members.filter(is_active=True)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            section=t.section,
            title=t.title,
            position=t.position,
        )
        for t in series.template_items.filter(is_recurring=True).order_by("position", "pk")
    )
    carry_over(meeting=meeting)
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 10


def carry_over(*, meeting: Meeting) -> int:
    """Topics of the previous meeting that are not done come onto this meeting's agenda (once:
    a unique constraint on (meeting, carried_from)). Open actions need no copy: the follow-up
    section lists every open action of the series. Returns how many topics came over."""
    previous = selectors.previous_meeting(meeting)
    if previous is None:
        return 0
    recurring = set(
        meeting.series.template_items.filter(is_recurring=True).values_list("title", flat=True)
    )
    already = set(meeting.items.exclude(carried_from=None).values_list("carried_from", flat=True))
    position = _next_position(meeting)
    new = []
    for item in previous.items.filter(is_done=False).order_by("position", "pk"):
        if item.pk in already or (item.signal_id is None and item.title in recurring):
            continue  # a recurring section is on every agenda anyway
        new.append(
            AgendaItem(
                meeting=meeting,
                section=item.section,
                title=item.title,
                description=item.description,
                position=position,
                proposed_by=item.proposed_by,
                signal=item.signal,
                carried_from=item,
                is_confidential=item.is_confidential,
            )
        )
        position += 1
    AgendaItem.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def meeting_prepare(*, user: User, meeting: Meeting) -> Meeting:
    """Before the meeting: what was left open comes over, the location's open signals go on the
    agenda, and the month report of the past month is assembled (frozen at approval)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("Dit overleg is al gehouden."))
    carry_over(meeting=meeting)
    _signals_to_agenda(meeting)
    meeting.report = _report_json(meeting, audience="team")
    meeting.report_guests = _report_json(meeting, audience="guests")
    meeting.status = Meeting.Status.PREPARED
    meeting.prepared_at = timezone.now()
    meeting.save(update_fields=["report", "report_guests", "status", "prepared_at"])
    return meeting


def _series_locations(series: Series) -> list:
    if series.location_id:
        return [series.location]
    return list(series.locations.order_by("name"))


def _signals_to_agenda(meeting: Meeting) -> int:
    locations = _series_locations(meeting.series)
    signals = list(
        Signal.objects.select_for_update()
        .filter(location__in=locations, status=Signal.Status.OPEN)
        .order_by("created_at", "pk")
    )
    position = _next_position(meeting)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                section=Section.SIGNALS,
                title=f"{signal.get_kind_display()}: {signal.description[:120]}",
                position=position + index,
                signal=signal,
            )
            for index, signal in enumerate(signals)
        ],
        ignore_conflicts=True,
    )
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(status=Signal.Status.ON_AGENDA)
    return len(signals)


def _report_month(meeting: Meeting) -> date:
    """A meeting discusses the month before its own."""
    return (meeting.month - timedelta(days=1)).replace(day=1)


def _report_json(meeting: Meeting, *, audience: str) -> dict | None:
    from signalering.report import month_report

    locations = _series_locations(meeting.series)
    if not locations:
        return None
    return month_report(
        locations=locations, month=_report_month(meeting), audience=audience
    ).to_json()


def month_reports_count(*, month: date | None = None) -> int:
    """Count the month report figures of every active series into the cache (the beat task
    `count_month_reports`), so that preparing a meeting reads them in two queries instead of
    counting (seconds per location at 1M cases: bench/README.md). `month` defaults to last
    month, the one the coming meetings discuss. Returns the number of scopes counted."""
    from signalering.report import count_month_figures

    if month is None:
        month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    scopes: dict[tuple[int, ...], list] = {}
    series_all = Series.objects.filter(is_active=True).select_related("location")
    for series in series_all.prefetch_related("locations"):
        locations = _series_locations(series)
        if locations:
            scopes.setdefault(tuple(sorted(loc.pk for loc in locations)), locations)
    for index, locations in enumerate(scopes.values()):
        # the other locations' months (the national comparison) are counted once for all
        count_month_figures(locations=locations, month=month, national=index == 0)
    return len(scopes)


# ---------------------------------------------------------------- agenda and minutes


def _require_editable(meeting: Meeting) -> None:
    if not selectors.minutes_editable(meeting):
        raise ValidationError(
            _(
                "Het verslag is vastgesteld en kan niet meer worden gewijzigd. De voorzitter kan "
                "een correctie starten; die wordt een nieuwe versie."
            )
        )


@transaction.atomic
def agenda_item_add(
    *,
    user: User,
    meeting: Meeting,
    title: str,
    description: str = "",
    section: str = Section.OTHER,
    is_confidential: bool = False,
) -> AgendaItem:
    """A participant puts a topic on the agenda (in advance, or during the meeting)."""
    _require_editable(meeting)
    item = AgendaItem(
        meeting=meeting,
        section=section,
        title=title,
        description=description,
        position=_next_position(meeting),
        proposed_by=user,
        is_confidential=is_confidential,
    )
    _full_clean(item, exclude=["meeting", "proposed_by", "signal", "carried_from"])
    item.save()
    return item


@transaction.atomic
def agenda_item_minute(
    *, user: User, item: AgendaItem, minutes: str, is_confidential: bool, is_done: bool
) -> AgendaItem:
    """The draft minutes of one item."""
    _require_editable(item.meeting)
    item.minutes, item.is_confidential, item.is_done = minutes, is_confidential, is_done
    _full_clean(item, exclude=["meeting", "proposed_by", "signal", "carried_from"])
    item.save(update_fields=["minutes", "is_confidential", "is_done"])
    if item.signal_id and is_done:
        Signal.objects.filter(pk=item.signal_id, status=Signal.Status.ON_AGENDA).update(
            status=Signal.Status.DISCUSSED
        )
    return item


@transaction.atomic
def decision_add(*, user: User, item: AgendaItem, text: str) -> Decision:
    _require_editable(item.meeting)
    last = item.decisions.aggregate(last=Max("position"))["last"] or 0
    decision = Decision(agenda_item=item, text=text, position=last + 1, created_by=user)
    _full_clean(decision, exclude=["agenda_item", "created_by"])
    decision.save()
    return decision


@transaction.atomic
def action_add(
    *,
    user: User,
    item: AgendaItem,
    description: str,
    owner: SeriesMember | None,
    due_date: date | None,
    is_confidential: bool = False,
) -> ActionItem:
    """An action agreed on an item: its owner a participant or guest of the series, due no
    earlier than the meeting."""
    meeting = item.meeting
    _require_editable(meeting)
    errors = {}
    if owner is None or owner.series_id != meeting.series_id or not owner.is_active:
        errors["owner"] = _("De eigenaar moet een deelnemer of gast van deze overlegreeks zijn.")
    if due_date is None:
        errors["due_date"] = _("Vul een datum in.")
    elif due_date < meeting.date:
        errors["due_date"] = _(
            "De actie kan niet eerder af zijn dan het overleg zelf (%(date)s)."
        ) % {"date": formats.date_format(meeting.date, "j F Y")}
    if errors:
        raise ValidationError(errors)
    action = ActionItem(
        meeting=meeting,
        agenda_item=item,
        description=description,
        owner=owner,
        due_date=due_date,
        meeting_date=meeting.date,
        is_confidential=is_confidential or item.is_confidential,
        created_by=user,
    )
    _full_clean(action, exclude=["meeting", "agenda_item", "owner", "created_by"])
    action.save()
    return action


@transaction.atomic
def action_set_status(*, user: User, action: ActionItem, status: str) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Onbekende status."))
    action.status = status
    action.done_at = timezone.now() if status == ActionItem.Status.DONE else None
    action.save(update_fields=["status", "done_at"])
    return action


@transaction.atomic
def attendance_record(*, user: User, meeting: Meeting, present: set[int]) -> None:
    """Who was there (Attendance ids in `present`; every other invitee was absent)."""
    _require_editable(meeting)
    for attendance in meeting.attendances.all():
        value = attendance.pk in present
        if attendance.present != value:
            attendance.present = value
            attendance.save(update_fields=["present"])


def attendance_respond(*, token: str, response: str) -> Attendance | None:
    """The invitee's answer from the link in the agenda mail (no account needed)."""
    if response not in (Attendance.Response.YES, Attendance.Response.NO, Attendance.Response.MAYBE):
        return None
    attendance = selectors.attendance_by_token(token_hash(token)) if token else None
    if attendance is None:
        return None
    attendance.response, attendance.responded_at = response, timezone.now()
    attendance.save(update_fields=["response", "responded_at"])
    return attendance


@transaction.atomic
def agenda_item_copy_to_next(*, user: User, item: AgendaItem) -> AgendaItem:
    """By hand: the topic onto the next meeting's agenda (it must be planned)."""
    target = selectors.next_meeting(item.meeting)
    if target is None:
        raise ValidationError(
            _("Er is nog geen volgend overleg gepland. Plan eerst het volgende overleg.")
        )
    if target.items.filter(carried_from=item).exists():
        raise ValidationError(_("Dit punt staat al op de agenda van het volgende overleg."))
    return AgendaItem.objects.create(
        meeting=target,
        section=item.section,
        title=item.title,
        description=item.description,
        position=_next_position(target),
        proposed_by=user,
        signal=item.signal,
        carried_from=item,
        is_confidential=item.is_confidential,
    )


# ---------------------------------------------------------------- approval and correction


@transaction.atomic
def minutes_approve(*, user: User, meeting: Meeting) -> MinutesVersion:
    """The chair approves the draft minutes: a snapshot version, immutable from now on; the
    month report is frozen into the meeting. A correction being approved supersedes the
    version before it (which stays)."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    if not selectors.can_approve(user, meeting):
        raise ValidationError(_("Alleen de voorzitter stelt het verslag vast."))
    _require_editable(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Het verslag kan pas na het overleg worden vastgesteld."))
    now = timezone.now()
    content = minutes_content.build(meeting)
    latest = meeting.versions.order_by("-number").first()
    MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.APPROVED).update(
        status=MinutesVersion.Status.SUPERSEDED
    )
    if latest is not None and latest.status == MinutesVersion.Status.DRAFT:
        version = latest
        version.content, version.status = content, MinutesVersion.Status.APPROVED
        version.approved_by, version.approved_at = user, now
        version.save(update_fields=["content", "status", "approved_by", "approved_at"])
    else:
        version = MinutesVersion.objects.create(
            meeting=meeting,
            number=1,
            status=MinutesVersion.Status.APPROVED,
            content=content,
            approved_by=user,
            approved_at=now,
            created_by=user,
        )
    if meeting.report_frozen_at is None:  # the figures as they stand now, kept from now on
        meeting.report = _report_json(meeting, audience="team")
        meeting.report_guests = _report_json(meeting, audience="guests")
        meeting.report_frozen_at = now
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["report", "report_guests", "report_frozen_at", "status"])
    Signal.objects.filter(agenda_items__meeting=meeting, status=Signal.Status.ON_AGENDA).update(
        status=Signal.Status.DISCUSSED
    )
    version_id = version.pk
    transaction.on_commit(lambda: _enqueue("send_minutes", version_id))
    return version


@transaction.atomic
def minutes_correction_start(*, user: User, meeting: Meeting, reason: str) -> MinutesVersion:
    """Opens a correction: a new draft version; the approved one stays as it is until the
    correction is approved (then it is kept as superseded)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not selectors.can_approve(user, meeting):
        raise ValidationError(_("Alleen de voorzitter kan een correctie starten."))
    latest = meeting.versions.order_by("-number").first()
    if latest is None or latest.status == MinutesVersion.Status.DRAFT:
        raise ValidationError(_("Er is geen vastgesteld verslag om te corrigeren."))
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de correctie.")})
    version = MinutesVersion(
        meeting=meeting,
        number=latest.number + 1,
        correction_reason=reason,
        created_by=user,
    )
    _full_clean(version, exclude=["meeting", "created_by", "content"])
    version.save()
    return version


def _enqueue(task_name: str, *args) -> None:
    from signalering import tasks

    getattr(tasks, task_name).delay(*args)


# ---------------------------------------------------------------- mail


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("signalering:meeting", args=[meeting.pk])


def _send(template: str, context: dict, to: str, attachments=()) -> None:
    message = EmailMultiAlternatives(
        subject=render_to_string(f"emails/{template}-subject.txt", context).strip(),
        body=render_to_string(f"emails/{template}-body.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"emails/{template}-body.html", context), "text/html"
    )
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def send_agenda(*, meeting_id: int) -> int:
    """The agenda with an .ics and answer links to every invitee, once each (Attendance.
    invited_at is set in the same transaction as the mail). Guests get no confidential item."""
    from signalering import ics

    meeting = Meeting.objects.select_related("series__location").filter(pk=meeting_id).first()
    if meeting is None or meeting.status == Meeting.Status.HELD:
        return 0
    items = list(meeting.items.order_by("position", "pk"))
    calendar = ics.meeting_ics(meeting)
    sent = 0
    pending = meeting.attendances.filter(invited_at=None, member__is_active=True)
    for attendance_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            attendance = (
                Attendance.objects.select_for_update(of=("self",))
                .select_related("member__user")
                .get(pk=attendance_id)
            )
            if attendance.invited_at is not None:
                continue
            token = secrets.token_urlsafe(24)
            attendance.response_token_hash = token_hash(token)
            attendance.invited_at = timezone.now()
            attendance.save(update_fields=["response_token_hash", "invited_at"])
            member = attendance.member
            context = {
                "meeting": meeting,
                "member": member,
                "starts_at": timezone.localtime(meeting.starts_at),
                "items": [i for i in items if member.user_id or not i.is_confidential],
                "link": meeting_url(meeting) if member.user_id else "",
                "answers": [
                    (
                        label,
                        settings.SITE_URL + reverse("signalering:respond", args=[token, value]),
                    )
                    for value, label in Attendance.Response.choices
                    if value != Attendance.Response.NONE
                ],
            }
            _send(
                "signalering-agenda",
                context,
                member.email,
                [("overleg.ics", calendar, "text/calendar; method=REQUEST")],
            )
            sent += 1
    Meeting.objects.filter(pk=meeting.pk, agenda_mailed_at=None).update(
        agenda_mailed_at=timezone.now()
    )
    log.info("signalering agenda meeting=%s sent=%s", meeting.pk, sent)
    return sent


def send_due_agendas(today: date | None = None) -> int:
    """The beat's daily round: agendas of meetings within their series' days-before window."""
    today = today or timezone.localdate()
    sent = 0
    candidates = Meeting.objects.select_related("series").filter(
        agenda_mailed_at=None,
        status__in=[Meeting.Status.PLANNED, Meeting.Status.PREPARED],
        starts_at__gte=timezone.now(),
        starts_at__lt=timezone.now() + timedelta(days=61),
    )
    for meeting in candidates:
        if meeting.date - timedelta(days=meeting.series.days_before_agenda_mail) <= today:
            sent += send_agenda(meeting_id=meeting.pk)
    return sent


def send_minutes(*, version_id: int) -> int:
    """The approved minutes to every invitee, once per version (Attendance.
    minutes_mailed_number); guests get the version without confidential items."""
    from signalering import pdf

    version = MinutesVersion.objects.select_related("meeting__series").filter(pk=version_id).first()
    if version is None or version.status != MinutesVersion.Status.APPROVED:
        return 0
    meeting = version.meeting
    sent = 0
    pending = meeting.attendances.filter(member__is_active=True).exclude(
        minutes_mailed_number__gte=version.number
    )
    documents: dict[bool, bytes] = {}
    for attendance_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            attendance = (
                Attendance.objects.select_for_update(of=("self",))
                .select_related("member__user")
                .get(pk=attendance_id)
            )
            if (attendance.minutes_mailed_number or 0) >= version.number:
                continue
            attendance.minutes_mailed_number = version.number
            attendance.save(update_fields=["minutes_mailed_number"])
            member = attendance.member
            confidential = member.user_id is not None
            if confidential not in documents:
                documents[confidential] = pdf.minutes_pdf(
                    version.content, confidential=confidential
                )
            context = {
                "meeting": meeting,
                "member": member,
                "version": version,
                "content": minutes_content.for_audience(version.content, confidential),
                "link": meeting_url(meeting) if member.user_id else "",
            }
            _send(
                "signalering-minutes",
                context,
                member.email,
                [
                    (
                        f"verslag-{meeting.month:%Y-%m}.pdf",
                        documents[confidential],
                        "application/pdf",
                    )
                ],
            )
            sent += 1
    log.info("signalering minutes version=%s sent=%s", version.pk, sent)
    return sent


REMIND_EVERY_DAYS = 7


def send_action_reminders(today: date | None = None) -> int:
    """Overdue open actions: their owner is reminded with a link to the meeting, at most once a
    week (ActionItem.last_reminded_on, set in the same transaction as the mail)."""
    today = today or timezone.localdate()
    last_allowed = today - timedelta(days=REMIND_EVERY_DAYS)
    due = ActionItem.objects.open().filter(due_date__lt=today, owner__is_active=True)
    due = due.exclude(last_reminded_on__gt=last_allowed)
    sent = 0
    for action_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            action = (
                ActionItem.objects.select_for_update(of=("self",))
                .select_related("owner__user", "meeting__series")
                .get(pk=action_id)
            )
            if action.last_reminded_on is not None and action.last_reminded_on > last_allowed:
                continue
            action.last_reminded_on = today
            action.save(update_fields=["last_reminded_on"])
            owner = action.owner
            context = {
                "action": action,
                "member": owner,
                "meeting": action.meeting,
                "show_description": owner.user_id is not None or not action.is_confidential,
                "link": meeting_url(action.meeting) if owner.user_id else "",
            }
            _send("signalering-reminder", context, owner.email)
            sent += 1
    return sent


# ---------------------------------------------------------------- signals and recommendations
#
# Signals: `signal_raise` (anyone, about a pattern, never a client), `signal_resolve` and
# `signal_judge` (a coordinator of its location: resolved with what was done; feedback marked
# justified or not, so the loop closes). `signals_generate_for_month` makes the automatic
# signals of a month from cases.figures and piket.figures; the unique constraint on (source,
# location, month, source code) makes it idempotent.
#
# Recommendations: every status change goes through `recommendation_transition`, against
# RECOMMENDATION_TRANSITIONS, and every change of any kind leaves a RecommendationChange row.
# A local recommendation rises to the national level only once the three lines of its location
# each agreed in the consent round (`recommendation_consent`).

RStatus = Recommendation.Status
RLevel = Recommendation.Level

# From -> the statuses a recommendation may move to by hand. MERGED is reached and left only
# by merging and splitting; CONSENT only locally (the consent round of a location's lines).
RECOMMENDATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RStatus.DRAFT: frozenset({RStatus.CONSENT, RStatus.SUBMITTED, RStatus.DECLINED}),
    RStatus.CONSENT: frozenset({RStatus.DRAFT, RStatus.SUBMITTED}),
    RStatus.SUBMITTED: frozenset({RStatus.IN_PROGRESS, RStatus.ANSWERED, RStatus.DECLINED}),
    RStatus.IN_PROGRESS: frozenset({RStatus.ANSWERED, RStatus.IMPLEMENTED, RStatus.DECLINED}),
    RStatus.ANSWERED: frozenset({RStatus.IN_PROGRESS, RStatus.IMPLEMENTED, RStatus.DECLINED}),
    RStatus.IMPLEMENTED: frozenset(),
    RStatus.DECLINED: frozenset({RStatus.DRAFT}),
    RStatus.MERGED: frozenset(),
}
MANUAL_KINDS = (
    Signal.Kind.GOES_WELL,
    Signal.Kind.CAN_IMPROVE,
    Signal.Kind.BOTTLENECK,
    Signal.Kind.WITTE_VLEK,
    Signal.Kind.IDEA,
    Signal.Kind.ZELFREDZAAMHEID,
)


@dataclass(frozen=True)
class SignalData:
    kind: str
    theme: str
    description: str
    location: Location | None = None  # None: national, not bound to a location
    legal_area: LegalArea | None = None
    counterparty: str = ""
    process_step: str = ""
    organisations: tuple[Organisation, ...] = ()
    case_count: int | None = None
    refused_count: int | None = None


def _signal_problems(data: SignalData) -> dict[str, str]:
    problems = {}
    if data.kind not in MANUAL_KINDS:
        problems["kind"] = _("Kies wat voor signaal het is.")
    if data.theme == Signal.Theme.LEGAL_AREA and data.legal_area is None:
        problems["legal_area"] = _("Kies het rechtsgebied waar het signaal over gaat.")
    if data.theme == Signal.Theme.COUNTERPARTY and not data.counterparty.strip():
        problems["counterparty"] = _("Vul de wederpartij in, bijvoorbeeld UWV of IND.")
    if data.theme == Signal.Theme.PROCESS_STEP and not data.process_step:
        problems["process_step"] = _("Kies de processtap waar het signaal over gaat.")
    if data.kind == Signal.Kind.ZELFREDZAAMHEID and not data.refused_count:
        problems["refused_count"] = _(
            "Vul in hoeveel mensen ten onrechte als zelfredzaam zijn afgewezen (minstens 1)."
        )
    if data.kind != Signal.Kind.ZELFREDZAAMHEID and data.refused_count:
        problems["refused_count"] = _(
            "Het aantal afgewezen mensen hoort alleen bij een signaal over het "
            "zelfredzaamheidscriterium."
        )
    return problems


@transaction.atomic
def signal_raise(*, user, data: SignalData) -> Signal:
    """A signal about a pattern in practice: at one of the user's locations (or national, for
    whoever holds signalering.national). Never which cases: at most how many."""
    if not access.can(user, "signalering.raise"):
        raise PermissionDenied
    if data.location is None:
        if not access.can(user, "signalering.national"):
            raise ValidationError({"location": _("Kies de locatie waar het signaal speelt.")})
    elif not any(m.organisation.location_id == data.location.pk for m in access.memberships(user)):
        raise ValidationError(
            {"location": _("U kunt alleen signalen van uw eigen locatie inbrengen.")}
        )
    if problems := _signal_problems(data):
        raise ValidationError(problems)
    signal = Signal(
        raised_by=user,
        location=data.location,
        kind=data.kind,
        theme=data.theme,
        legal_area=data.legal_area if data.theme == Signal.Theme.LEGAL_AREA else None,
        counterparty=data.counterparty.strip() if data.theme == Signal.Theme.COUNTERPARTY else "",
        process_step=data.process_step if data.theme == Signal.Theme.PROCESS_STEP else "",
        description=data.description.strip(),
        case_count=data.case_count,
        refused_count=data.refused_count if data.kind == Signal.Kind.ZELFREDZAAMHEID else None,
        source=Signal.Source.MANUAL,
    )
    signal.full_clean()
    signal.save()
    signal.organisations.set(data.organisations)
    return signal


@transaction.atomic
def signal_resolve(*, user, signal: Signal, resolution: str) -> Signal:
    """Close the loop: what was done about it. A resolved signal stays resolved."""
    if not selectors.can_handle_signal(user, signal):
        raise PermissionDenied
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status == Signal.Status.RESOLVED:
        raise ValidationError(_("Dit signaal is al afgehandeld."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Beschrijf hoe het signaal is afgehandeld.")})
    signal.resolution = resolution.strip()
    signal.status = Signal.Status.RESOLVED
    signal.resolved_at = timezone.now()
    signal.full_clean()
    signal.save(update_fields=["resolution", "status", "resolved_at"])
    return signal


@transaction.atomic
def signal_judge(*, user, signal: Signal, justified: bool) -> Signal:
    """For the second line's feedback and the piket's not-reached counts: was it justified?"""
    if not selectors.can_handle_signal(user, signal):
        raise PermissionDenied
    if signal.source not in selectors.FEEDBACK_SOURCES:
        raise ValidationError(
            _("Alleen bij terugkoppeling en niet-bereikt-signalen geeft u aan of het terecht was.")
        )
    signal.justified = justified
    signal.save(update_fields=["justified"])
    return signal


def _month_name(month: date) -> str:
    return date_format(month, "F Y")


@transaction.atomic
def signals_generate_for_month(*, month: date) -> int:
    """The automatic signals of one month (its first day): per location, one per feedback
    code of the second line on intakes, and one for the piket's consults whose advocaat was
    not reached (per location, never per advocaat). Running it again changes nothing but
    the counts, if late records changed them. Returns how many signals were new."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    wanted: list[tuple[str, int, str, int, str, str]] = []
    for row in case_figures.second_line_feedback_by_location(start=start, end=end):
        text = _(
            "Terugkoppeling van de tweede lijn op intakes in %(month)s: “%(label)s” bij "
            "%(count)s advies(en)."
        ) % {"month": _month_name(start), "label": row.label, "count": row.advice}
        wanted.append(
            (
                Signal.Source.INTAKE_FEEDBACK,
                row.location_id,
                row.code,
                row.advice,
                text,
                Signal.ProcessStep.TERUGKOPPELING,
            )
        )
    for row in piket_figures.not_reached_by_location(start=start, end=end):
        text = _(
            "Piket in %(month)s: bij %(count)s van de %(booked)s geboekte consulten was de "
            "advocaat niet bereikbaar."
        ) % {"month": _month_name(start), "count": row.not_reached, "booked": row.booked}
        wanted.append(
            (
                Signal.Source.PIKET_NOT_REACHED,
                row.location_id,
                "niet_bereikt",
                row.not_reached,
                text,
                Signal.ProcessStep.PIKET,
            )
        )
    kind = {
        Signal.Source.INTAKE_FEEDBACK: Signal.Kind.INTAKE_FEEDBACK,
        Signal.Source.PIKET_NOT_REACHED: Signal.Kind.NOT_REACHED,
    }
    created = 0
    for source, location_id, code, count, text, step in wanted:
        signal, new = Signal.objects.get_or_create(
            source=source,
            location_id=location_id,
            month=start,
            source_code=code,
            defaults={
                "kind": kind[source],
                "theme": Signal.Theme.PROCESS_STEP,
                "process_step": step,
                "description": text,
                "case_count": count,
            },
        )
        created += new
        if not new and signal.case_count != count:
            signal.case_count, signal.description = count, text
            signal.save(update_fields=["case_count", "description"])
    return created


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class RecommendationData:
    title: str
    text: str
    addressee_kind: str
    addressee_name: str = ""
    level: str = RLevel.LOCAL
    location: Location | None = None


def _record(recommendation: Recommendation, user, what: str, note: str = "") -> None:
    RecommendationChange.objects.create(
        recommendation=recommendation, changed_by=user, what=what, note=note
    )


def _check_level(user, data: RecommendationData) -> None:
    if data.level == RLevel.LOCAL:
        if data.location is None:
            raise ValidationError({"location": _("Kies de locatie van de aanbeveling.")})
        if not access.can(user, "signalering.take_part", data.location):
            raise ValidationError(
                {"location": _("U kunt alleen aanbevelingen van uw eigen locatie maken.")}
            )
    elif not access.can(user, "signalering.take_part"):
        raise PermissionDenied


@transaction.atomic
def recommendation_create(
    *,
    user,
    data: RecommendationData,
    signals: Iterable[Signal] = (),
    decisions: Iterable[Decision] = (),
    meetings: Iterable[Meeting] = (),
) -> Recommendation:
    """A recommendation in the register, directly or from a meeting's decision (then linked to
    the decision, its meeting and its agenda item's signal)."""
    _check_level(user, data)
    recommendation = Recommendation(
        title=data.title.strip(),
        text=data.text.strip(),
        level=data.level,
        location=data.location if data.level == RLevel.LOCAL else None,
        addressee_kind=data.addressee_kind,
        addressee_name=data.addressee_name.strip(),
        created_by=user,
    )
    recommendation.full_clean()
    recommendation.save()
    recommendation.signals.set(signals)
    recommendation.decisions.set(decisions)
    recommendation.meetings.set(meetings)
    _record(recommendation, user, "created", _("Aangemaakt."))
    return recommendation


@transaction.atomic
def recommendation_from_decision(
    *, user, decision: Decision, data: RecommendationData
) -> Recommendation:
    item = decision.agenda_item
    return recommendation_create(
        user=user,
        data=data,
        decisions=[decision],
        meetings=[item.meeting],
        signals=[item.signal] if item.signal_id else [],
    )


def _locked(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


@transaction.atomic
def recommendation_transition(
    *, user, recommendation: Recommendation, status: str, note: str = ""
) -> Recommendation:
    """The one place where a recommendation's status changes by hand: against
    RECOMMENDATION_TRANSITIONS, with a history row."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    before = recommendation.status
    if status not in RECOMMENDATION_TRANSITIONS.get(before, frozenset()):
        raise ValidationError(
            {
                "status": _("Een aanbeveling met status “%(before)s” kan niet naar “%(after)s”.")
                % {"before": RStatus(before).label, "after": _status_label(status)}
            }
        )
    if status == RStatus.CONSENT and recommendation.level != RLevel.LOCAL:
        raise ValidationError(
            {"status": _("Alleen een lokale aanbeveling gaat langs de drie lijnen van de locatie.")}
        )
    recommendation.status = status
    recommendation.save(update_fields=["status", "updated_at"])
    if before == RStatus.CONSENT:  # a new round starts afresh
        recommendation.consents.all().delete()
    line = f"{RStatus(before).label} → {RStatus(status).label}"
    _record(recommendation, user, "status", f"{line}. {note.strip()}" if note.strip() else line)
    return recommendation


def _status_label(status: str) -> str:
    try:
        return str(RStatus(status).label)
    except ValueError:
        return status


@transaction.atomic
def recommendation_answer(*, user, recommendation: Recommendation, answer: str) -> Recommendation:
    """The addressee's answer; a submitted or in-progress recommendation becomes answered."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Vul het antwoord van de geadresseerde in.")})
    recommendation = _locked(recommendation)
    if recommendation.status not in (RStatus.SUBMITTED, RStatus.IN_PROGRESS, RStatus.ANSWERED):
        raise ValidationError(
            {"answer": _("Een antwoord kan pas als de aanbeveling is ingediend.")}
        )
    recommendation.answer = answer.strip()
    recommendation.full_clean()
    recommendation.save(update_fields=["answer", "updated_at"])
    _record(recommendation, user, "answer", recommendation.answer)
    if recommendation.status != RStatus.ANSWERED:
        recommendation = recommendation_transition(
            user=user, recommendation=recommendation, status=RStatus.ANSWERED
        )
    return recommendation


@transaction.atomic
def recommendation_milestone_add(
    *, user, recommendation: Recommendation, description: str, due_date: date | None
) -> RecommendationMilestone:
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    if recommendation.status == RStatus.MERGED:
        raise ValidationError(_("Deze aanbeveling is samengevoegd; werk de samengevoegde bij."))
    position = recommendation.milestones.count() + 1
    milestone = RecommendationMilestone(
        recommendation=recommendation,
        description=description.strip(),
        due_date=due_date,
        position=position,
    )
    milestone.full_clean()
    milestone.save()
    _record(recommendation, user, "milestone", milestone.description)
    recommendation.save(update_fields=["updated_at"])
    return milestone


@transaction.atomic
def recommendation_milestone_done(
    *, user, recommendation: Recommendation, milestone_id: int
) -> RecommendationMilestone:
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    milestone = recommendation.milestones.select_for_update().filter(pk=milestone_id).first()
    if milestone is None:
        raise ValidationError(_("Deze mijlpaal hoort niet bij deze aanbeveling."))
    if milestone.done_at is None:
        milestone.done_at = timezone.localdate()
        milestone.save(update_fields=["done_at"])
        done = _("Bereikt: %(m)s") % {"m": milestone.description}
        _record(recommendation, user, "milestone", done)
    return milestone


@transaction.atomic
def recommendation_consent(*, user, recommendation: Recommendation, agreed: bool) -> Recommendation:
    """One line's answer in the consent round, given by a coordinator of that line at the
    recommendation's location. When all three lines agreed, the recommendation rises to the
    national level (submitted to the stuurgroep's register)."""
    organisation = selectors.consent_line_of(user, recommendation)
    if organisation is None:
        raise PermissionDenied
    recommendation = _locked(recommendation)
    if recommendation.status != RStatus.CONSENT:
        raise ValidationError(_("Voor deze aanbeveling loopt geen instemmingsronde."))
    RecommendationConsent.objects.update_or_create(
        recommendation=recommendation,
        line=organisation.kind,
        defaults={
            "organisation": organisation,
            "user": user,
            "agreed": agreed,
            "decided_at": timezone.now(),
        },
    )
    label = Organisation.Kind(organisation.kind).label
    _record(
        recommendation,
        user,
        "consent",
        (_("%(line)s stemt in.") if agreed else _("%(line)s stemt niet in.")) % {"line": label},
    )
    agreeing = set(recommendation.consents.filter(agreed=True).values_list("line", flat=True))
    if agreeing >= {str(line) for line in selectors.SIGNAL_LINES}:
        recommendation.level = RLevel.NATIONAL
        recommendation.status = RStatus.SUBMITTED
        recommendation.save(update_fields=["level", "status", "updated_at"])
        _record(
            recommendation,
            user,
            "status",
            _("De drie lijnen stemden in: de aanbeveling gaat naar het landelijke niveau."),
        )
    return recommendation


@transaction.atomic
def recommendation_merge(
    *,
    user,
    recommendations: Sequence[Recommendation],
    data: RecommendationData,
) -> Recommendation:
    """Several recommendations (of several locations) become one regional or national
    recommendation, linked to all their signals, meetings and decisions; each merged one
    points to it (merged_into) and keeps its own links, so a split restores them."""
    ids = [r.pk for r in recommendations]
    if len(set(ids)) < len(ids):
        raise ValidationError(_("Een aanbeveling kan niet met zichzelf worden samengevoegd."))
    if len(ids) < 2:
        raise ValidationError(_("Kies minstens twee aanbevelingen om samen te voegen."))
    if data.level == RLevel.LOCAL:
        raise ValidationError(
            {"level": _("Samengevoegd wordt een aanbeveling regionaal of landelijk.")}
        )
    sources = list(Recommendation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for source in sources:
        if not selectors.can_change_recommendation(user, source):
            raise PermissionDenied
        if source.status == RStatus.MERGED or source.merged_into_id:
            raise ValidationError(
                _("“%(title)s” is al samengevoegd; splits die eerst.") % {"title": source.title}
            )
    merged = recommendation_create(
        user=user,
        data=data,
        signals=Signal.objects.filter(recommendations__in=sources).distinct(),
        decisions=Decision.objects.filter(recommendations__in=sources).distinct(),
        meetings=Meeting.objects.filter(recommendations__in=sources).distinct(),
    )
    for source in sources:
        before = source.status
        source.merged_into = merged
        source.status = RStatus.MERGED
        source.save(update_fields=["merged_into", "status", "updated_at"])
        _record(
            source,
            user,
            "merged",
            _("Samengevoegd in “%(title)s” (status was: %(before)s).")
            % {"title": merged.title, "before": RStatus(before).label},
        )
    _record(
        merged,
        user,
        "merged",
        _("Samengevoegd uit: %(titles)s.") % {"titles": "; ".join(s.title for s in sources)},
    )
    return merged


@transaction.atomic
def recommendation_split(*, user, recommendation: Recommendation) -> list[Recommendation]:
    """Undo a merge: the merged recommendations come back as drafts with their own links, and
    the combined one is withdrawn (its history stays on theirs)."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    sources = list(recommendation.merged_from.select_for_update().order_by("pk"))
    if not sources:
        raise ValidationError(_("Deze aanbeveling is niet uit andere samengevoegd."))
    for source in sources:
        source.merged_into = None
        source.status = RStatus.DRAFT
        source.save(update_fields=["merged_into", "status", "updated_at"])
        _record(
            source,
            user,
            "split",
            _("Weer los van “%(title)s”; terug naar concept.") % {"title": recommendation.title},
        )
    recommendation.delete()
    return sources


def next_statuses(recommendation: Recommendation) -> list[tuple[str, str]]:
    """The statuses the page offers: the transitions allowed from here."""
    allowed = RECOMMENDATION_TRANSITIONS.get(recommendation.status, frozenset())
    return [
        (value, label)
        for value, label in RStatus.choices
        if value in allowed
        and not (value == RStatus.CONSENT and recommendation.level != RLevel.LOCAL)
    ]

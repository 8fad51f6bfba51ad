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
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
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

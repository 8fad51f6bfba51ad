"""Demo data of the signaleringsoverleg: a series per location (its coordinator chairs, a
first-line worker, an advocaat and a guest of the sociale kaart take part) with last month's
meeting minuted and approved. Idempotent: a location that has a series is left alone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Location, Membership, Role
from signalering import services
from signalering.models import Section, Series


def _user(location: Location, role: str):
    membership = (
        Membership.objects.active()
        .filter(organisation__location=location, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def seed(stdout) -> None:
    for location in Location.objects.filter(is_active=True, is_national=False).order_by("name"):
        if Series.objects.filter(location=location).exists():
            continue
        chair = _user(location, Role.COORDINATOR)
        if chair is None:
            continue
        series = services.series_create(
            user=chair,
            data=services.SeriesData(
                name=f"Signaleringsoverleg {location.name}", location=location
            ),
        )
        for role in (Role.FIRST_LINE, Role.ADVOCAAT):
            if (colleague := _user(location, role)) is not None:
                services.series_member_add(user=chair, series=series, member_user=colleague)
        guest = services.series_member_add(
            user=chair,
            series=series,
            guest_name="Medewerker buurtteam",
            guest_email=f"buurtteam.{location.slug}@example.org",
            guest_organisation=f"Buurtteam {location.name}",
        )
        _past_meeting(series, chair, guest)
        stdout.write(f"Signaleringsoverleg {location.name} met een vastgesteld verslag.")


def _past_meeting(series: Series, chair, guest) -> None:
    day = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=8)
    meeting = services.meeting_plan(
        user=chair,
        series=series,
        starts_at=timezone.make_aware(datetime.combine(day, time(14))),
        place="Vergaderzaal gemeentehuis",
    )
    services.meeting_prepare(user=chair, meeting=meeting)
    for item in meeting.items.all():
        if item.section == Section.GOES_WELL:
            services.agenda_item_minute(
                user=chair,
                item=item,
                minutes="De warme overdracht naar de sociaal raadslieden loopt goed.",
                is_confidential=False,
                is_done=True,
            )
        elif item.section == Section.CAN_IMPROVE:
            services.agenda_item_minute(
                user=chair,
                item=item,
                minutes="Terugkoppeling van de advocatuur op intakes komt laat.",
                is_confidential=False,
                is_done=False,
            )
            services.decision_add(
                user=chair, item=item, text="We spreken een vaste termijn voor terugkoppeling af."
            )
            services.action_add(
                user=chair,
                item=item,
                description="Voorstel voor een termijn rondsturen aan alle deelnemers.",
                owner=guest,
                due_date=day + timedelta(days=21),
            )
        else:
            services.agenda_item_minute(
                user=chair, item=item, minutes="Besproken.", is_confidential=False, is_done=True
            )
    for attendance in meeting.attendances.all():
        attendance.present = True
        attendance.save(update_fields=["present"])
    services.minutes_approve(user=chair, meeting=meeting)

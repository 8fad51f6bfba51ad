"""iCalendar for the piket: the .ics attached to each mail and the personal calendar feed.

Nothing about the client or the case goes in here: only time, legal area, location and a link
to the page in the system (which checks who may see it).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from piket.models import Consult, Shift

PRODID = "-//Pilot eerstelijn//Piket//NL"


def consult_url(consult: Consult) -> str:
    return settings.SITE_URL + reverse("piket:consult", args=[consult.pk])


def _uid(kind: str, pk: int) -> str:
    # Stable per row, so a cancellation or update replaces the event in the agenda.
    return f"piket-{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'pilot'}"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def consult_event(consult: Consult, *, cancelled: bool = False) -> Event:
    """One consult as a VEVENT: time (UTC), legal area, location and a link, nothing more."""
    event = Event()
    url = consult_url(consult)
    event.add("uid", _uid("consult", consult.pk))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", consult.starts_at)
    event.add("dtend", consult.ends_at)
    event.add("summary", f"Piketconsult {consult.legal_area.name}")
    event.add("location", consult.shift.location.name)
    event.add("url", url)
    event.add("description", f"Details in het systeem: {url}")
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def shift_event(shift: Shift) -> Event:
    event = Event()
    areas = ", ".join(area.name for area in shift.roster.legal_areas.all())
    event.add("uid", _uid("dienst", shift.pk))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", shift.starts_at)
    event.add("dtend", shift.ends_at)
    event.add("summary", f"Piketdienst {areas}".strip())
    event.add("location", shift.location.name)
    event.add("url", settings.SITE_URL + reverse("home"))
    event.add("status", "CANCELLED" if shift.is_cancelled else "CONFIRMED")
    return event


def consult_ics(consult: Consult, *, cancelled: bool = False, tentative: bool = False) -> bytes:
    """The attachment of a piket mail: METHOD:REQUEST, or CANCEL for a cancellation; a slot held
    for the waitlist is TENTATIVE until the worker takes it."""
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = consult_event(consult, cancelled=cancelled)
    if tentative:
        event["status"] = "TENTATIVE"
    calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(*, shifts: Iterable[Shift], consults: Iterable[Consult]) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", "Piket")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for shift in shifts:
        calendar.add_component(shift_event(shift))
    for consult in consults:
        calendar.add_component(consult_event(consult))
    return calendar.to_ical()

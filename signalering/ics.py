"""The meeting as an iCalendar invitation, attached to the agenda mail: time, series, place
and a link; never an agenda item (they may be confidential)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from signalering.models import Meeting

PRODID = "-//Pilot eerstelijn//Signaleringsoverleg//NL"
DURATION = timedelta(hours=2)


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    url = settings.SITE_URL + reverse("signalering:meeting", args=[meeting.pk])
    event = Event()
    event.add("uid", f"signalering-meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + DURATION)
    event.add("summary", meeting.series.name)
    event.add("location", meeting.online_url or meeting.place)
    event.add("url", url)
    event.add("description", f"Agenda en verslag in het systeem: {url}")
    calendar.add_component(event)
    return calendar.to_ical()

"""iCalendar (RFC 5545) feeds of public sessions, with the icalendar library."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Occurrence

# A feed shows what is coming, and the last month for context.
PAST = timedelta(days=31)


def feed(*, events, request) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//MiCenter//events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "MiCenter")
    sessions = (
        Occurrence.objects.filter(
            event__in=events,
            is_cancelled=False,
            starts_at__gte=timezone.now() - PAST,
        )
        .select_related("event")
        .order_by("starts_at")
    )
    for session in sessions:
        event = session.event
        entry = CalendarEvent()
        entry.add("uid", f"occurrence-{session.pk}@micenter")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", session.starts_at)
        entry.add("dtend", session.ends_at)
        entry.add("summary", event.title)
        if event.summary:
            entry.add("description", event.summary)
        if event.location:
            entry.add("location", event.location)
        entry.add("url", settings.MICENTER_SITE_URL + reverse("events:detail", args=[event.pk]))
        calendar.add_component(entry)
    return calendar.to_ical()

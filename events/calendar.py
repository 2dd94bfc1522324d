"""iCalendar (RFC 5545) files of public sessions, with the icalendar library.

Each session is one VEVENT with a UID that never changes (occurrence-<id>@<the site's host>).
A calendar application that subscribed to the feed or imported an event's file replaces its
copy when it sees a higher SEQUENCE: moving or cancelling a session, or cancelling its event,
raises it (events.services). A cancelled session stays in the files with STATUS:CANCELLED, so
that applications remove it rather than keep the old time. Times are written in the centre's
time zone, with its definition (VTIMEZONE), so they stay right across summer time.
"""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from core.date_ranges import PLANNING_AHEAD, records_start
from events.models import Event, Occurrence

# The feed of every event shows what is coming, and the last month for context.
PAST = timedelta(days=31)
# How often a subscribed application should fetch the feed again.
REFRESH = timedelta(hours=1)


def events_in_calendars() -> QuerySet[Event]:
    """Public events as calendars show them: published, or cancelled after being published
    (shown cancelled). Drafts and internal events never."""
    return Event.objects.filter(is_public=True).filter(
        Q(status=Event.Status.PUBLISHED)
        | Q(status=Event.Status.CANCELLED, published_at__isnull=False)
    )


def feed(*, events) -> bytes:
    """The coming sessions (and those of the last month) of these events."""
    sessions = Occurrence.objects.filter(
        event__in=events, starts_at__gte=timezone.now() - PAST
    ).select_related("event")
    return _calendar(sessions)


def event_file(*, event: Event) -> bytes:
    """Every session of one event, past ones too: a valid calendar whenever it is asked for."""
    return _calendar(Occurrence.objects.filter(event=event).select_related("event"))


def uid(session: Occurrence) -> str:
    return f"occurrence-{session.pk}@{urlsplit(settings.MICENTER_SITE_URL).hostname}"


def _calendar(sessions) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    sessions = list(sessions.order_by("starts_at", "id"))
    calendar = Calendar()
    calendar.add("prodid", "-//MiCenter//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "MiCenter")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    # Always there, so that a file with no session left in it is still a valid calendar
    # (RFC 5545 asks for at least one component).
    calendar.add_component(_time_zone(sessions, zone))
    now = timezone.now()
    for session in sessions:
        calendar.add_component(_entry(session, zone=zone, now=now))
    return calendar.to_ical()


def _time_zone(sessions, zone) -> Timezone:
    """The centre's time zone's rules over the sessions' dates (within the dates the portal
    accepts: a date stored out of range is still written, by the zone's name)."""
    today = timezone.localdate()
    days = [today]
    days += [s.starts_at.astimezone(zone).date() for s in sessions]
    days += [s.ends_at.astimezone(zone).date() for s in sessions]
    first = max(records_start(), min(days))
    last = min(today + PLANNING_AHEAD, max(days))
    return Timezone.from_tzid(
        settings.TIME_ZONE,
        first_date=first - timedelta(days=1),
        last_date=last + timedelta(days=366),
    )


def _entry(session: Occurrence, *, zone, now) -> CalendarEvent:
    event = session.event
    cancelled = session.is_cancelled or event.status == Event.Status.CANCELLED
    entry = CalendarEvent()
    entry.add("uid", uid(session))
    entry.add("dtstamp", now)
    entry.add("sequence", session.sequence)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("dtstart", session.starts_at.astimezone(zone))
    entry.add("dtend", session.ends_at.astimezone(zone))
    entry.add("summary", event.title)
    if event.summary:
        entry.add("description", event.summary)
    if event.location:
        entry.add("location", event.location)
    entry.add("url", settings.MICENTER_SITE_URL + reverse("events:detail", args=[event.pk]))
    return entry

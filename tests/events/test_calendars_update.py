"""Calendar files that calendar applications keep up to date: a UID on the site's own host, a
higher SEQUENCE and STATUS:CANCELLED when a session moves or is cancelled, times in Vilnius
across summer time, and a valid file for an event long past. Read back with icalendar."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Category, Event, Occurrence
from events.services import (
    event_cancel,
    event_publish,
    event_save,
    occurrence_change,
    weekly_sessions,
)
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.MICENTER_SITE_URL = "https://info.micenter.example:8443"


def _calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    calendar.validate()  # PRODID, VERSION and at least one component
    return calendar


def _event_file(client, event) -> Calendar:
    return _calendar(client, reverse("events:event_ics", args=[event.pk]))


def _feed(client) -> Calendar:
    return _calendar(client, reverse("events:feed"))


def _entries(calendar: Calendar) -> dict:
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


def _uid(session) -> str:
    return f"occurrence-{session.pk}@info.micenter.example"


def test_every_entry_carries_the_sites_host(client, coordinator):
    event = make_event(coordinator, sessions=3)
    sessions = list(event.occurrences.order_by("starts_at"))
    for calendar in (_event_file(client, event), _feed(client)):
        assert sorted(_entries(calendar)) == sorted(_uid(s) for s in sessions)


def test_a_moved_session_is_a_newer_version_of_the_same_entry(client, coordinator, club):
    session = club.occurrences.get()
    before = _entries(_event_file(client, club))[_uid(session)]
    assert before["SEQUENCE"] == 0 and before["STATUS"] == "CONFIRMED"

    new_start = session.starts_at + timedelta(days=1, hours=2)
    occurrence_change(occurrence=session, starts_at=new_start, changed_by=coordinator)
    occurrence_change(
        occurrence=session, starts_at=new_start + timedelta(hours=1), changed_by=coordinator
    )

    for calendar in (_event_file(client, club), _feed(client)):
        after = _entries(calendar)[_uid(session)]
        assert after["SEQUENCE"] == 2
        assert after["STATUS"] == "CONFIRMED"
        assert after.decoded("DTSTART") == new_start + timedelta(hours=1)
        assert after.decoded("DTEND") - after.decoded("DTSTART") == timedelta(minutes=90)


def test_a_cancelled_session_stays_in_the_files_marked_cancelled(client, coordinator):
    event = make_event(coordinator, sessions=3)
    first, second, third = event.occurrences.order_by("starts_at")
    occurrence_change(occurrence=second, cancel=True, changed_by=coordinator)

    for calendar in (_event_file(client, event), _feed(client)):
        entries = _entries(calendar)
        assert len(entries) == 3
        assert (entries[_uid(second)]["STATUS"], entries[_uid(second)]["SEQUENCE"]) == (
            "CANCELLED",
            1,
        )
        for other in (first, third):
            assert (entries[_uid(other)]["STATUS"], entries[_uid(other)]["SEQUENCE"]) == (
                "CONFIRMED",
                0,
            )


def test_a_cancelled_event_is_sent_cancelled_not_dropped(client, coordinator):
    event = make_event(coordinator, sessions=2)
    first, second = event.occurrences.order_by("starts_at")
    occurrence_change(occurrence=first, cancel=True, changed_by=coordinator)
    event_cancel(event=event, cancelled_by=coordinator)

    for calendar in (_event_file(client, event), _feed(client)):
        entries = _entries(calendar)
        assert {entry["STATUS"] for entry in entries.values()} == {"CANCELLED"}
        # The session still on was raised once more; the one cancelled before kept its version.
        assert entries[_uid(first)]["SEQUENCE"] == 1
        assert entries[_uid(second)]["SEQUENCE"] == 1
    # The event's page is gone; its calendar file stays for the applications to see.
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_a_draft_or_internal_event_is_in_no_calendar_even_cancelled(client, coordinator):
    draft = make_event(coordinator, title_lt="Juodraštis")
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.DRAFT, published_at=None)
    event_cancel(event=draft, cancelled_by=coordinator)
    internal = make_event(coordinator, is_public=False, title_lt="Vidinis")
    event_cancel(event=internal, cancelled_by=coordinator)
    for event in (draft, internal):
        url = reverse("events:event_ics", args=[event.pk])
        assert client.get(url).status_code == 404
    assert _entries(_feed(client)) == {}


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


@pytest.mark.parametrize(("month", "shift"), [(3, 1), (10, -1)], ids=["spring", "autumn"])
def test_times_are_in_vilnius_and_right_across_summer_time(client, coordinator, month, shift):
    """The clocks go forward (spring) or back (autumn) on the last Sunday of the month."""
    soon = timezone.localdate() + timedelta(days=7)
    change = _last_sunday(soon.year, month)
    if change <= soon:
        change = _last_sunday(soon.year + 1, month)
    # Wednesday evenings at 18:00, the week before the clocks change and the week after.
    first = datetime.combine(change - timedelta(days=4), datetime.min.time()).replace(
        hour=18, tzinfo=VILNIUS
    )
    event = event_save(
        event=Event(title_lt="Pokalbių klubas", category=Category.CLUB),
        occurrences=weekly_sessions(first_start=first, duration=timedelta(hours=2), count=2),
        saved_by=coordinator,
    )
    event_publish(event=event, published_by=coordinator)

    response = client.get(reverse("events:event_ics", args=[event.pk]))
    text = response.content.decode()
    for day in (first.date(), first.date() + timedelta(weeks=1)):
        assert f"DTSTART;TZID=Europe/Vilnius:{day:%Y%m%d}T180000" in text
        assert f"DTEND;TZID=Europe/Vilnius:{day:%Y%m%d}T200000" in text
    calendar = Calendar.from_ical(response.content)
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Vilnius"]
    starts = sorted(entry.decoded("DTSTART") for entry in calendar.walk("VEVENT"))
    assert [start.astimezone(VILNIUS).hour for start in starts] == [18, 18]
    offsets = [start.utcoffset() for start in starts]
    assert offsets[1] - offsets[0] == timedelta(hours=shift)
    # As moments: one week apart, less (or more) the hour the clocks moved.
    utc = [start.astimezone(UTC) for start in starts]
    assert utc[1] - utc[0] == timedelta(weeks=1, hours=-shift)
    for entry in calendar.walk("VEVENT"):
        assert entry.decoded("DTEND") - entry.decoded("DTSTART") == timedelta(hours=2)


def test_a_past_events_file_is_a_valid_calendar_with_its_sessions(client, coordinator):
    event = make_event(coordinator, sessions=2)
    sessions = list(event.occurrences.order_by("starts_at"))
    for session in sessions:
        Occurrence.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - timedelta(days=120),
            ends_at=session.ends_at - timedelta(days=120),
        )
    entries = _entries(_event_file(client, event))
    assert sorted(entries) == sorted(_uid(s) for s in sessions)
    for session in sessions:
        start = entries[_uid(session)].decoded("DTSTART")
        assert start == session.starts_at - timedelta(days=120)
    # The feed shows only the last month and what is coming: nothing here, and still valid.
    assert _entries(_feed(client)) == {}


def test_an_unknown_event_number_is_not_found(client):
    assert client.get(reverse("events:event_ics", args=[999999])).status_code == 404

"""The pages `make bench` measures read a fixed number of queries, exactly, however many rows
they list: nothing is cached, so a query added to one of them is paid on every request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Service
from events.services import registration_create
from tests.consultations.conftest import log
from tests.events.conftest import make_event
from tests.factories import UserFactory, staff_user, visitor
from visitors.services import visit_log, walk_in_log

pytestmark = pytest.mark.django_db

# The signed-in user with their roles, permissions and authenticator app is one query; the
# session comes from the cache.
EXPECTED = {
    # who; count of today's visits, the walk-in form's services, the queue, the visits
    # and their purposes
    "desk": 6,
    # the desk's, plus the search, how many match in all, and its audit entry
    "search": 9,
    # who; the person, the read audited, their visits (count, page, purposes), what the
    # reader may see (services, break-glass), consultations with topics and participants,
    # the reads audited, consents, registrations
    "visitor": 14,
    # who; the services served, break-glass, today's records with topics and participants,
    # the follow-ups due with the same, their count, the reads audited, the people seen lately
    "worklist": 12,
    # the count and the page (next start and sessions left are subqueries)
    "whats_on": 2,
    # the event, its coming sessions with places taken
    "event": 2,
}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(n, *, desk, lawyer, coordinator, person, legal):
    for number in range(n):
        other = visitor(given_name=f"Olena{number}", family_name="Kovalenko")
        visit_log(visitor=other, purposes=[legal], logged_by=desk)
        walk_in_log(logged_by=desk, purposes=[legal])
        visit_log(
            visitor=person,
            purposes=[legal],
            logged_by=desk,
            occurred_at=timezone.now() - timedelta(days=1, minutes=number),
        )
        log(consultant=lawyer, code="legal", person=person, topics=[])
        log(
            consultant=lawyer,
            code="legal",
            person=other,
            started_at=timezone.now() - timedelta(days=3),
            follow_up_on=timezone.localdate() - timedelta(days=1),
        )
        event = make_event(coordinator, sessions=3)
        registration_create(event=event, occurrence=event.occurrences.first(), visitor=person)


def test_the_measured_pages_read_a_fixed_number_of_queries(client):
    desk = staff_user(Role.RECEPTION)
    lawyer = staff_user(Role.LEGAL_ADVISER)
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    person = visitor(given_name="Taras", family_name="Kovalenko")
    legal = Service.objects.get(code="legal")
    desk_client, lawyer_client = client.__class__(), client.__class__()
    desk_client.force_login(desk)
    lawyer_client.force_login(lawyer)
    _fill(1, desk=desk, lawyer=lawyer, coordinator=coordinator, person=person, legal=legal)
    event = make_event(coordinator, sessions=4)
    pages = {
        "desk": (desk_client, reverse("visitors:desk")),
        "search": (desk_client, reverse("visitors:desk") + "?q=Kovalenko"),
        "visitor": (desk_client, reverse("visitors:visitor_detail", args=[person.pk])),
        "worklist": (lawyer_client, reverse("consultations:worklist")),
        "whats_on": (client, reverse("events:list")),
        "event": (client, reverse("events:detail", args=[event.pk])),
    }
    for page_client, url in pages.values():
        page_client.get(url)  # the session into the cache
    few = {name: _queries(*page) for name, page in pages.items()}
    _fill(30, desk=desk, lawyer=lawyer, coordinator=coordinator, person=person, legal=legal)
    for _number in range(10):
        registration_create(
            event=event,
            occurrence=event.occurrences.first(),
            user=UserFactory(),
            join_waitlist=True,
        )
    many = {name: _queries(*page) for name, page in pages.items()}
    assert few == EXPECTED
    assert many == EXPECTED

"""Real PostgreSQL, real threads: 200 people press "Register" for 20 places at once."""

import threading

import pytest
from django.db import connection

from events.models import Registration
from events.services import registration_create
from tests.events.conftest import make_event
from tests.factories import UserFactory

# PostgreSQL here accepts 100 connections: 80 threads fire the 200 registrations together.
THREADS = 80
PEOPLE = 200
PLACES = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_200_registrations_for_20_places_never_oversell(coordinator):
    event = make_event(coordinator, capacity=PLACES)
    session = event.occurrences.get()
    users = [UserFactory() for _ in range(PEOPLE)]
    queue = list(users)
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker():
        try:
            barrier.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    user = queue.pop()
                registration_create(event=event, occurrence=session, user=user, join_waitlist=True)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert len(statuses) == PEOPLE  # none lost
    assert Registration.objects.values("user").distinct().count() == PEOPLE  # none twice
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waitlisted") == PEOPLE - PLACES

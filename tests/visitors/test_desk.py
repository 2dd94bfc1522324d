import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from consultations.models import Service
from tests.factories import staff_user, visitor
from visitors import services
from visitors.models import QueueEntry, Visit, Visitor


@pytest.fixture
def desk(db):
    return staff_user(Role.RECEPTION)


@pytest.fixture
def legal():
    return Service.objects.get(code="legal")


def _visit_form(**extra):
    data = {
        "purposes": [],
        "language": "uk",
        "note": "",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_desk_logs_a_visit_with_purposes_and_the_queue_fills(client, desk, legal):
    person = visitor(given_name="Тарас", family_name="Шевченко", birth_year=1980, gender="male")
    client.force_login(desk)
    lessons = Service.objects.get(code="lessons")
    response = client.post(
        reverse("visitors:visit_log", args=[person.pk]),
        _visit_form(purposes=[legal.pk, lessons.pk]),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.visitor == person and visit.logged_by == desk
    assert set(visit.purposes.all()) == {legal, lessons}
    # Report facts are kept on the visit itself.
    assert (visit.citizenship, visit.gender) == ("UA", "male")
    assert visit.age_band in ("45-64", "30-44")
    # Only the consultation service gets a queue entry.
    assert list(QueueEntry.objects.values_list("service__code", "status")) == [("legal", "waiting")]
    desk_page = client.get(reverse("visitors:desk")).content.decode()
    assert "Тарас Шевченко" in desk_page


@pytest.mark.django_db
def test_double_submission_makes_one_visit(client, desk):
    person = visitor()
    client.force_login(desk)
    form = _visit_form()
    for _ in range(3):  # double click, then the back button and submit again
        client.post(reverse("visitors:visit_log", args=[person.pk]), form)
    assert Visit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_simultaneous_double_submission_makes_one_visit(desk):
    person = visitor()
    key = uuid.uuid4()
    barrier = threading.Barrier(4)
    errors = []

    def submit():
        try:
            barrier.wait()
            services.visit_log(visitor=person, purposes=[], logged_by=desk, submission_key=key)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_past_time_is_allowed_and_audited_future_refused(client, desk):
    person = visitor()
    client.force_login(desk)
    earlier = timezone.localtime() - timedelta(hours=3)
    client.post(
        reverse("visitors:visit_log", args=[person.pk]),
        _visit_form(occurred_at=earlier.strftime("%Y-%m-%dT%H:%M")),
    )
    entry = AuditEntry.objects.get(action="visit.log")
    assert entry.details["backdated"] is True and entry.actor == desk

    later = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("visitors:visit_log", args=[person.pk]),
        _visit_form(occurred_at=later.strftime("%Y-%m-%dT%H:%M"), note="kept text"),
    )
    assert response.status_code == 200
    assert "Enter a time from 23 September 2023 to now." in response.content.decode()
    assert 'value="kept text"' in response.content.decode()
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_one_tap_anonymous_walk_in(client, desk):
    client.force_login(desk)
    response = client.post(
        reverse("visitors:walk_in"), {"walkin-submission_key": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.visitor is None and visit.logged_by == desk
    assert Visitor.objects.count() == 0


@pytest.mark.django_db
def test_walk_in_with_what_is_known_is_counted(client, desk, legal):
    client.force_login(desk)
    key = str(uuid.uuid4())
    form = {
        "walkin-submission_key": key,
        "walkin-citizenship": "BY",
        "walkin-gender": "female",
        "walkin-age_band": "65+",
        "walkin-purposes": [legal.pk],
    }
    client.post(reverse("visitors:walk_in"), form)
    client.post(reverse("visitors:walk_in"), form)  # a double tap
    visit = Visit.objects.get()
    assert (visit.citizenship, visit.gender, visit.age_band) == ("BY", "female", "65+")
    assert QueueEntry.objects.get().service == legal


@pytest.mark.django_db
def test_registering_warns_about_a_likely_duplicate_and_keeps_the_form(client, desk):
    visitor(given_name="Тарас", family_name="Шевченко")
    client.force_login(desk)
    form = {
        "given_name": "Taras",
        "family_name": "Shevchenko",
        "citizenship": "UA",
        "household_size": 3,
        "consent_registration": "on",
    }
    response = client.post(reverse("visitors:visitor_create"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be registered" in page and "Тарас Шевченко" in page
    assert 'value="Shevchenko"' in page
    assert Visitor.objects.count() == 1
    response = client.post(reverse("visitors:visitor_create"), {**form, "confirm_new": "on"})
    assert response.status_code == 302
    assert Visitor.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", "2999", "Enter a year of birth between 1900 and"),
        ("household_size", "0", "A household has between 1 and 30 people."),
        ("citizenship", "", "This field is required."),
    ],
)
def test_impossible_values_are_refused_with_a_message(client, desk, field, value, message):
    client.force_login(desk)
    form = {
        "given_name": "Iryna",
        "family_name": "Bondar",
        "citizenship": "UA",
        "household_size": 2,
        "phone": "+370 600 00000",
        field: value,
    }
    response = client.post(reverse("visitors:visitor_create"), form)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="Bondar"' in page and 'value="+370 600 00000"' in page
    assert Visitor.objects.count() == 0


@pytest.mark.django_db
def test_error_messages_come_in_the_users_language(client, desk):
    client.force_login(desk)
    response = client.post(
        "/uk/desk/visitors/new/", {"given_name": "Iryna", "citizenship": "UA", "household_size": 0}
    )
    assert "Домогосподарство" in response.content.decode()


@pytest.mark.django_db
def test_adviser_calls_next_in_order_and_closes(client, legal):
    adviser = staff_user(Role.LEGAL_ADVISER)
    first = services.walk_in_log(logged_by=None, purposes=[legal])
    services.walk_in_log(logged_by=None, purposes=[legal])
    client.force_login(adviser)
    client.post(reverse("visitors:queue", args=["legal"]))
    entry = QueueEntry.objects.get(visit=first)
    assert entry.status == "called" and entry.called_by == adviser
    client.post(reverse("visitors:queue_close", args=[entry.pk]), {"status": "done"})
    entry.refresh_from_db()
    assert entry.status == "done"
    assert QueueEntry.objects.filter(status="waiting").count() == 1


@pytest.mark.django_db
def test_adviser_cannot_open_another_services_queue(client, legal):
    client.force_login(staff_user(Role.CAREER_ADVISER))
    assert client.get(reverse("visitors:queue", args=["legal"])).status_code == 404
    entry = services.walk_in_log(logged_by=None, purposes=[legal]).queue_entries.get()
    client.post(reverse("visitors:queue_close", args=[entry.pk]), {"status": "left"})
    entry.refresh_from_db()
    assert entry.status == "waiting"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_advisers_calling_at_once_get_different_people():
    legal = Service.objects.get(code="legal")
    advisers = [staff_user(Role.LEGAL_ADVISER) for _ in range(2)]
    for _ in range(2):
        services.walk_in_log(logged_by=None, purposes=[legal])
    barrier = threading.Barrier(2)
    called = []

    def call(adviser):
        try:
            barrier.wait()
            called.append(services.queue_call_next(service=legal, called_by=adviser).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=[a]) for a in advisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(set(called)) == 2


@pytest.mark.django_db
def test_todays_visits_list_takes_constant_queries(client, desk, legal, django_assert_num_queries):
    person = visitor()
    client.force_login(desk)
    url = reverse("visitors:desk")
    client.get(url)

    def count_queries():
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    services.visit_log(visitor=person, purposes=[legal], logged_by=desk)
    few = count_queries()
    for _ in range(15):
        services.visit_log(visitor=person, purposes=[legal], logged_by=desk)
        services.walk_in_log(logged_by=desk, purposes=[legal])
    assert count_queries() == few


@pytest.mark.django_db
def test_a_visit_logged_after_the_fact_joins_no_queue(desk, legal):
    person = visitor()
    services.visit_log(
        visitor=person,
        purposes=[legal],
        logged_by=desk,
        occurred_at=timezone.now() - timedelta(days=2),
    )
    assert QueueEntry.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_year_has_the_centres_shape():
    """A small demo year through the same code as seed_demo: Ukraine first, walk-ins counted."""
    from datetime import date

    from visitors.demo import demo_year

    desk = staff_user(Role.RECEPTION)
    assert demo_year(logged_by=desk, start=date(2023, 10, 23), visits=300, people=120) == 300
    assert Visit.objects.count() == 300
    assert 0 < Visit.objects.filter(visitor__isnull=True).count() < 80
    top = Visit.objects.values_list("citizenship", flat=True)
    assert max(set(top), key=list(top).count) == "UA"
    assert QueueEntry.objects.count() == 0  # a past year leaves nobody waiting today

"""What one everyday write costs in queries, exactly. The desk logs hundreds of visits a day
and the demo year (about 30,000 writes) is made through the same services, so a query that
creeps into one of them is paid everywhere.

None of them asks the database whether a row it was handed exists (the foreign keys are
constraints in the database), and a brand-new record's many-to-many rows are written in one
INSERT."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from audit.services import audit_log
from consultations.models import Service, Topic
from consultations.services import consultation_log
from events.models import Event, Occurrence
from events.services import check_in, registration_create
from tests.factories import staff_user, visitor
from visitors.services import visit_log, walk_in_log


def _statements(write) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        write()
    return [q["sql"] for q in queries.captured_queries]


def _show(statements) -> str:
    return "\n".join(sql[:120] for sql in statements)


@pytest.fixture
def desk(db):
    return staff_user(Role.RECEPTION)


def test_an_audit_entry_is_one_insert(desk):
    statements = _statements(lambda: audit_log(actor=desk, action="test.write", obj=desk))
    assert len(statements) == 1, _show(statements)
    assert statements[0].startswith('INSERT INTO "audit_auditentry"')


def test_a_visit_is_seven_queries_and_one_more_for_the_queue(desk):
    legal, career = Service.objects.get(code="legal"), Service.objects.get(code="career")
    person = visitor(given_name="Olena")
    earlier = _statements(
        lambda: visit_log(
            visitor=person,
            purposes=[legal, career],
            logged_by=desk,
            occurred_at=timezone.now() - timedelta(hours=2),
        )
    )
    # savepoint, consent, visit, its two purposes in one INSERT, audit, last contact, release
    assert len(earlier) == 7, _show(earlier)
    assert sum(sql.startswith('INSERT INTO "visitors_visit_purposes"') for sql in earlier) == 1
    now = _statements(lambda: visit_log(visitor=person, purposes=[legal, career], logged_by=desk))
    assert len(now) == 8, _show(now)  # and the queue entries, in one INSERT


def test_a_walk_in_is_nine_queries(desk):
    import uuid

    legal = Service.objects.get(code="legal")
    statements = _statements(
        lambda: walk_in_log(
            logged_by=desk, purposes=[legal], citizenship="UA", submission_key=uuid.uuid4()
        )
    )
    # The submission key is looked up, and the INSERT has its own savepoint: a double
    # submission racing this one is answered with the first visit.
    assert len(statements) == 9, _show(statements)


def test_a_consultation_is_nine_queries(desk):
    lawyer = staff_user(Role.LEGAL_ADVISER)
    legal = Service.objects.get(code="legal")
    topics = list(Topic.objects.filter(service=legal)[:2])
    person = visitor(given_name="Taras")

    def record():
        consultation_log(
            consultant=lawyer,
            service=legal,
            duration_minutes=30,
            started_at=timezone.now() - timedelta(hours=1),
            topics=topics,
            visitors=[person],
        )

    record()  # the consultant's roles are read once, then kept
    statements = _statements(record)
    # savepoint, serves the service?, consent, consultation, its topics, participant,
    # last contact, audit, release
    assert len(statements) == 9, _show(statements)
    assert not any('"_check"' in sql for sql in statements)


def test_a_person_is_registered_without_asking_the_database_about_constraints(desk):
    statements = _statements(lambda: visitor(given_name="Iryna", created_by=desk))
    assert not any('"_check"' in sql for sql in statements), _show(statements)
    assert not any('FROM "accounts_user"' in sql for sql in statements), _show(statements)


def test_a_registration_and_a_check_in(desk):
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    event = Event.objects.create(
        title="Club", status=Event.Status.PUBLISHED, capacity=10, leader=coordinator
    )
    starts = timezone.now() + timedelta(days=2)
    session = Occurrence.objects.create(
        event=event, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    person = visitor(given_name="Oksana")
    made = []
    statements = _statements(
        lambda: made.append(
            registration_create(
                event=event, occurrence=session, visitor=person, created_by=coordinator
            )
        )
    )
    assert not any('FROM "accounts_user"' in sql for sql in statements), _show(statements)
    assert not any('FROM "visitors_visitor"' in sql for sql in statements), _show(statements)
    # savepoint, the event and the session locked (everything is decided on those rows),
    # expired unconfirmed places freed, already registered?, places taken and whether anyone
    # waits (one query), the INSERT in its own savepoint (a twin registration racing this
    # one is refused by a unique index), audit, release. The email is queued once committed.
    assert len(statements) == 11, _show(statements)
    checked = _statements(
        lambda: check_in(registration=made[0], occurrence=session, checked_in_by=coordinator)
    )
    assert len(checked) == 7, _show(checked)  # a second tap finds the first: get_or_create


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"citizenship": ""}, "citizenship"),
        ({"given_name": "", "family_name": " "}, "given_name"),
        ({"household_size": 0}, "household_size"),
        ({"household_size": 31}, "household_size"),
        ({"birth_year": 1899}, "birth_year"),
    ],
)
def test_every_check_constraint_of_a_person_is_a_message_on_its_field(desk, fields, field):
    """The constraints are not evaluated in the database before saving, so each must be
    caught in Python first: the desk gets a message on the field, never a server error."""
    from django.core.exceptions import ValidationError

    from visitors.models import Visitor

    with pytest.raises(ValidationError) as caught:
        visitor(created_by=desk, **{"given_name": "Olena", **fields})
    assert field in caught.value.message_dict
    assert not Visitor.objects.exists()

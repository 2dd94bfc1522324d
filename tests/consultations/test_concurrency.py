"""Real PostgreSQL, real threads: a queue entry gets one consultation, whatever the timing."""

import threading
import uuid

import pytest
from django.db import connection

from accounts.roles import Role
from consultations.models import Consultation, Service
from consultations.services import consultation_log
from tests.factories import staff_user, visitor
from visitors.models import QueueEntry
from visitors.services import queue_call_next, visit_log


def _race(target, arguments):
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        try:
            barrier.wait()
            target(argument)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[a]) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.parametrize("same_form", [True, False])
def test_one_consultation_per_queue_entry(same_form):
    legal = Service.objects.get(code="legal")
    lawyers = [staff_user(Role.LEGAL_ADVISER) for _ in range(4)]
    visit_log(visitor=visitor(), purposes=[legal], logged_by=staff_user(Role.RECEPTION))
    entry = queue_call_next(service=legal, called_by=lawyers[0])
    key = uuid.uuid4()

    def record(lawyer):
        consultation_log(
            consultant=lawyer,
            service=legal,
            duration_minutes=30,
            queue_entry=entry,
            # A double click sends one form twice; two advisers send two forms.
            submission_key=key if same_form else uuid.uuid4(),
        )

    assert _race(record, lawyers if not same_form else [lawyers[0]] * 4) == []
    assert Consultation.objects.count() == 1
    assert QueueEntry.objects.get().status == QueueEntry.Status.DONE

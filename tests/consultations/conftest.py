"""A small centre: one adviser per service, a person with a consultation of each service
(each with its own secret note), and a visitor account linked to that person."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation, Service, Topic
from consultations.services import consultation_log
from tests.factories import UserFactory, staff_user, visitor

SERVICES = ["legal", "career", "psychological"]
ROLE_OF_SERVICE = {
    "legal": Role.LEGAL_ADVISER,
    "career": Role.CAREER_ADVISER,
    "psychological": Role.PSYCHOLOGIST,
}


def secret(code: str) -> str:
    return f"NOTE-OF-{code.upper()}-SERVICE"


def outcome(code: str) -> str:
    return f"OUTCOME-OF-{code.upper()}-SERVICE"


@dataclass
class Centre:
    staff: dict
    person: object
    account: object
    records: dict  # service code -> Consultation

    def topic_name(self, code):
        return self.records[code].topics.get().name


def log(*, consultant, code, person=None, notes="", **fields):
    service = Service.objects.get(code=code)
    fields.setdefault("duration_minutes", 45)
    fields.setdefault("started_at", timezone.now() - timedelta(hours=1))
    return consultation_log(
        consultant=consultant,
        service=service,
        visitors=[person] if person else [],
        anonymous=0 if person else 1,
        notes=notes,
        **fields,
    )


@pytest.fixture
def centre(db) -> Centre:
    staff = {
        role: staff_user(role, first_name=f"Name{number}", last_name=role.value.title())
        for number, role in enumerate(Role)
    }
    account = UserFactory()
    person = visitor(given_name="Тарас", family_name="Шевченко")
    person.user = account
    person.save(update_fields=["user"])
    records = {}
    for code in SERVICES:
        consultant = staff[ROLE_OF_SERVICE[code]]
        topic = Topic.objects.filter(service__code=code).order_by("position")[1]
        records[code] = log(
            consultant=consultant,
            code=code,
            person=person,
            notes=secret(code),
            outcome=outcome(code),
            topics=[topic],
        )
    assert Consultation.objects.count() == 3
    return Centre(staff=staff, person=person, account=account, records=records)

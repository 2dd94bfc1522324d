"""A small centre with one of everything a page or a form works on: staff of every role, two
people, a consultation with a follow-up and a referral, a published event with a registration.
Made through the services, as the desk, the advisers and the coordinator would."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from consultations.models import PartnerOrganisation, Service, Topic
from consultations.services import consultation_log, referral_create
from events.models import Category, Event
from events.services import event_publish, event_save, registration_create, weekly_sessions
from tests.factories import UserFactory, staff_user, visitor


@dataclass
class World:
    staff: dict
    account: object  # a visitor's own account, linked to `person`
    person: object
    other: object
    partner: object
    consultation: object
    referral: object
    event: object
    session: object
    registration: object

    def __getitem__(self, role):
        return self.staff[role]


def _consultation(lawyer, person, partner):
    consultation = consultation_log(
        consultant=lawyer,
        service=Service.objects.get(code="legal"),
        duration_minutes=30,
        started_at=timezone.now() - timedelta(hours=2),
        topics=[Topic.objects.filter(service__code="legal").first()],
        notes="Lease explained.",
        follow_up_on=timezone.localdate() + timedelta(days=7),
        visitors=[person],
    )
    referral = referral_create(consultation=consultation, partner=partner, made_by=lawyer)
    return consultation, referral


def _event(coordinator):
    event = Event(
        title_lt="Lietuvių kalbos klubas",
        title_en="Lithuanian conversation club",
        category=Category.CLUB,
        capacity=10,
        languages="lt,uk",
    )
    first = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    sessions = weekly_sessions(first_start=first, duration=timedelta(minutes=90), count=2)
    event = event_save(event=event, occurrences=sessions, saved_by=coordinator)
    return event_publish(event=event, published_by=coordinator)


@pytest.fixture
def world(db) -> World:
    staff = {role: staff_user(role, first_name="Ona", last_name=role.value) for role in Role}
    account = UserFactory()
    person = visitor(given_name="Тарас", family_name="Шевченко", birth_year=1980)
    person.user = account
    person.save(update_fields=["user"])
    other = visitor(given_name="Olena", family_name="Koval")
    partner = PartnerOrganisation.objects.create(
        name="Shelter", services="Housing", contacts="Vilnius", description_lt="Pastogė"
    )
    consultation, referral = _consultation(staff[Role.LEGAL_ADVISER], person, partner)
    event = _event(staff[Role.EVENT_COORDINATOR])
    session = event.occurrences.first()
    registration = registration_create(event=event, occurrence=session, user=account)
    return World(
        staff=staff,
        account=account,
        person=person,
        other=other,
        partner=partner,
        consultation=consultation,
        referral=referral,
        event=event,
        session=session,
        registration=registration,
    )

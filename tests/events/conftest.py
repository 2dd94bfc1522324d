from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from events.models import Category, Event
from events.services import event_publish, event_save, weekly_sessions
from tests.factories import staff_user


def make_event(
    coordinator, *, capacity=5, sessions=1, cohort=False, start_in=timedelta(days=3), **fields
):
    fields.setdefault("title_lt", "Lietuvių kalbos klubas")
    fields.setdefault("title_en", "Lithuanian conversation club")
    fields.setdefault("title_uk", "Клуб литовської розмови")
    fields.setdefault("category", Category.CLUB)
    fields.setdefault("languages", "lt,uk")
    event = Event(
        capacity=capacity,
        registration_mode=Event.Mode.COHORT if cohort else Event.Mode.PER_OCCURRENCE,
        **fields,
    )
    first = (timezone.now() + start_in).replace(second=0, microsecond=0)
    event = event_save(
        event=event,
        occurrences=weekly_sessions(
            first_start=first, duration=timedelta(minutes=90), count=sessions
        ),
        saved_by=coordinator,
    )
    return event_publish(event=event, published_by=coordinator)


@pytest.fixture
def coordinator(db):
    return staff_user(Role.EVENT_COORDINATOR, first_name="Aistė")


@pytest.fixture
def club(coordinator):
    return make_event(coordinator)

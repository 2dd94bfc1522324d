from datetime import date, timedelta

import pytest

from accounts.roles import Role
from events.demo import demo_events
from events.models import Attendance, Category, Event, Occurrence, Registration
from tests.factories import staff_user, visitor


@pytest.mark.django_db
def test_the_first_year_of_events():
    start = date(2023, 10, 23)
    for number in range(60):
        visitor(given_name=f"Person{number}")
    held = demo_events(
        coordinator=staff_user(Role.EVENT_COORDINATOR),
        start=start,
        until=start + timedelta(days=366),
    )
    assert held == Occurrence.objects.count() > 190
    club = Event.objects.get(title_en="Lithuanian conversation club")
    assert {o.starts_at.astimezone(None).weekday() for o in club.occurrences.all()} == {2}
    assert club.volunteer_leader
    therapeutic = Event.objects.filter(category=Category.THERAPEUTIC_GROUP)
    assert therapeutic.count() == 12
    assert set(therapeutic.values_list("registration_mode", flat=True)) == {"cohort"}
    assert Event.objects.filter(title_en="Christmas market").exists()
    assert Registration.objects.count() > 1000
    assert (
        Attendance.objects.count() > 0.6 * Registration.objects.filter(status="confirmed").count()
    )


@pytest.mark.django_db
def test_the_demo_has_something_on_now():
    from django.test import Client

    from events.demo import demo_coming_events

    coordinator = staff_user(Role.EVENT_COORDINATOR)
    assert demo_coming_events(coordinator=coordinator) == 3
    assert demo_coming_events(coordinator=coordinator) == 0  # once
    page = Client().get("/uk/events/")
    assert page.context["page"].paginator.count == 3
    assert "Клуб розмовної литовської" in page.content.decode()

"""A waitlist that keeps its order, guests told the truth, one phone number one person, and a
cancellation that reaches everyone registered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.services import (
    event_cancel,
    registration_cancel,
    registration_create,
    waitlists_release,
)
from tests.concurrency import at_once
from tests.events.conftest import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _register(event, household=1, waitlist=True, **person):
    if not person:
        person = {"user": UserFactory()}
    return registration_create(
        event=event,
        occurrence=event.occurrences.first(),
        household_size=household,
        join_waitlist=waitlist,
        **person,
    )


def _statuses(*registrations):
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


def test_while_anyone_waits_a_newcomer_waits_too(coordinator):
    event = make_event(coordinator, capacity=5)
    _register(event, household=3)
    family = _register(event, household=3)  # 2 places left, too few: waits
    single = _register(event, household=1)  # 2 places are free, but the family waits first
    assert _statuses(family, single) == ["waitlisted", "waitlisted"]
    with pytest.raises(ValidationError) as refused:
        _register(event, household=1, waitlist=False)
    assert "Others are already waiting" in refused.value.messages[0]


def test_places_too_few_are_held_for_the_first_until_the_day_before(coordinator):
    event = make_event(coordinator, capacity=5, start_in=timedelta(days=3))
    session = event.occurrences.get()
    _register(event, household=3)
    pair = _register(event, household=2)
    family = _register(event, household=3)
    single = _register(event, household=1)
    registration_cancel(registration=pair)  # 2 free: the family of 3 first in line
    assert _statuses(family, single) == ["waitlisted", "waitlisted"]
    assert waitlists_release(now=session.starts_at - timedelta(days=2)) == 0
    assert _statuses(family, single) == ["waitlisted", "waitlisted"]
    # From the day before, the places go to the next household that fits.
    assert waitlists_release(now=session.starts_at - timedelta(hours=20)) == 1
    assert _statuses(family, single) == ["waitlisted", "confirmed"]


def test_a_household_larger_than_the_session_holds_nothing(coordinator):
    event = make_event(coordinator, capacity=4)
    first = _register(event, household=4)
    too_big = _register(event, household=6)
    single = _register(event, household=1)
    registration_cancel(registration=first)
    assert _statuses(too_big, single) == ["waitlisted", "confirmed"]


def test_refusals_say_why_and_never_only_0_places(coordinator):
    event = make_event(coordinator, capacity=2)
    _register(event, household=2)
    with pytest.raises(ValidationError) as full:
        _register(event, household=1, waitlist=False)
    assert full.value.messages == ["There are no places left. You can join the waitlist."]
    other = make_event(coordinator, capacity=3)
    _register(other, household=2)
    with pytest.raises(ValidationError) as too_few:
        _register(other, household=2, waitlist=False)
    assert too_few.value.messages[0].startswith("Only 1 place is left, and you asked for 2.")


@pytest.mark.parametrize("again", ["8 600 00002", "+370 600 00002", "860000002", "0037060000002"])
def test_one_phone_number_in_any_local_form_is_one_person(coordinator, again):
    event = make_event(coordinator, capacity=10)
    first = _register(event, name="Petro", phone="+37060000002")
    assert first.phone == "+37060000002"
    with pytest.raises(ValidationError) as twice:
        _register(event, name="Petro B.", phone=again)
    assert twice.value.code == "duplicate"


def test_a_number_that_is_no_number_is_refused_on_its_field(client, coordinator):
    event = make_event(coordinator, capacity=10)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {
            "register-occurrence": event.occurrences.get().pk,
            "register-household_size": "1",
            "register-name": "Petro",
            "register-phone": "12",
            "register-consent": "on",
        },
    )
    assert "register-phone" not in response.content.decode() or response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_a_guest_is_told_how_many_places_are_left_when_they_submit(client, coordinator):
    event = make_event(coordinator, capacity=3)
    _register(event, household=2)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {
            "register-occurrence": event.occurrences.get().pk,
            "register-household_size": "2",
            "register-name": "Olha",
            "register-email": "olha@example.org",
            "register-consent": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "1 place is left right now." in page
    assert "You asked for 2 places: too many for what is left" in page


def test_the_result_page_gives_the_real_reason(client, coordinator):
    event = make_event(coordinator, capacity=5)
    _register(event, household=3)
    family = _register(event, household=3)
    single = _register(event, household=1)
    from events.services import cancel_token

    page = client.get(reverse("events:registered", args=[cancel_token(single)])).content.decode()
    assert "Other people were already waiting" in page
    assert "full" not in page.lower().split("waitlist")[0]
    page = client.get(reverse("events:registered", args=[cancel_token(family)])).content.decode()
    assert "Only 2 places are free, and you need 3." in page


def test_an_event_not_yet_open_says_when_it_opens(client, coordinator):
    event = make_event(coordinator, capacity=5)
    opens = timezone.now() + timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(registration_opens_at=opens)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Registration opens on" in page
    assert "How places are given" in page


def test_phone_only_registrants_of_a_cancelled_event_are_listed_to_call(client, coordinator):
    event = make_event(coordinator, capacity=5)
    phoned = _register(event, name="Petro", phone="+37060000002")
    _register(event)  # has an email: told by email
    event_cancel(event=event, cancelled_by=coordinator)
    client.force_login(coordinator)
    url = reverse("events:manage", args=[event.pk])
    page = client.get(url).content.decode()
    assert "People to phone" in page and "+37060000002" in page and "Not yet told" in page
    client.post(reverse("events:registration_told", args=[phoned.pk]))
    phoned.refresh_from_db()
    assert phoned.told_by == coordinator and phoned.told_at is not None
    page = client.get(url).content.decode()
    assert "Not yet told" not in page and "Told, " in page
    assert phoned.status_label == "Cancelled by the centre"


def _household_against_newcomer(coordinator):
    """Three places: one person and a pair hold them, a household of two waits. The one
    person cancels while a newcomer registers for the place that frees: the newcomer waits
    behind the household, and the place is held for it until the pair's cancellation makes
    room for the household first."""
    event = make_event(coordinator, capacity=3)
    one = _register(event, household=1)
    pair = _register(event, household=2)
    household = _register(event, household=2)
    newcomer = UserFactory()
    answers = at_once(
        [
            lambda: registration_cancel(registration=one),
            lambda: _register(event, user=newcomer),
        ]
    )
    assert not [a for a in answers if isinstance(a, ValidationError)]  # both went through
    late = Registration.objects.get(event=event, user=newcomer)
    assert _statuses(household, late) == ["waitlisted", "waitlisted"]
    registration_cancel(registration=pair)
    assert _statuses(household, late) == ["confirmed", "confirmed"]
    assert household.promoted_at <= late.promoted_at


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_waiting_household_gets_freed_places_before_a_newcomer_racing_for_them(coordinator):
    for _attempt in range(5):
        _household_against_newcomer(coordinator)

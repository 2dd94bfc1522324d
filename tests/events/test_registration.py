"""Registering households, the waitlist and promotion, cohorts, guests, and the rules a
visitor can trip over: each refusal says why in the visitor's language and changes nothing."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from events.models import Attendance, Event, Registration
from events.services import (
    check_in,
    notice_send,
    registration_cancel,
    registration_create,
    registration_email_confirm,
    reminders_send,
)
from notifications.models import OutgoingEmail
from notifications.services import emails_deliver_due
from tests.events.conftest import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sent():
    """The outbox delivered, as a worker would: the emails that left."""
    emails_deliver_due()
    return mail.outbox


def _register(event, user=None, household=1, waitlist=False, **kwargs):
    return registration_create(
        event=event,
        occurrence=None if event.is_cohort else event.occurrences.first(),
        household_size=household,
        user=user or UserFactory(),
        join_waitlist=waitlist,
        **kwargs,
    )


def test_household_members_take_places_and_a_full_session_offers_the_waitlist(club):
    parent = _register(club, household=3)
    assert parent.status == Registration.Status.CONFIRMED
    with pytest.raises(ValidationError) as error:
        _register(club, household=3)
    assert error.value.code == "full"
    assert "Only 2 places are left" in error.value.messages[0]
    waiting = _register(club, household=3, waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    assert Registration.objects.count() == 2


def test_a_cancellation_promotes_the_next_who_fits_and_tells_them_in_their_language(club):
    first = _register(club, household=5)
    big = _register(club, user=UserFactory(language="uk"), household=6, waitlist=True)
    small = _register(club, user=UserFactory(language="uk"), household=2, waitlist=True)
    _sent()
    mail.outbox.clear()
    _cancelled, promoted = registration_cancel(registration=first)
    # The family of six still does not fit five places and keeps its place in line.
    assert promoted == [small]
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == ("waitlisted", "confirmed")
    assert small.promoted_at is not None
    [message] = _sent()
    assert message.to == [small.user.email]
    assert message.subject == "Місце ваше: Клуб литовської розмови"

    # The promoted person declines: the place goes back to the waitlist.
    registration_cancel(registration=small)
    big.refresh_from_db()
    assert big.status == "waitlisted"  # 5 places, 6 needed


def test_waitlist_positions(client, club):
    _register(club, household=5)
    users = [UserFactory() for _ in range(3)]
    waiting = [_register(club, user=u, waitlist=True) for u in users]
    client.force_login(users[2])
    page = client.get(reverse("events:mine"))
    assert [r.position for r in page.context["registrations"]] == [3]
    assert "number 3 on the waitlist" in page.content.decode()
    registration_cancel(registration=waiting[0])
    page = client.get(reverse("events:mine"))
    assert [r.position for r in page.context["registrations"]] == [2]


def test_registering_twice_is_refused_by_the_service_and_the_database(club):
    user = UserFactory()
    registration = _register(club, user=user)
    with pytest.raises(ValidationError) as error:
        _register(club, user=user)
    assert error.value.code == "duplicate"
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            event=club,
            occurrence=registration.occurrence,
            user=user,
            status=Registration.Status.WAITLISTED,
        )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not_yet"),
        ({"status": Event.Status.DRAFT}, "closed"),
    ],
)
def test_closed_registration_is_refused(club, change, code):
    Event.objects.filter(pk=club.pk).update(**change)
    club.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _register(club)
    assert error.value.code == code
    assert not Registration.objects.exists()


def test_a_past_or_cancelled_session_is_refused(club):
    session = club.occurrences.first()
    session.starts_at = timezone.now() - timedelta(hours=2)
    session.ends_at = timezone.now() - timedelta(hours=1)
    session.save()
    with pytest.raises(ValidationError) as error:
        _register(club)
    assert error.value.code == "past"
    session.starts_at += timedelta(days=3)
    session.ends_at += timedelta(days=3)
    session.is_cancelled = True
    session.save()
    with pytest.raises(ValidationError) as error:
        _register(club)
    assert error.value.code == "cancelled"


def test_cohort_enrolment_covers_every_session(coordinator):
    group = make_event(coordinator, cohort=True, sessions=8, capacity=6, title_lt="Paaugliai")
    enrolled = _register(group, household=1)
    assert enrolled.occurrence is None and enrolled.status == "confirmed"
    sessions = list(group.occurrences.all())
    assert len(sessions) == 8
    for session in sessions[:3]:
        check_in(registration=enrolled, occurrence=session, checked_in_by=coordinator)
    check_in(registration=enrolled, occurrence=sessions[0], checked_in_by=coordinator)
    assert Attendance.objects.count() == 3
    with pytest.raises(ValidationError):
        registration_create(
            event=group, occurrence=sessions[0], household_size=1, user=UserFactory()
        )


def test_per_session_registration_counts_each_session_separately(coordinator):
    club = make_event(coordinator, sessions=2, capacity=1)
    first, second = club.occurrences.all()
    a = registration_create(event=club, occurrence=first, user=UserFactory())
    b = registration_create(event=club, occurrence=second, user=UserFactory())
    assert (a.status, b.status) == ("confirmed", "confirmed")
    with pytest.raises(ValidationError):
        check_in(registration=a, occurrence=second, checked_in_by=coordinator)


def test_a_guest_confirms_their_email_before_taking_a_place(client, club):
    url = reverse("events:register", args=[club.pk])
    session = club.occurrences.first()
    response = client.post(
        url,
        {
            "register-occurrence": session.pk,
            "register-household_size": "2",
            "register-name": "Olena Kovalenko",
            "register-email": "olena@example.org",
            "register-consent": "on",
        },
    )
    registration = Registration.objects.get()
    assert registration.status == "awaiting"
    assert response.status_code == 302
    [message] = _sent()
    link = next(line for line in message.body.splitlines() if "/confirm/" in line)
    client.get(link.replace("http://127.0.0.1:8000", ""))
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert len(_sent()) == 2  # the confirmation
    # The same link again changes nothing.
    client.get(link.replace("http://127.0.0.1:8000", ""))
    assert Registration.objects.get().status == "confirmed" and len(_sent()) == 2


def test_guest_form_errors_keep_what_was_typed(client, club):
    response = client.post(
        reverse("events:register", args=[club.pk]),
        {
            "register-occurrence": club.occurrences.first().pk,
            "register-household_size": "0",
            "register-name": "Ірина",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "At least one place." in text
    assert "Give an email address or a phone number." in text
    assert "Without your agreement we cannot register you." in text
    assert 'value="Ірина"' in text
    assert not Registration.objects.exists()


def test_after_form_errors_every_language_link_opens_a_page(client, club):
    """The form comes back at an address that only takes POST: the language links must not
    lead there ("method not allowed"), but to pages that open."""
    response = client.post(reverse("events:register", args=[club.pk]), {"register-name": "Ірина"})
    page = response.content.decode()
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    links = re.findall(r'href="([^"]+)" lang="(\w+)"', switcher)
    assert [code for _address, code in links] == ["lt", "en", "uk", "ru"]
    for address, code in links:
        opened = client.get(html.unescape(address))
        assert opened.status_code == 200, address
        assert f'<html lang="{code}">' in opened.content.decode()


def test_a_full_session_offers_the_waitlist_keeping_the_form(client, club):
    _register(club, household=5)
    visitor = UserFactory()
    client.force_login(visitor)
    data = {"register-occurrence": club.occurrences.first().pk, "register-household_size": "2"}
    response = client.post(reverse("events:register", args=[club.pk]), data)
    assert response.context["offer_waitlist"] is True
    assert "Join the waitlist" in response.content.decode()
    assert Registration.objects.count() == 1
    client.post(
        reverse("events:register", args=[club.pk]), {**data, "register-join_waitlist": "on"}
    )
    assert Registration.objects.get(user=visitor).status == "waitlisted"


def test_expired_and_forged_links(client, club):
    registration = _register(club)
    from events.services import cancel_token

    token = cancel_token(registration)
    page = client.get(reverse("events:cancel", args=[token]))
    assert "Yes, cancel it" in page.content.decode()
    session = registration.occurrence
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()
    page = client.post(reverse("events:cancel", args=[token]))
    assert "the event has already begun" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    page = client.get(reverse("events:cancel", args=[token + "x"]))
    assert "This link is not valid." in page.content.decode()
    with pytest.raises(ValidationError):
        registration_email_confirm(token="nonsense")


def test_cancel_link_in_the_visitors_language(client, club):
    registration = _register(club, user=UserFactory(language="uk"))
    [message] = _sent()
    assert "/uk/events/cancel/" in message.body
    assert message.subject == "Ви зареєстровані: Клуб литовської розмови"
    link = next(line for line in message.body.splitlines() if "/cancel/" in line)
    page = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200
    client.post(link.replace("http://127.0.0.1:8000", ""))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_reminders_go_once_whatever_the_retries(coordinator):
    soon = make_event(coordinator, start_in=timedelta(hours=20))
    later = make_event(coordinator, start_in=timedelta(days=3))
    lt = _register(soon, user=UserFactory(language="lt"))
    _register(soon, user=UserFactory(language="ru"))
    _register(later)
    _sent()
    mail.outbox.clear()
    assert reminders_send() == 2
    assert reminders_send() == 0
    assert notice_send(registration=lt, kind="reminder", key=str(lt.occurrence_id)) is False
    subjects = sorted(m.subject for m in _sent())
    assert len(subjects) == 2
    assert any(s.startswith("Rytoj") for s in subjects), subjects
    assert any(s.startswith("Завтра") for s in subjects), subjects
    assert OutgoingEmail.objects.filter(dedupe_key__contains=":reminder:").count() == 2


def test_erasing_a_person_blanks_their_registrations_and_keeps_the_counts(club, coordinator):
    from tests.factories import visitor
    from visitors.erasure import visitor_erase

    account = UserFactory()
    person = visitor(given_name="Oksana", email="oksana@example.org")
    person.user = account
    person.save(update_fields=["user"])
    by_desk = registration_create(
        event=club,
        occurrence=club.occurrences.first(),
        visitor=person,
        household_size=2,
        phone="+37060000001",
        name="Oksana K.",
    )
    online = _register(club, user=account)
    guest = registration_create(
        event=club, occurrence=club.occurrences.first(), name="Oksana", email="OKSANA@example.org"
    )
    visitor_erase(visitor=person, reason="asked", erased_by=coordinator)
    for registration in (by_desk, online, guest):
        registration.refresh_from_db()
        assert (registration.name, registration.email, registration.phone) == ("", "", "")
    assert by_desk.household_size == 2 and by_desk.status == "confirmed"


def test_merging_people_moves_their_registrations(club, coordinator):
    from tests.factories import staff_user, visitor
    from visitors.services import visitors_merge

    survivor = visitor(given_name="Taras", family_name="Shevchenko")
    duplicate = visitor(given_name="Тарас", family_name="Шевченко")
    registration = registration_create(
        event=club, occurrence=club.occurrences.first(), visitor=duplicate
    )
    visitors_merge(survivor=survivor, duplicate=duplicate, merged_by=staff_user("reception"))
    registration.refresh_from_db()
    assert registration.visitor == survivor

"""Every role against every front-desk URL and a person's record."""

import uuid

import pytest
from django.urls import reverse

from accounts.roles import Role
from consultations.models import Service
from tests.factories import UserFactory, staff_user, visitor
from visitors.models import Visit

ADVISERS = {Role.LEGAL_ADVISER, Role.CAREER_ADVISER, Role.PSYCHOLOGIST}
EVERYONE = [*Role, "visitor"]


def _login(client, who):
    user = UserFactory() if who == "visitor" else staff_user(who)
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_a_persons_record(client, who):
    person = visitor(given_name="Тарас", family_name="Шевченко", phone="+37060000001")
    _login(client, who)
    response = client.get(reverse("visitors:visitor_detail", args=[person.pk]))
    if who == Role.RECEPTION or who in ADVISERS:
        assert response.status_code == 200
        assert "+37060000001" in response.content.decode()
    else:
        # Not even whether the person exists is told.
        assert response.status_code == 404
        assert "Шевченко" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_logging_a_visit(client, who):
    person = visitor()
    _login(client, who)
    url = reverse("visitors:visit_log", args=[person.pk])
    response = client.get(url)
    expected = 200 if who == Role.RECEPTION else 403 if who in ADVISERS else 404
    assert response.status_code == expected
    client.post(url, {"occurred_at": "2026-01-01T10:00", "submission_key": str(uuid.uuid4())})
    assert Visit.objects.exists() == (who == Role.RECEPTION)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_registering_and_walk_ins(client, who):
    _login(client, who)
    allowed = who == Role.RECEPTION
    assert client.get(reverse("visitors:visitor_create")).status_code == (200 if allowed else 403)
    response = client.post(
        reverse("visitors:walk_in"), {"walkin-submission_key": str(uuid.uuid4())}
    )
    assert response.status_code == (302 if allowed else 403)
    assert Visit.objects.exists() == allowed


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_the_legal_queue(client, who):
    _login(client, who)
    response = client.get(reverse("visitors:queue", args=["legal"]))
    if who == Role.LEGAL_ADVISER:
        assert response.status_code == 200
    elif who in ADVISERS or who == Role.RECEPTION:
        assert response.status_code == 404  # may use queues, not this one
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_search_results_never_leak(client, who):
    visitor(given_name="Тарас", family_name="Шевченко")
    _login(client, who)
    response = client.get(reverse("visitors:desk"), {"q": "Shevchenko"})
    if who == Role.RECEPTION:
        assert "Шевченко" in response.content.decode()
    else:
        assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_is_asked_to_sign_in():
    from django.test import Client

    person = visitor()
    client = Client()
    for url in [
        reverse("visitors:visitor_detail", args=[person.pk]),
        reverse("visitors:visit_log", args=[person.pk]),
        reverse("visitors:visitor_create"),
        reverse("visitors:queue", args=["legal"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
def test_visitors_are_not_in_the_admin(client):
    visitor(given_name="Тарас", family_name="Шевченко")
    client.force_login(staff_user(Role.ADMINISTRATOR))
    assert "Шевченко" not in client.get(reverse("admin:index")).content.decode()
    assert client.get("/en/admin/visitors/visitor/").status_code == 404
    assert client.get(reverse("admin:visitors_legalstatus_changelist")).status_code == 200
    assert Service.objects.filter(code="legal").exists()

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from consultations.models import Service
from tests.factories import UserFactory, staff_user, visitor
from visitors import services
from visitors.models import Consent, QueueEntry, Visit, Visitor, VisitorSearchKey
from visitors.selectors import visitors_search


@pytest.fixture
def desk(db):
    return staff_user(Role.RECEPTION)


@pytest.mark.django_db
def test_registration_needs_consent(client, desk):
    client.force_login(desk)
    form = {
        "given_name": "Iryna",
        "family_name": "Bondar",
        "citizenship": "UA",
        "household_size": 1,
    }
    response = client.post(reverse("visitors:visitor_create"), form)
    assert "A person is registered only with their consent." in response.content.decode()
    assert 'value="Bondar"' in response.content.decode()
    assert Visitor.objects.count() == 0
    client.post(reverse("visitors:visitor_create"), {**form, "consent_registration": "on"})
    person = Visitor.objects.get()
    consent = Consent.objects.get(visitor=person)
    assert (consent.purpose, consent.method, consent.text.version) == ("registration", "paper", 1)
    assert consent.recorded_by == desk and consent.withdrawn_at is None
    assert not Consent.objects.filter(purpose="contact").exists()
    with pytest.raises(ValidationError):
        services.visitor_create(
            created_by=desk, consent_method="", given_name="A", citizenship="UA"
        )


@pytest.mark.django_db
def test_consent_texts_are_versioned_and_translated():
    from django.utils import translation

    consent = visitor().consents.get()
    for language, word in [
        ("lt", "Sutinku"),
        ("uk", "погоджуюся"),
        ("ru", "согласен"),
        ("en", "I agree"),
    ]:
        with translation.override(language):
            assert word in consent.text.text


@pytest.mark.django_db
def test_withdrawn_consent_refuses_new_visits(client, desk):
    person = visitor(given_name="Ali", family_name="Karimov")
    client.force_login(desk)
    client.post(
        reverse("visitors:consent", args=[person.pk]),
        {"purpose": "registration", "action": "withdraw"},
    )
    consent = person.consents.get()
    assert consent.withdrawn_at is not None
    response = client.post(
        reverse("visitors:visit_log", args=[person.pk]),
        {
            "occurred_at": "2026-01-05T10:00",
            "submission_key": str(uuid.uuid4()),
            "note": "typed note",
        },
    )
    page = response.content.decode()
    assert "Log the visit as an anonymous walk-in instead." in page
    assert 'value="typed note"' in page
    assert Visit.objects.count() == 0
    assert AuditEntry.objects.filter(action="consent.withdraw").count() == 1
    # Consent given again (on paper): visits can be logged again.
    client.post(
        reverse("visitors:consent", args=[person.pk]), {"purpose": "registration", "action": "give"}
    )
    services.visit_log(visitor=person, purposes=[], logged_by=desk)
    assert Visit.objects.count() == 1
    assert person.consents.count() == 2


@pytest.mark.django_db
def test_merge_moves_everything_and_loses_nothing(desk):
    legal = Service.objects.get(code="legal")
    survivor = visitor(given_name="Тарас", family_name="Шевченко", birth_year=1980)
    duplicate = visitor(
        given_name="Taras",
        family_name="Shevchenko",
        phone="+37060011122",
        email="taras@example.org",
    )
    account = UserFactory()
    Visitor.objects.filter(pk=duplicate.pk).update(user=account)
    duplicate.refresh_from_db()
    services.visit_log(visitor=survivor, purposes=[legal], logged_by=desk)
    services.visit_log(visitor=duplicate, purposes=[legal], logged_by=desk)
    services.visit_log(visitor=duplicate, purposes=[], logged_by=desk)
    before_visits = Visit.objects.count()

    services.visitors_merge(survivor=survivor, duplicate=duplicate, merged_by=desk)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert Visit.objects.filter(visitor=survivor).count() == 3 == before_visits
    assert Consent.objects.filter(visitor=survivor).count() == 2
    assert QueueEntry.objects.filter(visit__visitor=survivor).count() == 2
    # Nothing points at the duplicate any more, except its pointer to the survivor.
    assert not Visit.objects.filter(visitor=duplicate).exists()
    assert not Consent.objects.filter(visitor=duplicate).exists()
    assert not VisitorSearchKey.objects.filter(visitor=duplicate).exists()
    assert duplicate.merged_into == survivor
    # Missing details are filled in, the other spelling is kept and searchable.
    assert (survivor.phone, survivor.email, survivor.birth_year) == (
        "+37060011122",
        "taras@example.org",
        1980,
    )
    assert survivor.user == account
    assert "Taras Shevchenko" in survivor.other_names
    assert [v.pk for v in visitors_search(user=desk, query="Shevchenko")] == [survivor.pk]
    entry = AuditEntry.objects.get(action="visitor.merge")
    assert entry.details["merged"] == duplicate.pk and entry.actor == desk


@pytest.mark.django_db
def test_merge_refuses_nonsense(desk):
    first, second = visitor(), visitor()
    with pytest.raises(ValidationError):
        services.visitors_merge(survivor=first, duplicate=first, merged_by=desk)
    services.visitors_merge(survivor=first, duplicate=second, merged_by=desk)
    with pytest.raises(ValidationError):
        services.visitors_merge(survivor=second, duplicate=first, merged_by=desk)


@pytest.mark.django_db
def test_merge_page_and_merged_record_404(client, desk):
    first, second = visitor(given_name="Olena"), visitor(given_name="Olena")
    client.force_login(desk)
    response = client.post(
        reverse("visitors:visitor_merge", args=[first.pk]), {"duplicate": second.pk}
    )
    assert "Check both records first" in response.content.decode()
    response = client.post(
        reverse("visitors:visitor_merge", args=[first.pk]),
        {"duplicate": second.pk, "confirm": "on"},
    )
    assert response.status_code == 302
    assert client.get(reverse("visitors:visitor_detail", args=[second.pk])).status_code == 404


@pytest.mark.django_db
def test_edit_keeps_typing_on_error_and_audits_field_names_only(client, desk):
    person = visitor(given_name="Olena", family_name="Kovalenko", phone="+37060000000")
    client.force_login(desk)
    url = reverse("visitors:visitor_edit", args=[person.pk])
    form = {
        "given_name": "Olena",
        "family_name": "Kovalenko-Bondar",
        "citizenship": "UA",
        "household_size": 0,
        "phone": "+37061111111",
    }
    page = client.post(url, form).content.decode()
    assert "A household has between 1 and 30 people." in page
    assert 'value="Kovalenko-Bondar"' in page
    person.refresh_from_db()
    assert person.family_name == "Kovalenko"
    client.post(url, {**form, "household_size": 2})
    person.refresh_from_db()
    assert (person.family_name, person.household_size) == ("Kovalenko-Bondar", 2)
    entry = AuditEntry.objects.get(action="visitor.update")
    assert "family_name" in entry.details["fields"]
    assert "+37061111111" not in str(entry.details)
    assert [v.pk for v in visitors_search(user=desk, query="Bondar")] == [person.pk]

"""Recording consultations: from the queue, by phone, in groups; the rules a consultant
would trip over; follow-ups, referrals; merging and erasing people keep everything counted."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation, Participant, PartnerOrganisation, Referral, Topic
from consultations.services import (
    follow_up_done,
    follow_up_reschedule,
    referral_create,
    referral_status_set,
)
from tests.consultations.conftest import log
from tests.factories import staff_user, visitor
from visitors.erasure import visitor_erase
from visitors.models import QueueEntry
from visitors.services import (
    consent_withdraw,
    queue_call_next,
    visit_log,
    visitors_merge,
    walk_in_log,
)


@pytest.fixture
def lawyer(db):
    return staff_user(Role.LEGAL_ADVISER, first_name="Tomas", last_name="Petrauskas")


def _legal():
    from consultations.models import Service

    return Service.objects.get(code="legal")


def _form(**overrides):
    data = {
        "service": _legal().pk,
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30",
        "mode": "in_person",
        "language": "uk",
        "topics": [Topic.objects.get(service__code="legal", code="housing").pk],
        "outcome": "Explained the lease.",
        "notes": "Landlord keeps the deposit.",
        "follow_up_on": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_from_the_queue_in_one_screen(client, lawyer):
    desk = staff_user(Role.RECEPTION)
    person = visitor(given_name="Олена", family_name="Коваленко", birth_year=1980)
    visit_log(visitor=person, purposes=[_legal()], logged_by=desk)
    entry = queue_call_next(service=_legal(), called_by=lawyer)
    client.force_login(lawyer)
    url = reverse("consultations:create") + f"?queue={entry.pk}"
    page = client.get(url)
    assert "Коваленко" in page.content.decode()
    data = _form()
    response = client.post(url, data)
    assert response.status_code == 302
    # A double click posts the same form again: still one consultation.
    client.post(url, data)
    consultation = Consultation.objects.get()
    entry.refresh_from_db()
    assert entry.status == QueueEntry.Status.DONE and entry.consultation == consultation
    participant = consultation.participants.get()
    assert participant.visitor == person and participant.visit == entry.visit
    assert (participant.citizenship, participant.age_band) == ("UA", "45-64")
    assert consultation.topics.get().code == "housing"


@pytest.mark.django_db
def test_an_anonymous_walk_in_from_the_queue_keeps_the_walk_ins_facts(lawyer):
    desk = staff_user(Role.RECEPTION)
    walk_in_log(logged_by=desk, purposes=[_legal()], citizenship="BY", age_band="30-44")
    entry = queue_call_next(service=_legal(), called_by=lawyer)
    consultation = log(consultant=lawyer, code="legal", queue_entry=entry)
    participant = consultation.participants.get()
    assert participant.visitor is None
    assert (participant.citizenship, participant.age_band) == ("BY", "30-44")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "at least one minute"),
        ({"duration_minutes": "481"}, "duration_minutes", "more than 8 hours"),
        ({"follow_up_on": "2023-10-01"}, "follow_up_on", "before the consultation"),
        ({"follow_up_on": "2020-01-01"}, "follow_up_on", "from 23 September 2023 to"),
        ({"topics": ["career"]}, "topics", None),
    ],
)
def test_bad_input_is_refused_keeping_what_was_typed(client, lawyer, overrides, field, message):
    if overrides.get("topics") == ["career"]:
        overrides = {"topics": [Topic.objects.filter(service__code="career").first().pk]}
    person = visitor()
    client.force_login(lawyer)
    url = reverse("consultations:create") + f"?visitor={person.pk}"
    response = client.post(url, _form(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert message in " ".join(form.errors[field])
    assert "Landlord keeps the deposit." in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_what_the_form_might_let_through(lawyer):
    person = visitor()
    career_topic = Topic.objects.filter(service__code="career").first()
    with pytest.raises(ValidationError) as error:
        log(consultant=lawyer, code="legal", person=person, topics=[career_topic])
    assert "topics" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        log(consultant=lawyer, code="psychological", person=person)
    assert "service" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        log(consultant=lawyer, code="legal", person=person, duration_minutes=0)
    assert "duration_minutes" in error.value.error_dict
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_consultant_cannot_record_for_a_service_they_do_not_give(client, lawyer):
    from consultations.models import Service

    client.force_login(lawyer)
    psych = Service.objects.get(code="psychological")
    response = client.post(reverse("consultations:create"), _form(service=psych.pk))
    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_person_without_consent_is_recorded_only_anonymously(lawyer):
    person = visitor()
    consent_withdraw(visitor=person, purpose="registration")
    with pytest.raises(ValidationError):
        log(consultant=lawyer, code="legal", person=person)
    assert log(consultant=lawyer, code="legal").participants.get().visitor is None


@pytest.mark.django_db
def test_a_phone_call_without_a_visit(client, lawyer):
    client.force_login(lawyer)
    response = client.post(reverse("consultations:create"), _form(mode="phone"))
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("consultations:detail", args=[consultation.pk])
    assert consultation.mode == "phone"
    assert consultation.participants.get().visit is None


@pytest.mark.django_db
def test_a_group_session_counts_once_and_once_per_participant(client, lawyer):
    people = [visitor(given_name=name) for name in ("Anna", "Oleh", "Iryna")]
    client.force_login(lawyer)
    numbers = ", ".join(str(p.pk) for p in people)
    response = client.post(
        reverse("consultations:group_create"),
        _form(participants=numbers, anonymous="4", duration_minutes="90"),
    )
    assert response.status_code == 302
    session = Consultation.objects.get()
    assert session.is_group
    assert Participant.objects.filter(consultation=session).count() == 7
    assert Participant.objects.filter(consultation=session, visitor__isnull=True).count() == 4

    # A number that is nobody's is named, and nothing is saved.
    response = client.post(
        reverse("consultations:group_create"), _form(participants=f"{people[0].pk}, 99999")
    )
    assert "99999" in " ".join(response.context["form"].errors["participants"])
    assert Consultation.objects.count() == 1


@pytest.mark.django_db
def test_follow_ups_on_the_worklist(client, lawyer):
    person = visitor(given_name="Mykola")
    yesterday = timezone.now() - timedelta(days=1)
    due = log(
        consultant=lawyer,
        code="legal",
        person=person,
        started_at=yesterday,
        follow_up_on=timezone.localdate(yesterday),
    )
    client.force_login(lawyer)
    worklist = client.get(reverse("consultations:worklist"))
    assert [r.pk for r in worklist.context["worklist"].follow_ups] == [due.pk]
    assert "overdue" in worklist.content.decode()
    assert person in worklist.context["worklist"].recent_visitors

    next_week = timezone.localdate() + timedelta(days=7)
    client.post(
        reverse("consultations:follow_up", args=[due.pk]),
        {"action": "reschedule", "follow_up_on": next_week.isoformat()},
    )
    due.refresh_from_db()
    assert due.follow_up_on == next_week
    assert client.get(reverse("consultations:worklist")).context["worklist"].follow_ups == []

    follow_up_done(consultation=due, done_by=lawyer)
    due.refresh_from_db()
    assert due.follow_up_done_at is not None
    with pytest.raises(ValidationError):
        follow_up_reschedule(
            consultation=due, on=timezone.localdate() - timedelta(days=2), changed_by=lawyer
        )


@pytest.mark.django_db
def test_referrals_to_partners(client, lawyer):
    partner = PartnerOrganisation.objects.create(
        name="Caritas Vilnius", services="Housing help", contacts="+370 5 000 0000"
    )
    consultation = log(consultant=lawyer, code="legal", person=visitor())
    client.force_login(lawyer)
    client.post(
        reverse("consultations:referral_create", args=[consultation.pk]),
        {"partner": partner.pk, "note": "Shelter for a mother with two children"},
    )
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.MADE
    client.post(reverse("consultations:referral_status", args=[referral.pk]), {"status": "closed"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED
    # A psychologist cannot touch a legal referral.
    client.force_login(staff_user(Role.PSYCHOLOGIST))
    response = client.post(
        reverse("consultations:referral_status", args=[referral.pk]), {"status": "made"}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED
    with pytest.raises(ValidationError):
        referral_status_set(referral=referral, status="lost", changed_by=lawyer)
    partner.is_active = False
    partner.save()
    with pytest.raises(ValidationError):
        referral_create(consultation=consultation, partner=partner, made_by=lawyer)


@pytest.mark.django_db
def test_merging_people_moves_their_consultations(lawyer):
    desk = staff_user(Role.RECEPTION)
    survivor = visitor(given_name="Taras", family_name="Shevchenko")
    duplicate = visitor(given_name="Тарас", family_name="Шевченко")
    consultation = log(consultant=lawyer, code="legal", person=duplicate)
    visitors_merge(survivor=survivor, duplicate=duplicate, merged_by=desk)
    assert consultation.participants.get().visitor == survivor


@pytest.mark.django_db
def test_erasure_blanks_the_words_and_keeps_the_counts(lawyer):
    person = visitor(given_name="Oksana", birth_year=1990, gender="female")
    other = visitor(given_name="Petro")
    alone = log(consultant=lawyer, code="legal", person=person, notes="Oksana's husband...")
    partner = PartnerOrganisation.objects.create(name="Red Cross", services="x", contacts="y")
    referral_create(consultation=alone, partner=partner, note="for Oksana", made_by=lawyer)
    group = log(
        consultant=lawyer, code="legal", person=None, is_group=True, notes="Session on permits"
    )
    Participant.objects.create(consultation=group, visitor=person, citizenship="UA")
    Participant.objects.create(consultation=group, visitor=other, citizenship="UA")

    def counts():
        rows = Participant.objects.order_by("id")
        return (
            Consultation.objects.count(),
            [(p.consultation_id, p.citizenship, p.gender, p.age_band) for p in rows],
            list(Consultation.objects.values_list("service__code", "mode", "duration_minutes")),
        )

    before = counts()
    visitor_erase(visitor=person, reason="asked", erased_by=lawyer)
    assert counts() == before
    alone.refresh_from_db()
    group.refresh_from_db()
    assert (alone.notes, alone.outcome) == ("", "")
    assert Referral.objects.get().note == ""
    assert group.notes == "Session on permits"

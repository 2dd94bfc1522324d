"""A form sent twice saves one record; a record refused for another reason is not mistaken
for a second submission."""

import uuid

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation, Service
from core.submissions import save_once
from tests.factories import staff_user
from visitors.models import Visit


@pytest.mark.django_db
def test_the_same_form_saved_twice_gives_back_the_first_record():
    key = uuid.uuid4()
    first, created = save_once(Visit(occurred_at=timezone.now(), submission_key=key), key)
    again, created_again = save_once(Visit(occurred_at=timezone.now(), submission_key=key), key)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Visit.objects.filter(submission_key=key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_another_broken_rule_is_raised_not_taken_for_a_second_submission():
    key = uuid.uuid4()
    refused = Consultation(
        service=Service.objects.get(code="legal"),
        consultant=staff_user(Role.LEGAL_ADVISER),
        started_at=timezone.now(),
        duration_minutes=0,  # the database allows 1 to 480
        submission_key=key,
    )
    with pytest.raises(IntegrityError):
        save_once(refused, key)
    assert not Consultation.objects.exists()

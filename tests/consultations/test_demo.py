from datetime import date, timedelta

import pytest
from django.db.models import F

from accounts.roles import Role
from consultations.demo import demo_consultations
from consultations.models import Consultation, Participant
from tests.factories import staff_user
from visitors.demo import demo_year
from visitors.models import Visit


@pytest.mark.django_db
def test_the_demo_year_has_the_anniversary_shape():
    """More consultations than visits, every service, remote and group sessions; each
    visit-based consultation belongs to a visit that asked for that service."""
    start = date(2023, 10, 23)
    desk = staff_user(Role.RECEPTION)
    consultants = {
        "legal": staff_user(Role.LEGAL_ADVISER),
        "career": staff_user(Role.CAREER_ADVISER),
        "psychological": staff_user(Role.PSYCHOLOGIST),
        "information": desk,
    }
    demo_year(logged_by=desk, start=start, visits=400, people=160)
    made = demo_consultations(consultants=consultants, until=start + timedelta(days=366))
    assert made == Consultation.objects.count()
    assert Consultation.objects.count() > Visit.objects.count() == 400
    codes = set(Consultation.objects.values_list("service__code", flat=True))
    assert codes == {"legal", "career", "psychological", "information"}
    assert set(Consultation.objects.values_list("mode", flat=True)) >= {"in_person", "phone"}
    assert Consultation.objects.filter(is_group=True).count() >= 12
    mismatched = Participant.objects.filter(visit__isnull=False).exclude(
        visit__purposes=F("consultation__service")
    )
    assert not mismatched.exists()
    # Every consultation is within the demo year.
    last = Consultation.objects.order_by("-started_at").first().started_at.date()
    assert last < start + timedelta(days=366)

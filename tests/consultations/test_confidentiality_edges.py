"""Confidentiality at its edges: a superuser administrator, break-glass reads, follow-up links."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from consultations.selectors import break_glass_report
from consultations.services import break_glass_grant
from tests.consultations.conftest import ROLE_OF_SERVICE, log, secret
from tests.factories import visitor


@pytest.mark.django_db
def test_a_superuser_administrator_sees_no_consultation_on_a_persons_page(client, centre):
    admin = centre.staff[Role.ADMINISTRATOR]
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    admin.refresh_from_db()
    client.force_login(admin)
    page = client.get(reverse("visitors:visitor_detail", args=[centre.person.pk]))
    text = page.content.decode()
    assert "Psychological help" not in text and secret("psychological") not in text


@pytest.mark.django_db
def test_break_glass_list_reads_are_audited_and_counted_for_that_person_only(client, centre):
    admin = centre.staff[Role.ADMINISTRATOR]
    other = visitor(given_name="Petro")
    log(consultant=centre.staff[ROLE_OF_SERVICE["legal"]], code="legal", person=other)
    reason = "A court asked for this person's records."
    break_glass_grant(user=admin, visitor=centre.person, reason=reason)
    break_glass_grant(user=admin, visitor=other, reason=reason)
    client.force_login(admin)
    client.get(reverse("admin:consultations_consultation_changelist"))
    reads = AuditEntry.objects.filter(action="consultation.read", actor=admin)
    assert reads.count() == 4  # three of the person's records and Petro's one
    counts = sorted(grant.reads for grant in break_glass_report())
    assert counts == [1, 3]


@pytest.mark.django_db
def test_follow_up_does_not_redirect_elsewhere(client, centre):
    lawyer = centre.staff[Role.LEGAL_ADVISER]
    client.force_login(lawyer)
    response = client.post(
        reverse("consultations:follow_up", args=[centre.records["legal"].pk]),
        {"action": "done", "next": "https://evil.example.org/"},
    )
    assert response["Location"] == reverse("consultations:worklist")

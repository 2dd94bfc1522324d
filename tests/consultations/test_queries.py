"""Lists and worklists cost the same number of queries for 2 records as for 12."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from consultations.models import PartnerOrganisation, Topic
from consultations.services import referral_create
from tests.consultations.conftest import log
from tests.factories import staff_user, visitor


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(lawyer, person, n):
    partner = PartnerOrganisation.objects.get_or_create(name="P", services="s", contacts="c")[0]
    topics = list(Topic.objects.filter(service__code="legal")[:2])
    for number in range(n):
        consultation = log(
            consultant=lawyer,
            code="legal",
            person=person if number % 2 else visitor(given_name=f"Person{number}"),
            topics=topics,
            started_at=timezone.now() - timedelta(days=2 if number % 3 == 0 else 0, minutes=number),
            follow_up_on=timezone.localdate() - timedelta(days=1) if number % 3 == 0 else None,
        )
        referral_create(consultation=consultation, partner=partner, made_by=lawyer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["consultations:worklist", "consultations:list", "visitors:visitor_detail"]
)
def test_constant_queries(client, page):
    lawyer = staff_user(Role.LEGAL_ADVISER)
    person = visitor(given_name="Taras")
    client.force_login(lawyer)
    url = reverse(page, args=[person.pk]) if page == "visitors:visitor_detail" else reverse(page)
    _add(lawyer, person, 2)
    _queries(client, url)  # warm the session and content-type caches
    few = _queries(client, url)
    _add(lawyer, person, 10)
    many = _queries(client, url)
    assert few == many

"""A search at the desk is written to the audit log as reads of records are: who, when, the
query and how many people it listed; administrators read it; erasing a person listed redacts
it, and the log's retention removes it with the rest of the log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from tests.factories import staff_user, visitor
from visitors.erasure import retention_apply, visitor_erase
from visitors.models import PrivacySettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    user = staff_user(Role.RECEPTION)
    client.force_login(user)
    return user


def _searches():
    return AuditEntry.objects.filter(action="visitor.search")


def test_a_desk_search_is_logged_with_who_what_and_how_many(client, desk):
    taras = visitor(given_name="Тарас", family_name="Шевченко")
    visitor(given_name="Olena", family_name="Koval")
    client.get(reverse("visitors:desk"), {"q": "Shevchenko"}, REMOTE_ADDR="10.0.0.7")
    entry = _searches().get()
    assert (entry.actor, entry.ip_address) == (desk, "10.0.0.7")
    assert entry.details["query"] == "Shevchenko"
    assert entry.details["results"] == 1
    assert entry.details["listed"] == f",{taras.pk},"
    # A search that finds nobody is a search too; the plain desk is not.
    client.get(reverse("visitors:desk"), {"q": "Nobody-by-this-name"})
    client.get(reverse("visitors:desk"))
    assert list(_searches().order_by("id").values_list("details__results", flat=True)) == [1, 0]


def test_the_duplicate_check_before_registering_is_logged(client, desk):
    visitor(given_name="Olena", family_name="Koval")
    client.post(
        reverse("visitors:visitor_create"),
        {
            "given_name": "Olena",
            "family_name": "Koval",
            "citizenship": "UA",
            "household_size": "1",
            "consent_registration": "on",
        },
    )
    entry = _searches().get()
    assert (entry.details["query"], entry.details["purpose"], entry.details["results"]) == (
        "Olena Koval",
        "duplicates",
        1,
    )


def test_administrators_read_the_searches_and_the_desk_does_not(client, desk):
    client.get(reverse("visitors:desk"), {"q": "Shevchenko"})
    entry = _searches().get()
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(url).status_code in (302, 403)  # the desk: no admin
    admin = staff_user(Role.ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_auditentry_changelist"), {"action": "visitor.search"})
    assert listing.status_code == 200 and "visitor.search" in listing.content.decode()
    assert "Shevchenko" in client.get(url).content.decode()


def test_erasing_a_person_redacts_the_searches_that_listed_them(client, desk):
    taras = visitor(given_name="Taras", family_name="Shevchenko")
    other = visitor(given_name="Olena", family_name="Koval")
    client.get(reverse("visitors:desk"), {"q": "Shevchenko"})
    client.get(reverse("visitors:desk"), {"q": "Koval"})
    visitor_erase(visitor=taras, erased_by=staff_user(Role.ADMINISTRATOR), reason="asked")
    queries = [entry.details.get("query") for entry in _searches().order_by("id")]
    # The one that listed Taras is redacted; the one that listed only Olena stays.
    assert queries == [None, "Koval"]
    assert _searches().order_by("id").last().details["listed"] == f",{other.pk},"


def test_retention_removes_searches_with_the_rest_of_the_log(client, desk):
    client.get(reverse("visitors:desk"), {"q": "Shevchenko"})
    assert _searches().count() == 1
    settings = PrivacySettings.current()
    settings.audit_log_months = 6
    settings.save()
    retention_apply(dry_run=True, now=timezone.now() + timedelta(days=200))
    assert _searches().count() == 1  # a dry run removes nothing
    retention_apply(dry_run=False, now=timezone.now() + timedelta(days=100))
    assert _searches().count() == 1  # not yet six months old
    retention_apply(dry_run=False, now=timezone.now() + timedelta(days=200))
    assert not _searches().exists()
    assert not AuditEntry.objects.filter(at__lt=timezone.now() - timedelta(days=1)).exists()

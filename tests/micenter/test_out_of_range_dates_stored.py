"""Dates already stored out of range (year 1, 9999, and on PostgreSQL 1 BC and 10000) are
written past every check with .update(); each page that shows them still answers.

Before, a visit typed as 1 January of year 1 (Vilnius time) was stored as 1 BC in UTC, and
the person's page, the consultation and the data export answered 500 for everyone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.urls import reverse

from accounts.roles import Role
from consultations.models import Consultation
from core import stored_dates
from events.models import Occurrence
from visitors.models import Consent, Visit, Visitor
from visitors.services import visit_log

YEAR_1 = datetime(1, 1, 1, tzinfo=UTC)
YEAR_9999 = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
LATE_START = datetime(9999, 12, 31, 22, 0, tzinfo=UTC)


def _store_out_of_range(world, low, high) -> None:
    """One of each kind of date, out of range, on the person, their visits and
    consultation, and on the event's sessions."""
    person = world.person
    desk = world[Role.RECEPTION]
    early, late = (visit_log(visitor=person, purposes=[], logged_by=desk) for _ in range(2))
    Visit.objects.filter(pk=early.pk).update(occurred_at=low)
    Visit.objects.filter(pk=late.pk).update(occurred_at=high)
    Visitor.objects.filter(pk=person.pk).update(
        birth_date=date(1, 1, 1), created_at=low, last_contact_at=high
    )
    Consent.objects.filter(visitor=person).update(given_at=low)
    Consultation.objects.filter(pk=world.consultation.pk).update(
        started_at=low, follow_up_on=date(1, 1, 1)
    )
    first, second = world.event.occurrences.order_by("pk")
    Occurrence.objects.filter(pk=first.pk).update(starts_at=low, ends_at=high)
    Occurrence.objects.filter(pk=second.pk).update(starts_at=LATE_START, ends_at=high)


PAGES = [
    # (who opens it, the URL name, its arguments from the world, query string)
    (Role.RECEPTION, "visitors:visitor_detail", lambda w: [w.person.pk], ""),
    (Role.RECEPTION, "visitors:visitor_export", lambda w: [w.person.pk], ""),
    (Role.RECEPTION, "visitors:visitor_export", lambda w: [w.person.pk], "?format=json"),
    (Role.RECEPTION, "visitors:desk", lambda w: [], ""),
    (Role.LEGAL_ADVISER, "visitors:visitor_detail", lambda w: [w.person.pk], ""),
    (Role.LEGAL_ADVISER, "consultations:detail", lambda w: [w.consultation.pk], ""),
    (Role.LEGAL_ADVISER, "consultations:list", lambda w: [], ""),
    (Role.LEGAL_ADVISER, "consultations:worklist", lambda w: [], ""),
    ("account", "visitors:my_data", lambda w: [], ""),
    ("account", "visitors:my_data", lambda w: [], "?format=json"),
    ("account", "accounts:my_account", lambda w: [], ""),
    ("account", "events:mine", lambda w: [], ""),
    (Role.MANAGER, "reports:dashboard", lambda w: [], ""),
    (Role.MANAGER, "reports:dashboard", lambda w: [], "?period=since_opening"),
    (Role.EVENT_COORDINATOR, "events:manage", lambda w: [w.event.pk], ""),
    (Role.EVENT_COORDINATOR, "events:attendance_export", lambda w: [w.event.pk, "csv"], ""),
    (Role.EVENT_COORDINATOR, "events:attendance_export", lambda w: [w.event.pk, "xlsx"], ""),
    (Role.RECEPTION, "events:check_in", lambda w: [w.session.pk], ""),
    (None, "events:list", lambda w: [], ""),
    (None, "events:detail", lambda w: [w.event.pk], ""),
    (None, "events:feed", lambda w: [], ""),
    (None, "events:event_ics", lambda w: [w.event.pk], ""),
]


def _open_every_page(client, world) -> None:
    for who, name, args, query in PAGES:
        client.logout()
        if who == "account":
            client.force_login(world.account)
        elif who is not None:
            client.force_login(world[who])
        response = client.get(reverse(name, args=args(world)) + query)
        assert response.status_code == 200, (who, name, query, response.status_code)


@pytest.mark.django_db
def test_year_1_and_9999_stored_do_not_break_any_page(client, world):
    _store_out_of_range(world, YEAR_1, YEAR_9999)
    _open_every_page(client, world)


@pytest.mark.django_db
@pytest.mark.postgres
def test_dates_only_postgresql_can_hold_do_not_break_any_page(client, world):
    """1 January of year 1 in Vilnius is 1 BC in UTC; year 10000 is beyond Python."""
    bc = datetime(1, 1, 1, tzinfo=ZoneInfo("Europe/Vilnius"))
    _store_out_of_range(world, bc, RawSQL("'10000-01-01 00:00+00'::timestamptz", []))
    _open_every_page(client, world)
    assert Visit.objects.order_by("occurred_at").first().occurred_at == stored_dates.FIRST.replace(
        tzinfo=UTC
    )


def test_clamping_keeps_values_inside_python_range_and_their_type():
    aware = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert stored_dates.clamp(aware) == stored_dates.LAST.replace(tzinfo=UTC)
    assert stored_dates.clamp(date(1, 1, 1)) == stored_dates.FIRST.date()
    ordinary = datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert stored_dates.clamp(ordinary) is ordinary


@pytest.mark.django_db
def test_sqlite_and_postgresql_read_a_clamped_value(world):
    Visitor.objects.filter(pk=world.person.pk).update(last_contact_at=YEAR_9999)
    value = Visitor.objects.values_list("last_contact_at", flat=True).get(pk=world.person.pk)
    assert value == stored_dates.LAST.replace(tzinfo=UTC)
    assert connection.vendor in ("sqlite", "postgresql")

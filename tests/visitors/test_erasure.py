"""Erasure removes a person everywhere and changes no past figure; retention applies it."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_log
from notifications.models import OutgoingEmail
from notifications.services import email_enqueue
from tests.factories import UserFactory, staff_user, visitor
from visitors import erasure, services
from visitors.demo import demo_year
from visitors.models import ErasureRequest, PrivacySettings, Visit, Visitor, VisitorSearchKey
from visitors.selectors import visitors_search


def report_figures():
    """Counts a report needs, computed straight from the visits (not from our report code)."""
    visits = Visit.objects.all()
    return {
        "total": visits.count(),
        "unique": visits.exclude(visitor=None).values("visitor").distinct().count(),
        "walk_ins": visits.filter(visitor=None).count(),
        "by_month": sorted(
            visits.annotate(m=TruncMonth("occurred_at"))
            .values_list("m")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "by_citizenship": sorted(
            visits.values_list("citizenship").annotate(n=Count("id")).order_by()
        ),
        "by_service": sorted(
            visits.values_list("purposes__code").annotate(n=Count("id")).order_by()
        ),
        "by_gender_age": sorted(
            visits.values_list("gender", "age_band").annotate(n=Count("id")).order_by()
        ),
    }


@pytest.fixture
def desk(db):
    return staff_user(Role.RECEPTION)


@pytest.mark.django_db
def test_erasure_leaves_every_past_figure_identical(desk):
    demo_year(logged_by=desk, start=date(2023, 10, 23), visits=400, people=150)
    before = report_figures()
    people = list(Visitor.objects.order_by("?")[:40])
    for person in people:
        erasure.visitor_erase(visitor=person, reason="test", erased_by=desk)
    assert report_figures() == before
    assert Visitor.objects.filter(erased_at__isnull=False).count() == 40


@pytest.mark.django_db
def test_erasure_removes_the_person_everywhere(desk):
    account = UserFactory(email="olena.k@example.org")
    person = visitor(
        given_name="Олена",
        family_name="Коваленко",
        phone="+37060012345",
        email="olena.k@example.org",
        other_names="Olena Kovalenko",
    )
    Visitor.objects.filter(pk=person.pk).update(user=account)
    services.visit_log(visitor=person, purposes=[], logged_by=desk, note="speaks about her son")
    audit_log(action="account.login_failed", details={"email": "olena.k@example.org"})
    email_enqueue(
        recipient="olena.k@example.org",
        subject="Reminder for Olena",
        body_text="Dear Olena",
        language="uk",
    )

    erasure.visitor_erase(visitor=person, erased_by=desk, reason="asked at the desk")

    person.refresh_from_db()
    account.refresh_from_db()
    assert person.erased_at is not None
    assert (
        person.given_name,
        person.family_name,
        person.other_names,
        person.phone,
        person.email,
        person.birth_year,
    ) == ("", "", "", "", "", None)
    assert not VisitorSearchKey.objects.filter(visitor=person).exists()
    assert visitors_search(user=desk, query="Kovalenko") == []
    assert Visit.objects.get(visitor=person).note == ""
    assert not account.is_active and "olena" not in account.email
    everything = str(list(AuditEntry.objects.values_list("details", "reason")))
    assert "olena" not in everything.lower()
    outbox = OutgoingEmail.objects.get()
    assert "olena" not in (outbox.recipient + outbox.subject + outbox.body_text).lower()
    # The erasure itself is on record, with its reason, and no name.
    entry = AuditEntry.objects.get(action="visitor.erase")
    assert entry.actor == desk and entry.reason == "asked at the desk"


@pytest.mark.django_db
def test_request_then_administrator_approves_in_admin(client, desk):
    person = visitor(given_name="Ahmad", family_name="Rahimi")
    client.force_login(desk)
    client.post(reverse("visitors:erasure_request", args=[person.pk]))
    client.post(reverse("visitors:erasure_request", args=[person.pk]))  # asked twice
    request = ErasureRequest.objects.get()
    admin_user = staff_user(Role.ADMINISTRATOR)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:visitors_erasurerequest_changelist")).content.decode()
    assert f"#{person.pk}" in changelist and "Rahimi" not in changelist
    client.post(
        reverse("admin:visitors_erasurerequest_changelist"),
        {"action": "approve", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == "done" and request.decided_by == admin_user
    assert person.erased_at is not None and person.family_name == ""


@pytest.mark.django_db
def test_rejected_request_erases_nothing(desk):
    person = visitor(family_name="Karimov")
    request = erasure.erasure_request(visitor=person, requested_by=desk)
    erasure.erasure_decide(
        erasure=request, approve=False, decided_by=staff_user(Role.ADMINISTRATOR)
    )
    person.refresh_from_db()
    assert person.family_name == "Karimov" and person.erased_at is None


@pytest.mark.django_db
def test_visitor_asks_for_own_erasure(client):
    account = UserFactory()
    person = visitor(family_name="Melnyk")
    Visitor.objects.filter(pk=person.pk).update(user=account)
    client.force_login(account)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert reverse("visitors:my_erasure_request") in page
    client.post(reverse("visitors:my_erasure_request"))
    assert ErasureRequest.objects.get().visitor == person
    # Someone without a record has nothing to erase here.
    client.force_login(UserFactory())
    assert client.post(reverse("visitors:my_erasure_request")).status_code == 404


@pytest.mark.django_db
def test_retention_dry_run_then_run(desk):
    old = visitor(family_name="Old")
    recent = visitor(family_name="Recent")
    Visitor.objects.filter(pk=old.pk).update(last_contact_at=timezone.now() - timedelta(days=800))
    from io import StringIO

    out = StringIO()
    call_command("retention", stdout=out)
    assert "No retention period is set" in out.getvalue()
    PrivacySettings.objects.update_or_create(pk=1, defaults={"retention_months": 24})
    out = StringIO()
    call_command("retention", stdout=out)
    assert "Would erase 1 record(s)" in out.getvalue() and f"#{old.pk}" in out.getvalue()
    assert Visitor.objects.get(pk=old.pk).erased_at is None
    call_command("retention", "--run", stdout=StringIO())
    assert Visitor.objects.get(pk=old.pk).erased_at is not None
    assert Visitor.objects.get(pk=recent.pk).erased_at is None


@pytest.mark.django_db
def test_nightly_task_applies_retention(desk):
    from visitors.tasks import retention_apply

    old = visitor(family_name="Old")
    Visitor.objects.filter(pk=old.pk).update(last_contact_at=timezone.now() - timedelta(days=400))
    PrivacySettings.objects.update_or_create(pk=1, defaults={"retention_months": 12})
    retention_apply.delay()
    assert Visitor.objects.get(pk=old.pk).erased_at is not None


@pytest.mark.django_db
def test_export_for_the_person_and_at_the_desk(client, desk):
    account = UserFactory(email="iryna@example.org")
    person = visitor(given_name="Ірина", family_name="Бондар", phone="+37060099999")
    services.visit_log(visitor=person, purposes=[], logged_by=desk, note="needs housing info")
    client.force_login(desk)
    client.post(reverse("visitors:account_link", args=[person.pk]), {"email": "IRINA@example.org"})
    assert Visitor.objects.get(pk=person.pk).user is None  # a wrong address links nothing
    client.post(reverse("visitors:account_link", args=[person.pk]), {"email": "IRYNA@example.org"})
    assert Visitor.objects.get(pk=person.pk).user == account

    desk_json = client.get(reverse("visitors:visitor_export", args=[person.pk]), {"format": "json"})
    assert desk_json["Content-Disposition"].startswith("attachment")
    data = desk_json.json()
    assert data["details"]["family_name"] == "Бондар"
    assert data["visits"][0]["note"] == "needs housing info"
    assert data["consents"][0]["purpose"] == "registration"

    client.force_login(account)
    page = client.get("/uk" + reverse("visitors:my_data")[3:]).content.decode()
    assert "Бондар" in page and "+37060099999" in page
    own = client.get("/en/desk/my-data/", {"format": "json"}).json()
    assert own == {**data, "exported_at": own["exported_at"]}
    assert AuditEntry.objects.filter(action="visitor.export").count() == 3

    # Another visitor sees only that nothing is kept about them.
    client.force_login(UserFactory())
    assert "Бондар" not in client.get(reverse("visitors:my_data")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.LEGAL_ADVISER, Role.ADMINISTRATOR])
def test_export_is_not_for_other_roles(client, role):
    person = visitor()
    client.force_login(staff_user(role))
    expected = 403 if role == Role.LEGAL_ADVISER else 404
    assert client.get(reverse("visitors:visitor_export", args=[person.pk])).status_code == expected


@pytest.mark.django_db
def test_the_data_page_writes_times_and_languages_as_words(client, desk):
    """The page a person reads shows dates in their language and languages by name; the
    file keeps the ISO forms and codes."""
    import re

    account = UserFactory(email="olena@example.org")
    person = visitor(given_name="Олена", family_name="Мельник", email="olena@example.org")
    services.visit_log(visitor=person, purposes=[], logged_by=desk, language="ru")
    client.force_login(desk)
    client.post(reverse("visitors:account_link", args=[person.pk]), {"email": "olena@example.org"})
    client.force_login(account)
    page = client.get("/uk" + reverse("visitors:my_data")[3:]).content.decode()
    assert not re.search(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", page), "an ISO time on the page"
    assert "<td>Русский</td>" in page or "<td>Російська</td>" in page
    assert ">ru<" not in page
    own = client.get("/uk/desk/my-data/", {"format": "json"}).json()
    assert own["visits"][0]["language"] == "ru" and "T" in own["visits"][0]["time"]

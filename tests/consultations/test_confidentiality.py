"""Every role, every consultation page, records of each service: only the allowed cells see
anything, and those see only the allowed fields (psychological notes above all)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from consultations.models import BreakGlassGrant
from consultations.services import break_glass_grant
from tests.consultations.conftest import ROLE_OF_SERVICE, SERVICES, outcome, secret

EVERYONE = [*Role, "visitor", "anonymous"]
ADVISERS = set(ROLE_OF_SERVICE.values())


def _client_as(client, centre, who):
    if who == "visitor":
        client.force_login(centre.account)
    elif who != "anonymous":
        client.force_login(centre.staff[who])
    return client


def _full_reader(who, code) -> bool:
    return ROLE_OF_SERVICE[code] == who


def _leaked(text: str, code: str) -> bool:
    return secret(code) in text or outcome(code) in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("code", SERVICES)
def test_record_page(client, centre, who, code):
    _client_as(client, centre, who)
    record = centre.records[code]
    response = client.get(reverse("consultations:detail", args=[record.pk]))
    text = response.content.decode()
    if _full_reader(who, code):
        assert response.status_code == 200
        assert secret(code) in text and centre.topic_name(code) in text
        assert AuditEntry.objects.filter(
            action="consultation.read", object_id=str(record.pk), actor=centre.staff[who]
        ).exists()
    else:
        expected = {"anonymous": 302, "visitor": 403}.get(who, 404)
        if who in (Role.MANAGER, Role.EVENT_COORDINATOR, Role.KIOSK):
            expected = 403
        assert response.status_code == expected
        assert not _leaked(text, code)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_record_list_and_search(client, centre, who):
    _client_as(client, centre, who)
    for query in ({}, {"q": "Shevchenko"}):
        response = client.get(reverse("consultations:list"), query)
        text = response.content.decode()
        if who in ADVISERS:
            assert response.status_code == 200
            for code in SERVICES:
                link = reverse("consultations:detail", args=[centre.records[code].pk])
                assert (link in text) == _full_reader(who, code), (code, query)
                assert (centre.topic_name(code) in text) == _full_reader(who, code)
                assert not _leaked(text, code)
        else:
            assert response.status_code in (302, 403)
            assert "Шевченко" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_visitor_timeline(client, centre, who):
    _client_as(client, centre, who)
    response = client.get(reverse("visitors:visitor_detail", args=[centre.person.pk]))
    text = response.content.decode()
    if who == Role.RECEPTION or who in ADVISERS:
        assert response.status_code == 200
        for code in SERVICES:
            # Everyone on the page learns that a consultation took place...
            assert str(centre.records[code].service) in text
            # ...only the service's own consultants see what it was about.
            assert (centre.topic_name(code) in text) == _full_reader(who, code)
            assert not _leaked(text, code)
        reads = AuditEntry.objects.filter(action="consultation.read", actor=centre.staff[who])
        assert reads.count() == 3
    else:
        assert response.status_code in (302, 404)
        assert all(not _leaked(text, code) for code in SERVICES)


@pytest.mark.django_db
@pytest.mark.parametrize("who", [Role.RECEPTION, "visitor"])
def test_exports(client, centre, who):
    _client_as(client, centre, who)
    if who == "visitor":
        url = reverse("visitors:my_data")
    else:
        url = reverse("visitors:visitor_export", args=[centre.person.pk])
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert sorted(c["service"] for c in data["consultations"]) == sorted(
        str(centre.records[code].service) for code in SERVICES
    )
    dump = json.dumps(data, ensure_ascii=False)
    for code in SERVICES:
        assert not _leaked(dump, code)
        assert centre.topic_name(code) not in dump
    consultants = {c["consultant"] for c in data["consultations"]}
    if who == "visitor":
        # A person sees who they talked to.
        names = {centre.staff[ROLE_OF_SERVICE[c]].get_full_name() for c in SERVICES}
        assert consultants == names
    else:
        # The desk learns that consultations took place, not with whom.
        assert consultants == {""}


@pytest.mark.django_db
def test_a_visitor_sees_their_own_consultations_and_nobody_elses(client, centre):
    from tests.factories import UserFactory, visitor

    stranger = UserFactory()
    other = visitor(given_name="Iryna")
    other.user = stranger
    other.save(update_fields=["user"])
    client.force_login(centre.account)
    text = client.get(reverse("accounts:my_account")).content.decode()
    psychologist = centre.staff[Role.PSYCHOLOGIST].get_full_name()
    assert str(centre.records["psychological"].service) in text
    assert psychologist in text
    assert all(not _leaked(text, code) for code in SERVICES)
    client.force_login(stranger)
    text = client.get(reverse("accounts:my_account")).content.decode()
    assert psychologist not in text
    assert str(centre.records["psychological"].service) not in text


@pytest.mark.django_db
def test_the_admin_shows_administrators_no_record_without_break_glass(client, centre):
    admin = centre.staff[Role.ADMINISTRATOR]
    client.force_login(admin)
    changelist = reverse("admin:consultations_consultation_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    assert "0 consultations" in response.content.decode()
    change = reverse("admin:consultations_consultation_change", args=[centre.records["legal"].pk])
    assert client.get(change).status_code == 302  # "does not exist": back to the list
    for who in (Role.RECEPTION, Role.PSYCHOLOGIST, Role.MANAGER):
        client.force_login(centre.staff[who])
        assert client.get(changelist).status_code == 403


@pytest.mark.django_db
def test_break_glass_grants_expires_and_is_audited(client, centre):
    admin = centre.staff[Role.ADMINISTRATOR]
    client.force_login(admin)
    psych = centre.records["psychological"]
    detail = reverse("consultations:detail", args=[psych.pk])
    assert client.get(detail).status_code == 404

    # No reason, no access.
    response = client.post(
        reverse("consultations:break_glass"), {"visitor": centre.person.pk, "reason": "need"}
    )
    assert response.status_code == 200
    assert not BreakGlassGrant.objects.exists()

    reason = "Court order 12/2026 asks for the counselling history."
    response = client.post(
        reverse("consultations:break_glass"), {"visitor": centre.person.pk, "reason": reason}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert centre.topic_name("psychological") in page
    assert secret("psychological") in client.get(detail).content.decode()
    admin_list = client.get(reverse("admin:consultations_consultation_changelist"))
    assert "3 consultations" in admin_list.content.decode()
    assert AuditEntry.objects.filter(action="consultation.break_glass", reason=reason).exists()
    assert AuditEntry.objects.filter(
        action="consultation.read", actor=admin, object_id=str(psych.pk)
    ).exists()

    report = client.get(reverse("consultations:break_glass_report")).content.decode()
    assert reason in report

    # Half an hour later the glass is whole again.
    BreakGlassGrant.objects.update(
        granted_at=timezone.now() - timedelta(minutes=40),
        expires_at=timezone.now() - timedelta(minutes=10),
    )
    assert client.get(detail).status_code == 404
    assert (
        "0 consultations"
        in client.get(reverse("admin:consultations_consultation_changelist")).content.decode()
    )


@pytest.mark.django_db
def test_only_administrators_break_glass(centre):
    from django.core.exceptions import ValidationError

    for role in (Role.MANAGER, Role.RECEPTION, Role.LEGAL_ADVISER):
        with pytest.raises(ValidationError):
            break_glass_grant(
                user=centre.staff[role], visitor=centre.person, reason="A long enough reason."
            )


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_admin_changelist_for_every_role(client, centre, who):
    _client_as(client, centre, who)
    response = client.get(reverse("admin:consultations_consultation_changelist"))
    text = response.content.decode()
    if who == Role.ADMINISTRATOR:
        assert response.status_code == 200 and "0 consultations" in text
    else:
        assert response.status_code in (302, 403)
    assert all(not _leaked(text, code) for code in SERVICES)


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize(
    "name", ["consultations:worklist", "consultations:create", "consultations:group_create"]
)
def test_consultant_pages_for_every_role(client, centre, who, name):
    _client_as(client, centre, who)
    response = client.get(reverse(name))
    allowed = who in ADVISERS or (who == Role.RECEPTION and name != "consultations:worklist")
    expected = 200 if allowed else 302 if who == "anonymous" else 403
    assert response.status_code == expected
    assert all(not _leaked(response.content.decode(), code) for code in SERVICES)


@pytest.mark.django_db
def test_the_desk_records_information_consultations_only(client, centre):
    from consultations.models import Consultation, Service

    desk = centre.staff[Role.RECEPTION]
    client.force_login(desk)
    page = client.get(reverse("consultations:create"))
    assert list(page.context["form"].fields["service"].queryset) == [
        Service.objects.get(code="information")
    ]
    data = {
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "10",
        "mode": "in_person",
        "submission_key": "6f1c1f8e-3a8a-4b59-9a55-3f4f7c2e9c11",
    }
    client.post(
        reverse("consultations:create"), {**data, "service": centre.records["legal"].service_id}
    )
    assert Consultation.objects.count() == 3
    client.post(
        reverse("consultations:create"),
        {**data, "service": Service.objects.get(code="information").pk},
    )
    assert Consultation.objects.filter(service__code="information", consultant=desk).count() == 1

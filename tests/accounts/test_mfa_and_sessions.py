from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.roles import Role


@pytest.fixture
def mfa_required(settings):
    settings.MICENTER_STAFF_MFA_REQUIRED = True


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in Role if role != Role.KIOSK])
def test_staff_without_mfa_is_held_at_setup(client, make_staff, password, mfa_required, role):
    user = make_staff(role)
    login = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert login["Location"] == reverse("start")
    for url in [
        reverse("start"),
        reverse("visitors:desk"),
        reverse("reports:dashboard"),
        reverse("admin:index"),
        reverse("accounts:my_account"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    # The way out is open: confirm the password (allauth asks before MFA changes), then set up.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    client.post(activate["Location"], {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content  # the QR code to scan


@pytest.mark.django_db
def test_staff_with_mfa_gets_through(client, make_staff, mfa_required):
    user = make_staff(Role.RECEPTION)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert client.get(reverse("visitors:desk")).status_code == 200


@pytest.mark.django_db
def test_visitors_are_not_asked_for_mfa(client, visitor_user, mfa_required):
    client.force_login(visitor_user)
    assert client.get(reverse("accounts:my_account")).status_code == 200


@pytest.mark.django_db
def test_mfa_is_not_required_when_setting_is_off(client, make_staff):
    client.force_login(make_staff(Role.RECEPTION))
    assert client.get(reverse("visitors:desk")).status_code == 200


@pytest.mark.django_db
def test_staff_session_expires_after_an_idle_hour(client, make_staff, visitor_user):
    client.force_login(make_staff(Role.RECEPTION))
    client.get(reverse("visitors:desk"))
    assert client.session.get_expiry_age() == 3600

    client.force_login(visitor_user)
    client.get(reverse("accounts:my_account"))
    assert client.session.get_expiry_age() == 14 * 24 * 3600


@pytest.mark.django_db
def test_the_idle_hour_is_counted_again_at_most_once_a_minute(client, make_staff):
    """Each desk click must not write the session; an active worker still stays signed in."""
    from django.contrib.sessions.models import Session

    client.force_login(make_staff(Role.RECEPTION))
    client.get(reverse("visitors:desk"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date

    client.get(reverse("visitors:desk"))
    assert Session.objects.get(session_key=key).expire_date == first

    # Two minutes later (the last refresh moved back in the stored session).
    session = client.session
    session["_staff_seen"] -= 120
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=first - timedelta(minutes=2))
    client.get(reverse("visitors:desk"))
    assert Session.objects.get(session_key=key).expire_date > first - timedelta(minutes=1)


@pytest.mark.django_db
def test_the_entrance_kiosk_is_not_held_for_mfa(client, make_staff, mfa_required):
    client.force_login(make_staff(Role.KIOSK))
    assert client.get(reverse("visitors:kiosk")).status_code == 200

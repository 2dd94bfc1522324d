"""Who is signed in and what they may do comes from the cache (accounts/backends.py): every
change to an account must still take effect on the very next request."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, make_staff):
    user = make_staff(Role.RECEPTION)
    client.force_login(user)
    # Twice: the second request is served from what the first kept.
    assert client.get(reverse("visitors:desk")).status_code == 200
    assert client.get(reverse("visitors:desk")).status_code == 200
    return user


def test_a_deactivated_account_is_signed_out_at_once(client, desk):
    desk.is_active = False
    desk.save()
    response = client.get(reverse("visitors:desk"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_password_changed_elsewhere_ends_this_session(client, desk):
    desk.set_password("a-completely-new-secret-2026")
    desk.save()
    response = client.get(reverse("visitors:desk"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_permission_taken_from_the_role_stops_at_once(client, desk):
    group = Group.objects.get(name=Role.RECEPTION)
    group.permissions.remove(Permission.objects.get(codename="use_front_desk"))
    assert client.get(reverse("visitors:desk")).status_code == 403


def test_a_role_given_works_at_once(client, desk):
    assert client.get(reverse("reports:dashboard")).status_code == 403
    desk.groups.add(Group.objects.get(name=Role.MANAGER))
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_removing_the_authenticator_holds_staff_at_setup_again(client, desk, settings):
    settings.MICENTER_STAFF_MFA_REQUIRED = True
    totp = Authenticator.objects.create(
        user=desk, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get(reverse("visitors:desk")).status_code == 200
    totp.delete()
    assert client.get(reverse("visitors:desk"))["Location"] == reverse("mfa_activate_totp")


def test_without_a_cache_everything_is_read_from_the_database(client, make_staff, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    user = make_staff(Role.RECEPTION)
    client.force_login(user)
    assert client.get(reverse("visitors:desk")).status_code == 200
    assert client.get(reverse("reports:dashboard")).status_code == 403
    user.groups.remove(Group.objects.get(name=Role.RECEPTION))
    assert client.get(reverse("visitors:desk")).status_code == 403


@pytest.mark.redis
def test_no_copy_of_a_session_or_an_account_outlives_five_minutes(client, visitor_user):
    """Should a sign-out or a role change not reach Redis, the copy still goes soon."""
    from django.core.cache import cache

    client.force_login(visitor_user)
    assert client.get(reverse("accounts:my_account")).status_code == 200
    redis = cache.client.get_client()
    kept = [key for key in redis.keys("*") if b"sessions" in key or b"user:" in key]
    assert any(b"sessions" in key for key in kept) and any(b"user:" in key for key in kept)
    assert all(0 < redis.ttl(key) <= 300 for key in kept)


@pytest.mark.redis
def test_a_kept_desk_page_read_again_waits_for_no_trip_to_redis(client, desk, other_worker):
    """The session comes with the version of everything pages are kept from, and that read
    is answered in this process while Redis says nothing changed; the signed-in user and the
    page are this process's own copies under those versions."""
    before = other_worker.commands_served()
    assert client.get(reverse("visitors:desk")).status_code == 200
    after = other_worker.commands_served()
    sent = {name: calls - before.get(name, 0) for name, calls in after.items()}
    assert {name: calls for name, calls in sent.items() if calls} == {"cmdstat_info": 1}


@pytest.mark.redis
def test_signed_out_by_another_worker_is_signed_out_here_at_once(client, desk, other_worker):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    from accounts.sessions import SessionStore

    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # What a sign-out in another worker does: the session leaves the database and the cache.
    Session.objects.filter(session_key=session_key).delete()
    other_worker.delete(SessionStore.cache_key_prefix + session_key)
    response = client.get(reverse("visitors:desk"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.redis
def test_a_role_taken_away_in_another_worker_stops_here_at_once(client, desk, other_worker):
    from django.db import connection

    with connection.cursor() as cursor:  # the other worker's change, signals and all
        cursor.execute("DELETE FROM accounts_user_groups WHERE user_id = %s", [desk.pk])
    other_worker.set("scopever:access", "bumped elsewhere")
    assert client.get(reverse("visitors:desk")).status_code == 403


def test_a_role_taken_away_by_another_process_stops_here_at_once(client, desk):
    """The signed-in user is also kept in this process, under the version of who may do
    what: another process's change gives a new version, and this copy is no longer found."""
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:  # the other process's change, signals and all
        cursor.execute("DELETE FROM accounts_user_groups WHERE user_id = %s", [desk.pk])
    cache.set("scopever:access", "bumped-by-another-process", None)
    assert client.get(reverse("visitors:desk")).status_code == 403

"""Taking access away takes effect on the very next request, whichever way it was taken: the
admin, a bulk `QuerySet.update`, rows deleted from the user–group or group–permission
tables, or a data migration (historical models, no signals of ours). Nothing about who may do
what is kept between requests, so there is nothing to go stale."""

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps as project_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.state import ProjectState
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

DESK = reverse("visitors:desk")


@pytest.fixture
def desk(client, make_staff):
    """A front-desk worker, signed in, who has just opened the desk twice."""
    user = make_staff(Role.RECEPTION)
    client.force_login(user)
    assert client.get(DESK).status_code == 200
    assert client.get(DESK).status_code == 200
    return user


def _signed_out(response) -> bool:
    return response.status_code == 302 and reverse("account_login") in response["Location"]


def _historical(*models: str):
    """The models as a data migration sees them (RunPython's `apps.get_model`)."""
    state = ProjectState.from_apps(project_apps).apps
    found = [state.get_model(model) for model in models]
    return found[0] if len(found) == 1 else found


# --- A deactivated account ------------------------------------------------------------------


def test_deactivated_in_the_admin(client, desk, make_staff):
    admin = make_staff(Role.ADMINISTRATOR)
    admin.is_superuser = True  # the admin's change form for accounts
    admin.save()
    other = client.__class__()
    other.force_login(admin)
    response = other.post(
        reverse("admin:accounts_user_change", args=[desk.pk]),
        {
            "email": desk.email,
            "first_name": "",
            "last_name": "",
            "language": "en",
            "role": Role.RECEPTION,
            # is_active left unticked
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert _signed_out(client.get(DESK))


def test_deactivated_by_a_bulk_update(client, desk):
    assert User.objects.filter(pk=desk.pk).update(is_active=False) == 1
    assert _signed_out(client.get(DESK))


def test_deactivated_by_a_data_migration(client, desk):
    _historical("accounts.User").objects.filter(pk=desk.pk).update(is_active=False)
    assert _signed_out(client.get(DESK))


def test_a_password_changed_elsewhere_ends_this_session(client, desk):
    desk.set_password("a-completely-new-secret-2026")
    User.objects.filter(pk=desk.pk).update(password=desk.password)
    assert _signed_out(client.get(DESK))


# --- A removed role or permission -----------------------------------------------------------


def test_role_removed_in_the_admin(client, desk, make_staff):
    admin = make_staff(Role.ADMINISTRATOR)
    admin.is_superuser = True
    admin.save()
    other = client.__class__()
    other.force_login(admin)
    response = other.post(
        reverse("admin:accounts_user_change", args=[desk.pk]),
        {"email": desk.email, "language": "en", "role": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert client.get(DESK).status_code == 403


def test_role_removed_by_deleting_the_user_group_row(client, desk):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user_groups WHERE user_id = %s", [desk.pk])
    assert client.get(DESK).status_code == 403


def test_role_removed_through_the_through_model(client, desk):
    User.groups.through.objects.filter(user_id=desk.pk).delete()
    assert client.get(DESK).status_code == 403


def test_role_removed_by_a_data_migration(client, desk):
    through = _historical("accounts.User").groups.through
    through.objects.filter(user_id=desk.pk).delete()
    assert client.get(DESK).status_code == 403


def test_permission_taken_from_the_role_by_a_data_migration(client, desk):
    group_model, permission_model = _historical("auth.Group", "auth.Permission")
    group = group_model.objects.get(name=Role.RECEPTION)
    group.permissions.remove(permission_model.objects.get(codename="use_front_desk"))
    assert client.get(DESK).status_code == 403


def test_permission_taken_from_the_role_by_deleting_its_row(client, desk):
    permission = Permission.objects.get(codename="use_front_desk")
    Group.permissions.through.objects.filter(
        group__name=Role.RECEPTION, permission=permission
    ).delete()
    assert client.get(DESK).status_code == 403


def test_a_role_given_works_at_once(client, desk):
    assert client.get(reverse("reports:dashboard")).status_code == 403
    User.groups.through.objects.create(
        user_id=desk.pk, group_id=Group.objects.get(name=Role.MANAGER).pk
    )
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_removing_the_authenticator_holds_staff_at_setup_again(client, desk, settings):
    settings.MICENTER_STAFF_MFA_REQUIRED = True
    Authenticator.objects.create(user=desk, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(DESK).status_code == 200
    Authenticator.objects.filter(user=desk).delete()  # a bulk delete: no signal of the model
    assert client.get(DESK)["Location"] == reverse("mfa_activate_totp")


@pytest.mark.redis
def test_revocation_holds_with_sessions_in_redis(client, desk):
    """Production's setup: sessions read through Redis. A session there names who is signed
    in, never what they may do."""
    from django.conf import settings

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    User.groups.through.objects.filter(user_id=desk.pk).delete()
    assert client.get(DESK).status_code == 403
    User.objects.filter(pk=desk.pk).update(is_active=False)
    assert _signed_out(client.get(DESK))


def test_who_is_signed_in_and_what_they_may_do_is_one_query(client, desk, settings):
    """The user, their roles, permissions and authenticator app are read together, afresh
    for every request: one query, whatever the page then checks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MICENTER_STAFF_MFA_REQUIRED = True
    Authenticator.objects.create(user=desk, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.get("/ping")  # the session is now in the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ping").status_code == 200
    assert len(queries) == 1
    user = client.get(DESK).wsgi_request.user
    assert user.role_codes == [Role.RECEPTION]
    assert user.has_perm("accounts.use_front_desk") and user.has_authenticator_app
    assert not user.has_perm("accounts.view_reports")

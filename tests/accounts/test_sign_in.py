import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_staff_signs_in_by_email_and_lands_on_start_page(client, make_staff, password):
    user = make_staff(Role.RECEPTION, language="uk")
    response = _login(client, user.email, password)
    assert response.status_code == 302
    # The account's language decides where they land, whatever the login page was in.
    assert response["Location"] == "/uk/start/"
    assert AuditEntry.objects.filter(action="account.login", actor=user).count() == 1


@pytest.mark.django_db
def test_login_locks_after_repeated_failures(client, make_staff, password):
    user = make_staff(Role.LEGAL_ADVISER)
    for _ in range(5):
        response = _login(client, user.email, "wrong password")
        assert response.status_code == 200
    # Even the right password is refused while the account is locked.
    response = _login(client, user.email, password)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="account.login_failed").count() >= 5


@pytest.mark.django_db
def test_visitor_signs_up_and_must_verify_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/uk/accounts/signup/",
            {
                "email": "olena@example.org",
                "password1": "a long pass phrase 7",
                "password2": "a long pass phrase 7",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="olena@example.org")
    assert not user.is_centre_staff and not user.is_staff
    # The verification email goes through the outbox and is written in Ukrainian.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olena@example.org"]
    assert "/uk/accounts/confirm-email/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Підтвердьте адресу електронної пошти"
    assert mail.outbox[0].body.startswith("Вітаємо!")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_cannot_create_staff(client):
    client.post(
        "/en/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "a long pass phrase 7",
            "password2": "a long pass phrase 7",
            "role": "administrator",
            "is_staff": "on",
        },
    )
    user = User.objects.get(email="x@example.org")
    assert user.role_codes == [] and not user.is_staff


@pytest.mark.django_db
def test_password_reset_email_is_sent_in_account_language(
    client, make_staff, django_capture_on_commit_callbacks
):
    user = make_staff(Role.MANAGER, language="lt")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/lt/accounts/password/reset/key/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Nustatykite naują slaptažodį"


@pytest.mark.django_db
def test_staff_account_created_without_password_gets_invitation(
    make_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_staff(Role.PSYCHOLOGIST, password=None, language="ru")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/ru/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="account.create", object_id=str(user.pk)).exists()

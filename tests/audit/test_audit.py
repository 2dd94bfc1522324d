import pytest
from django.urls import reverse

from audit.models import AppendOnlyError, AuditEntry
from audit.services import audit_log


@pytest.mark.django_db
def test_audit_entry_records_who_what_where_why(rf, make_staff):
    user = make_staff("administrator")
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    entry = audit_log(
        request=request,
        action="visitor.view",
        object_type="visitors.visitor",
        object_id=42,
        reason="Checking a duplicate",
    )
    assert (entry.actor, entry.ip_address, entry.object_id, entry.reason) == (
        user,
        "10.1.2.3",
        "42",
        "Checking a duplicate",
    )


@pytest.mark.django_db
def test_audit_log_is_append_only():
    entry = audit_log(action="test.action")
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


@pytest.mark.django_db
def test_admin_can_filter_but_not_change_the_log(client, make_staff):
    admin_user = make_staff("administrator")
    audit_log(action="visitor.view", object_type="visitors.visitor", object_id=1)
    audit_log(action="account.login", actor=admin_user)
    client.force_login(admin_user)
    changelist = reverse("admin:audit_auditentry_changelist")
    page = client.get(changelist, {"action": "visitor.view"}).content.decode()
    assert "visitors.visitor" in page
    entry = AuditEntry.objects.filter(action="visitor.view").get()
    change = client.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "nothing"}
    )
    assert change.status_code in (403, 302, 200)
    assert AuditEntry.objects.get(pk=entry.pk).action == "visitor.view"
    assert (
        client.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_administrator_creates_staff_in_admin_through_the_service(client, make_staff):
    admin_user = make_staff("administrator")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.adviser@example.org",
            "first_name": "Ona",
            "last_name": "Ona",
            "language": "lt",
            "role": "legal_adviser",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from accounts.models import User

    user = User.objects.get(email="new.adviser@example.org")
    assert user.role_codes == ["legal_adviser"] and not user.is_staff
    assert AuditEntry.objects.filter(action="account.create", actor=admin_user).exists()

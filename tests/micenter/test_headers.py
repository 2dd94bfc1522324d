"""Every page sends the security headers; no page with personal data may be stored."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory, staff_user, visitor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("anonymous", "/en/"),
        ("anonymous", "/en/events/"),
        (Role.RECEPTION, "visitors:desk"),
        (Role.LEGAL_ADVISER, "consultations:worklist"),
        (Role.EVENT_COORDINATOR, "events:staff_home"),
        (Role.MANAGER, "reports:dashboard"),
        ("visitor", "accounts:my_account"),
        ("visitor", "events:mine"),
    ],
)
def test_security_headers_and_no_store(client, who, url):
    if who == "visitor":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(staff_user(who))
    response = client.get(url if url.startswith("/") else reverse(url))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if who != "anonymous":
        assert "no-store" in response["Cache-Control"]


def test_a_persons_pages_are_never_stored(client):
    desk = staff_user(Role.RECEPTION)
    person = visitor()
    client.force_login(desk)
    for name in ("visitors:visitor_detail", "visitors:visitor_merge", "visitors:visitor_edit"):
        response = client.get(reverse(name, args=[person.pk]))
        assert "no-store" in response["Cache-Control"], name

"""Each role reaches its own pages and gets 403 on the others; visitors and strangers none."""

import pytest
from django.urls import reverse

from accounts.roles import Role

# Which role may open which staff page (URL name -> roles).
STAFF_PAGES = {
    "visitors:desk": {Role.RECEPTION},
    "consultations:worklist": {Role.LEGAL_ADVISER, Role.CAREER_ADVISER, Role.PSYCHOLOGIST},
    # The desk registers walk-ins and checks people in at the door.
    "events:staff_home": {Role.EVENT_COORDINATOR, Role.RECEPTION, Role.ADMINISTRATOR},
    "reports:dashboard": {Role.MANAGER, Role.ADMINISTRATOR},
    "accounts:administration": {Role.ADMINISTRATOR},
    "visitors:kiosk": {Role.KIOSK},
    "admin:index": {Role.ADMINISTRATOR},
    "admin:accounts_user_changelist": {Role.ADMINISTRATOR},
    "admin:audit_auditentry_changelist": {Role.ADMINISTRATOR},
}
START_PAGE = {
    Role.RECEPTION: "visitors:desk",
    Role.LEGAL_ADVISER: "consultations:worklist",
    Role.CAREER_ADVISER: "consultations:worklist",
    Role.PSYCHOLOGIST: "consultations:worklist",
    Role.EVENT_COORDINATOR: "events:staff_home",
    Role.MANAGER: "reports:dashboard",
    Role.ADMINISTRATOR: "accounts:administration",
    Role.KIOSK: "visitors:kiosk",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", list(STAFF_PAGES))
def test_each_role_reaches_only_its_pages(client, make_staff, role, url_name):
    client.force_login(make_staff(role))
    response = client.get(reverse(url_name))
    if role in STAFF_PAGES[url_name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"This page is not for your account" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(STAFF_PAGES))
def test_visitor_reaches_no_staff_page_nor_admin(client, visitor_user, url_name):
    client.force_login(visitor_user)
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(STAFF_PAGES))
def test_anonymous_is_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_start_page(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get(reverse("start")).url == reverse(START_PAGE[role])


@pytest.mark.django_db
def test_visitor_lands_on_own_account_page(client, visitor_user):
    client.force_login(visitor_user)
    assert client.get(reverse("start")).url == reverse("accounts:my_account")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_only_what_the_role_may_use(client, make_staff, role):
    client.force_login(make_staff(role))
    page = client.get(reverse(START_PAGE[role])).content.decode()
    for url_name, roles in STAFF_PAGES.items():
        if url_name.startswith("admin:") or url_name == "visitors:kiosk":
            continue  # not menu entries
        link = f'href="{reverse(url_name)}"'
        assert (link in page) == (role in roles), url_name


@pytest.mark.django_db
def test_visitor_sees_no_staff_navigation(client, visitor_user):
    client.force_login(visitor_user)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert 'class="staff-nav"' not in page


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _title(page: str) -> str:
    return page.split("<title>", 1)[1].split("</title>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_start_pages_have_a_plain_title(client, make_staff, role):
    client.force_login(make_staff(role))
    title = _title(client.get(reverse(START_PAGE[role])).content.decode())
    assert "<" not in title and "\n" not in title.strip()


@pytest.mark.django_db
def test_advisers_start_page_links_their_queue(client, make_staff):
    client.force_login(make_staff(Role.LEGAL_ADVISER))
    page = client.get(reverse("consultations:worklist")).content.decode()
    body = page.split("</title>", 1)[1]
    assert f'href="{reverse("visitors:queue", args=["legal"])}"' in body


@pytest.mark.django_db
def test_linked_visitors_account_page(client):
    from tests.factories import UserFactory, visitor
    from visitors.models import Visitor

    account = UserFactory()
    person = visitor()
    Visitor.objects.filter(pk=person.pk).update(user=account)
    client.force_login(account)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert _title(page).startswith("My account")
    assert reverse("visitors:my_erasure_request") in page.split("</title>", 1)[1]

import html
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from consultations.models import Service
from tests.factories import UserFactory, staff_user, visitor
from visitors import kiosk, services
from visitors.models import Visit, Visitor


@pytest.fixture
def kiosk_client(client, db):
    client.force_login(staff_user(Role.KIOSK))
    return client


def _choose(client, *codes):
    ids = [Service.objects.get(code=c).pk for c in codes]
    return client.post(
        reverse("visitors:kiosk"),
        {"action": "checkin", "purposes": ids, "submission_key": str(uuid.uuid4())},
    )


@pytest.mark.django_db
def test_check_in_with_the_personal_qr_code(kiosk_client):
    person = visitor(given_name="Тарас", family_name="Шевченко")
    response = kiosk_client.post(
        reverse("visitors:kiosk"), {"action": "code", "code": kiosk.checkin_token(person)}
    )
    assert response.status_code == 302
    page = kiosk_client.get(reverse("visitors:kiosk")).content.decode()
    assert "What have you come for?" in page and "Шевченко" not in page
    done = kiosk_client.get(_choose(kiosk_client, "legal", "lessons")["Location"])
    text = done.content.decode()
    assert "Thank you! You are checked in." in text and "Legal help" in text
    assert "Шевченко" not in text
    visit = Visit.objects.get()
    assert visit.visitor == person and visit.logged_by.role_codes == ["kiosk"]
    assert list(visit.queue_entries.values_list("service__code", flat=True)) == ["legal"]


@pytest.mark.django_db
def test_check_in_by_name_and_year_in_any_spelling(kiosk_client):
    person = visitor(given_name="Олена", family_name="Коваленко", birth_year=1979)
    kiosk_client.post(
        reverse("visitors:kiosk"),
        {"action": "name", "given_name": "Olena", "family_name": "Kovalenko", "birth_year": 1979},
    )
    _choose(kiosk_client, "career")
    assert Visit.objects.get().visitor == person


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        {"given_name": "Olena", "family_name": "Kovalenko", "birth_year": 1980},  # wrong year
        {"given_name": "Olena", "family_name": "Kovalenco", "birth_year": 1979},  # a typo: no guess
        {"given_name": "Iryna", "family_name": "Kovalenko", "birth_year": 1979},  # another person
    ],
)
def test_the_kiosk_never_guesses(kiosk_client, typed):
    visitor(given_name="Олена", family_name="Коваленко", birth_year=1979)
    page = kiosk_client.post(reverse("visitors:kiosk"), {"action": "name", **typed})
    assert "We could not find you this way." in page.content.decode()
    assert "Коваленко" not in page.content.decode()
    assert kiosk_client.get(reverse("visitors:kiosk")).context["step"] == "identify"


@pytest.mark.django_db
def test_two_people_with_the_same_name_and_year_go_to_the_desk(kiosk_client):
    visitor(given_name="Olena", family_name="Kovalenko", birth_year=1979)
    visitor(given_name="Олена", family_name="Коваленко", birth_year=1979)
    page = kiosk_client.post(
        reverse("visitors:kiosk"),
        {"action": "name", "given_name": "Olena", "family_name": "Kovalenko", "birth_year": 1979},
    )
    assert "We could not find you this way." in page.content.decode()


@pytest.mark.django_db
def test_forged_or_foreign_codes_are_refused(kiosk_client):
    person = visitor()
    forged = kiosk.checkin_token(person).replace(f"v{person.pk}", f"v{person.pk + 1}")
    for code in [forged, "v1", "https://example.org", f"v{person.pk}"]:
        page = kiosk_client.post(reverse("visitors:kiosk"), {"action": "code", "code": code})
        assert "We could not read this code." in page.content.decode()


@pytest.mark.django_db
def test_without_consent_the_kiosk_sends_to_the_desk(kiosk_client):
    person = visitor()
    services.consent_withdraw(visitor=person, purpose="registration")
    kiosk_client.post(
        reverse("visitors:kiosk"), {"action": "code", "code": kiosk.checkin_token(person)}
    )
    assert _choose(kiosk_client, "legal")["Location"] == reverse("visitors:kiosk_desk")
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_the_kiosk_account_can_do_nothing_else(kiosk_client):
    person = visitor(given_name="Тарас", family_name="Шевченко")
    assert kiosk_client.get(reverse("visitors:desk"), {"q": "Shevchenko"}).status_code == 403
    assert kiosk_client.get(reverse("visitors:visitor_detail", args=[person.pk])).status_code == 404
    assert kiosk_client.post(reverse("visitors:walk_in")).status_code == 403
    assert kiosk_client.get(reverse("admin:index")).status_code == 403
    assert kiosk_client.get(reverse("start")).url == reverse("visitors:kiosk")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MANAGER, "visitor"])
def test_only_the_kiosk_account_opens_the_kiosk(client, role):
    client.force_login(UserFactory() if role == "visitor" else staff_user(role))
    assert client.get(reverse("visitors:kiosk")).status_code == 403


@pytest.mark.django_db
def test_visitor_sees_own_qr_code(client):
    account = UserFactory()
    person = visitor()
    Visitor.objects.filter(pk=person.pk).update(user=account)
    client.force_login(account)
    page = client.get(reverse("visitors:my_card")).content.decode()
    assert "<svg" in page
    assert kiosk.visitor_from_token(kiosk.checkin_token(person)) == person
    client.force_login(UserFactory())
    assert "<svg" not in client.get(reverse("visitors:my_card")).content.decode()


@pytest.mark.django_db
def test_a_visitor_choosing_a_language_at_the_kiosk_leaves_the_kiosk_account_as_it_was(
    kiosk_client,
):
    """The kiosk is one account for everyone at the entrance: the switcher there is links
    to the same page in each language, and nothing is kept on the account."""
    account = kiosk_client.get(reverse("visitors:kiosk")).wsgi_request.user
    before = account.language
    with translation.override("lt"):
        address = reverse("visitors:kiosk")
    with translation.override("uk"):
        in_ukrainian = reverse("visitors:kiosk")
    page = kiosk_client.get(address).content.decode()
    assert "<h1" in page and 'lang="lt"' in page
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert "<form" not in switcher and "{#" not in page  # nor a template comment shown
    ukrainian = html.unescape(re.search(r'href="([^"]+)" lang="uk"', switcher)[1])
    assert ukrainian == in_ukrainian
    page = kiosk_client.get(ukrainian)
    assert page.status_code == 200 and '<html lang="uk">' in page.content.decode()
    account.refresh_from_db()
    assert account.language == before

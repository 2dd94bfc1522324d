"""The desk and "What's on" are kept whole in the cache (micenter/page_cache): what a reader
gets must still be true, theirs alone, and safe to submit."""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from events.services import event_save
from tests.events.conftest import make_event
from tests.factories import staff_user, visitor
from visitors.erasure import visitor_erase
from visitors.models import Visit
from visitors.services import visit_log, visitor_update

pytestmark = pytest.mark.django_db


def _get(client, url):
    """The page, and whether it was rendered (the visits table read) or the kept copy."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    rendered = any("visitors_visit" in q["sql"] or "events_event" in q["sql"] for q in queries)
    return response.content.decode(), rendered


@pytest.fixture
def desk_client(client):
    desk = staff_user(Role.RECEPTION)
    client.force_login(desk)
    client.desk = desk
    return client


def test_the_desk_is_kept_and_still_shows_every_change_at_once(desk_client):
    url = reverse("visitors:desk")
    _page, rendered = _get(desk_client, url)
    assert rendered
    _page, rendered = _get(desk_client, url)
    assert not rendered, "the second look is the kept copy"

    person = visitor(given_name="Taras", family_name="Shevchenko")
    visit_log(visitor=person, purposes=[], logged_by=desk_client.desk)
    page, rendered = _get(desk_client, url)
    assert rendered and "Taras Shevchenko" in page

    visitor_update(visitor=person, changed_by=desk_client.desk, given_name="Tarasas")
    assert "Tarasas Shevchenko" in _get(desk_client, url)[0]
    assert "Tarasas Shevchenko" in _get(desk_client, f"{url}?q=Shevchenko")[0]

    visitor_erase(visitor=person, erased_by=desk_client.desk, reason="asked")
    assert "Tarasas" not in _get(desk_client, url)[0]
    assert "Tarasas" not in _get(desk_client, f"{url}?q=Shevchenko")[0]


def test_a_removed_role_stops_at_the_next_request(desk_client):
    url = reverse("visitors:desk")
    _get(desk_client, url)
    _get(desk_client, url)
    desk_client.desk.groups.remove(Group.objects.get(name=Role.RECEPTION))
    assert desk_client.get(url).status_code == 403


def test_each_reader_gets_their_own_copy(client, desk_client):
    """A signed-in visitor's "What's on" (with their account links) is not anyone else's."""
    events_url = reverse("events:list")
    account = staff_user(Role.EVENT_COORDINATOR)
    make_event(account, title_en="Wednesday club")
    signed_in = Client()
    signed_in.force_login(account)
    mine = signed_in.get(events_url).content.decode()
    assert "Sign out" in mine and "Wednesday club" in mine

    anonymous = Client().get(events_url).content.decode()
    assert "Sign out" not in anonymous and "Sign in" in anonymous
    assert "Wednesday club" in anonymous
    # The desk worker's copy of the desk is theirs: another worker renders their own.
    other = Client()
    other.force_login(staff_user(Role.RECEPTION))
    _get(desk_client, reverse("visitors:desk"))
    _page, rendered = _get(other, reverse("visitors:desk"))
    assert rendered


def test_pages_are_kept_per_language(client):
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    make_event(coordinator, title_en="Wednesday club", title_uk="Клуб у середу")
    english = client.get("/en/events/").content.decode()
    ukrainian = client.get("/uk/events/").content.decode()
    assert "Wednesday club" in english and "Клуб у середу" not in english
    assert "Клуб у середу" in ukrainian


def test_an_event_change_shows_at_once_on_whats_on(client):
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    event = make_event(coordinator, title_en="Wednesday club")
    url = reverse("events:list")
    assert "Wednesday club" in client.get(url).content.decode()
    event.title_en = "Thursday club"
    event_save(event=event, saved_by=coordinator)
    page = client.get(url).content.decode()
    assert "Thursday club" in page and "Wednesday club" not in page


def _field(page, name):
    return re.search(rf'name="{name}" value="([^"]+)"', page)[1]


def test_forms_on_a_kept_page_carry_fresh_tokens_and_keys():
    """Two workers' walk-ins from kept copies are two visits, with valid CSRF tokens."""
    browser = Client(enforce_csrf_checks=True)
    desk = staff_user(Role.RECEPTION)
    browser.force_login(desk)
    url = reverse("visitors:desk")
    first, rendered = _get(browser, url)
    assert rendered
    second, rendered = _get(browser, url)
    assert not rendered
    keys = {_field(page, "walkin-submission_key") for page in (first, second)}
    assert len(keys) == 2 and all(uuid.UUID(key) for key in keys)
    for page in (first, second):
        response = browser.post(
            reverse("visitors:walk_in"),
            {
                "csrfmiddlewaretoken": _field(page, "csrfmiddlewaretoken"),
                "walkin-submission_key": _field(page, "walkin-submission_key"),
            },
        )
        assert response.status_code == 302
    assert Visit.objects.filter(visitor=None).count() == 2


def test_a_message_is_shown_not_a_kept_copy(desk_client):
    url = reverse("visitors:desk")
    _get(desk_client, url)
    response = desk_client.post(
        reverse("visitors:walk_in"), {"walkin-submission_key": str(uuid.uuid4())}, follow=True
    )
    assert "Anonymous walk-in logged." in response.content.decode()


def test_a_stranger_varying_the_query_does_not_fill_the_cache(client):
    """Filters on the public list are rendered; only the plain list and its pages are kept."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    coordinator = staff_user(Role.EVENT_COORDINATOR)
    make_event(coordinator, title_en="Wednesday club")
    url = reverse("events:list")

    def kept():
        backend = caches["default"]
        if isinstance(backend, LocMemCache):
            return [key for key in backend._cache if ":page:" in key]
        return backend.client.get_client().keys("*:page:*")

    client.get(url)
    client.get(f"{url}?page=2")
    assert len(kept()) == 2
    for query in ("?x=1", "?x=2", "?language=uk", "?page=1&page=1", "?page=abcd", "?page=12345"):
        page = client.get(url + query)
        assert page.status_code == 200 and "Wednesday club" in page.content.decode()
    assert len(kept()) == 2


def test_a_change_made_by_another_process_shows_here_at_once(desk_client):
    """Each process also keeps its latest pages itself, under the same versions: a change
    another process makes (it gives the desk a new version in the shared cache) is shown by
    this one on the next request."""
    from django.core.cache import cache

    url = reverse("visitors:desk")
    person = visitor(given_name="Olena", family_name="Bondar")
    _get(desk_client, url)
    assert not _get(desk_client, url)[1]
    Visit.objects.bulk_create(  # no signals
        [Visit(visitor=person, occurred_at=person.created_at, logged_by=desk_client.desk)]
    )
    assert not _get(desk_client, url)[1], "nothing told this process yet"
    cache.set("scopever:desk", "bumped-by-another-process", None)
    page, rendered = _get(desk_client, url)
    assert rendered and "Olena Bondar" in page


def test_a_kept_page_is_the_page_without_its_indentation(desk_client):
    import re as regex

    from micenter.page_cache import _compact

    url = reverse("visitors:desk")
    rendered, was_rendered = _get(desk_client, url)
    kept, was_rendered_again = _get(desk_client, url)
    assert was_rendered and not was_rendered_again
    assert "\n  " in rendered and "\n  " not in kept
    assert len(kept) < len(rendered)

    def words(page):  # what a reader sees, less the per-response tokens and keys
        page = regex.sub(r'value="[^"]*"', "", page)
        return page.split()

    assert words(kept) == words(rendered)
    # Where white space is content, the page is kept as it was.
    verbatim = b"<form>\n    <textarea>\n  two spaces</textarea>\n</form>"
    assert _compact(verbatim) == verbatim


def test_a_public_page_sets_no_cookie_rendered_or_kept(client):
    """A visitor only browsing gets no cookie at all: the public pages carry no form that
    needs a CSRF token (the language switcher is links), kept copies included."""
    url = reverse("events:list")
    for expected_rendered in (True, False):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert any("events_event" in q["sql"] for q in queries) is expected_rendered
        assert not response.cookies, f"set {list(response.cookies)}"
        assert "csrfmiddlewaretoken" not in response.content.decode()

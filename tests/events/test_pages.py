"""Who may open which events page; what the public sees (and never: another person's data);
exports, calendar feeds; constant queries on lists."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from events.models import Category, Event, Registration
from events.services import check_in, registration_create
from tests.events.conftest import make_event
from tests.factories import UserFactory, staff_user, visitor

pytestmark = pytest.mark.django_db
EVERYONE = [*Role, "visitor", "anonymous"]


def _as(client, who):
    if who == "visitor":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(staff_user(who))


@pytest.mark.parametrize("who", EVERYONE)
def test_staff_pages_for_every_role(client, club, who):
    _as(client, who)
    session = club.occurrences.first()
    pages = {
        "events:staff_home": [],
        "events:create": [],
        "events:manage": [club.pk],
        "events:edit": [club.pk],
        "events:check_in": [session.pk],
    }
    for name, args in pages.items():
        status = client.get(reverse(name, args=args)).status_code
        allowed = who in (Role.EVENT_COORDINATOR, Role.ADMINISTRATOR) or (
            who == Role.RECEPTION
            and name in ("events:staff_home", "events:manage", "events:check_in")
        )
        if allowed:
            assert status == 200, name
        else:
            assert status == (302 if who == "anonymous" else 403), (name, status)


@pytest.mark.parametrize("who", EVERYONE)
def test_public_pages_show_no_registrants(client, club, who):
    registration_create(
        event=club,
        occurrence=club.occurrences.first(),
        name="Guest Hanna Secret",
        email="hanna@example.org",
        phone="+37060000099",
    )
    _as(client, who)
    for url in (reverse("events:list"), reverse("events:detail", args=[club.pk])):
        text = client.get(url).content.decode()
        assert "Lietuvių kalbos klubas" in text or "Lithuanian conversation club" in text
        for secret in ("Hanna", "hanna@example.org", "+37060000099"):
            assert secret not in text


def test_a_visitor_sees_and_cancels_only_their_own(client, club):
    mine, theirs = UserFactory(), UserFactory()
    own = registration_create(event=club, occurrence=club.occurrences.first(), user=mine)
    other = registration_create(event=club, occurrence=club.occurrences.first(), user=theirs)
    client.force_login(mine)
    assert [r.pk for r in client.get(reverse("events:mine")).context["registrations"]] == [own.pk]
    assert client.post(reverse("events:mine_cancel", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"
    client.post(reverse("events:mine_cancel", args=[own.pk]))
    own.refresh_from_db()
    assert own.status == "cancelled"


def test_drafts_and_internal_events_stay_off_the_public_pages(client, coordinator):
    internal = make_event(coordinator, is_public=False, title_lt="Vidinis mokymas")
    draft = make_event(coordinator, title_lt="Juodraštis")
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.DRAFT)
    for event in (internal, draft):
        assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    feed = client.get(reverse("events:feed")).content.decode()
    assert "Vidinis" not in feed and "Juodra" not in feed


def test_filters(client, coordinator):
    make_event(
        coordinator, title_en="Club", category=Category.CLUB, languages="lt", audience="seniors"
    )
    make_event(
        coordinator,
        title_en="Market",
        category=Category.EVENT,
        languages="uk,ru",
        audience="families",
        start_in=timedelta(days=20),
    )

    def titles(**query):
        page = client.get(reverse("events:list"), query).context["page"]
        return sorted(event.title for event in page.object_list)

    assert titles() == ["Club", "Market"]
    assert titles(category="event") == ["Market"]
    assert titles(language="uk") == ["Market"]
    assert titles(audience="families") == ["Market"]
    from django.utils import timezone

    soon = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert titles(date_to=soon) == ["Club"]


def test_lists_take_constant_queries(client, coordinator):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(coordinator)
    urls = [reverse("events:list"), reverse("events:staff_home")]
    make_event(coordinator, sessions=3)
    for url in urls:
        count(url)
    few = [count(url) for url in urls]
    for _ in range(6):
        event = make_event(coordinator, sessions=4)
        registration_create(event=event, occurrence=event.occurrences.first(), user=UserFactory())
    assert [count(url) for url in urls] == few


def test_attendance_export_csv_and_xlsx(client, coordinator, club):
    person = visitor(given_name='=HYPERLINK("x")', family_name="Bondar")
    registration = registration_create(
        event=club, occurrence=club.occurrences.first(), visitor=person, created_by=coordinator
    )
    check_in(
        registration=registration, occurrence=registration.occurrence, checked_in_by=coordinator
    )
    registration_create(
        event=club, occurrence=club.occurrences.first(), user=UserFactory(first_name="Petro")
    )
    client.force_login(coordinator)
    response = client.get(reverse("events:attendance_export", args=[club.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Session", "Name", "Places", "Present"]
    assert len(rows) == 3
    assert rows[1][1].startswith("'=HYPERLINK")  # neutralised, not a formula
    assert sorted(row[3] for row in rows[1:]) == ["no", "yes"]
    response = client.get(reverse("events:attendance_export", args=[club.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == ("Session", "Name", "Places", "Present")
    assert values[1][2] == 1  # a number, not text


def test_calendar_files(client, club):
    response = client.get(reverse("events:event_ics", args=[club.pk]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Lithuanian conversation club" in text
    host = urlsplit(settings.MICENTER_SITE_URL).hostname
    assert f"UID:occurrence-{club.occurrences.first().pk}@{host}" in text
    with_uk = client.get("/uk/events/feed.ics").content.decode()
    assert "SUMMARY:Клуб литовської розмови" in with_uk


def test_walk_in_registration_by_the_desk_is_linked_to_the_record(client, club):
    desk = staff_user(Role.RECEPTION)
    person = visitor(given_name="Mykola", family_name="Bondar")
    client.force_login(desk)
    session = club.occurrences.first()
    response = client.post(
        reverse("events:walk_in", args=[club.pk]),
        {
            "walkin-visitor": person.pk,
            "walkin-occurrence": session.pk,
            "walkin-household_size": "2",
            "walkin-join_waitlist": "on",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.visitor, registration.household_size) == (person, 2)
    page = client.get(reverse("visitors:visitor_detail", args=[person.pk])).content.decode()
    assert "Lithuanian conversation club" in page
    # A number that is nobody's: a message, the form kept.
    response = client.post(
        reverse("events:walk_in", args=[club.pk]),
        {"walkin-visitor": 99999, "walkin-occurrence": session.pk, "walkin-household_size": "1"},
    )
    assert "No current record has this number." in response.content.decode()


def test_the_coordinator_cancels_a_registration_but_not_after_the_session_began(
    client, coordinator
):
    event = make_event(coordinator, sessions=1)
    session = event.occurrences.get()
    registration = registration_create(event=event, occurrence=session, user=UserFactory())
    client.force_login(coordinator)
    url = reverse("events:staff_cancel", args=[registration.pk])
    page = client.post(url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("events:manage", args=[event.pk])
    assert "Registration cancelled." in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    later = registration_create(event=event, occurrence=session, user=UserFactory())
    type(session).objects.filter(pk=session.pk).update(
        starts_at=session.starts_at - timedelta(days=4), ends_at=session.ends_at - timedelta(days=4)
    )
    page = client.post(reverse("events:staff_cancel", args=[later.pk]), follow=True)
    assert "Registration cancelled." not in page.content.decode()
    assert page.content.decode().count('class="message message-error"') == 1
    later.refresh_from_db()
    assert later.status == Registration.Status.CONFIRMED


def test_a_message_too_long_says_so(client, coordinator):
    from django.contrib.messages import get_messages

    event = make_event(coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("events:message", args=[event.pk]),
        {"message-subject": "Change of room", "message-body": "x" * 20_000},
    )
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "10000" in shown.replace(",", "").replace("\u00a0", "") or "10 000" in shown, shown

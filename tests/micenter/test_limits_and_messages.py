"""Free text has a length limit that services enforce too; number messages state the range
the record really has; inputs outside any form (URL parts, query strings, lone POST fields)
with odd values answer 404 or a message, never 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from consultations.models import BreakGlassGrant, Consultation, Service
from consultations.services import break_glass_grant, consultation_log
from events.forms import RegistrationForm, WalkInRegistrationForm
from events.models import MAX_PLACES, MAX_PLACES_MESSAGE, Message
from events.services import message_send
from tests.factories import visitor
from visitors.forms import VisitorForm
from visitors.models import HOUSEHOLD_MAX, HOUSEHOLD_MESSAGE, HOUSEHOLD_MIN
from visitors.services import visitor_update


def test_other_spellings_are_at_most_300_characters(db):
    person = visitor()
    visitor_update(visitor=person, changed_by=None, other_names="x" * 300)
    with pytest.raises(ValidationError) as caught:
        visitor_update(visitor=person, changed_by=None, other_names="x" * 301)
    assert "other_names" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "limit"), [("outcome", 2_000), ("notes", 10_000)])
def test_consultation_texts_have_a_limit_the_service_enforces(make_staff, field, limit):
    lawyer = make_staff(Role.LEGAL_ADVISER)
    with pytest.raises(ValidationError) as caught:
        consultation_log(
            consultant=lawyer,
            service=Service.objects.get(code="legal"),
            duration_minutes=30,
            visitors=[visitor()],
            **{field: "x" * (limit + 1)},
        )
    assert field in caught.value.message_dict
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_break_glass_reason_and_a_message_have_a_limit(world):
    administrator = world[Role.ADMINISTRATOR]
    with pytest.raises(ValidationError) as caught:
        break_glass_grant(user=administrator, visitor=world.person, reason="x" * 1_001)
    assert "reason" in caught.value.message_dict
    assert not BreakGlassGrant.objects.exists()
    with pytest.raises(ValidationError):
        message_send(
            event=world.event,
            subject="Room",
            body="x" * 10_001,
            sent_by=world[Role.EVENT_COORDINATOR],
        )
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_name_as_long_as_the_field_allows_is_registered_and_found(make_staff):
    """Its search keys are longer than their column: those that agree that far are one row."""
    from visitors.selectors import visitors_search

    desk = make_staff(Role.RECEPTION)
    long_name = ("Abcdefghijklmnopqrstuvwxyz" * 4)[:100]
    person = visitor(given_name=long_name, other_names="Bcd" * 100, created_by=desk)
    assert visitors_search(user=desk, query=long_name[:20]) == [person]


def test_a_form_tells_the_browser_the_limit():
    assert 'maxlength="300"' in str(VisitorForm()["other_names"])


def test_the_household_message_states_the_real_range():
    assert (HOUSEHOLD_MIN, HOUSEHOLD_MAX) == (1, 30)
    assert f"between {HOUSEHOLD_MIN} and {HOUSEHOLD_MAX} people" in str(HOUSEHOLD_MESSAGE)
    assert str(MAX_PLACES) in str(MAX_PLACES_MESSAGE)


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["-1", "0", "31", "40000"])
def test_a_household_out_of_range_gets_the_households_own_message(size):
    form = VisitorForm(data={"given_name": "Olena", "citizenship": "UA", "household_size": size})
    assert form.errors["household_size"] == [str(HOUSEHOLD_MESSAGE)]
    widget = str(form["household_size"])
    assert f'min="{HOUSEHOLD_MIN}"' in widget and f'max="{HOUSEHOLD_MAX}"' in widget


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "field"), [("-5", "birth_year"), ("40000", "arrival_year")])
def test_a_year_out_of_range_names_the_years_allowed(year, field):
    form = VisitorForm(data={"given_name": "Olena", "citizenship": "UA", field: year})
    assert "between 19" in form.errors[field][0]


@pytest.mark.django_db
def test_places_messages_and_limits_agree_for_guests_and_the_desk(world):
    guest = RegistrationForm(event=world.event, sessions=[world.session], guest=True)
    assert 'max="6"' in str(guest["household_size"])
    desk = WalkInRegistrationForm(
        data={"visitor": "1", "household_size": str(MAX_PLACES + 1)},
        event=world.event,
        sessions=[world.session],
    )
    assert desk.errors["household_size"] == [str(MAX_PLACES_MESSAGE)]


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "status"), [("csv", 200), ("xlsx", 200), ("pdf", 404)])
def test_attendance_is_exported_in_its_formats_only(client, world, fmt, status):
    client.force_login(world[Role.EVENT_COORDINATOR])
    url = reverse("events:attendance_export", args=[world.event.pk, fmt])
    assert client.get(url).status_code == status


@pytest.mark.django_db
def test_attendance_in_an_unknown_format_of_any_name_is_not_found(client, world):
    client.force_login(world[Role.EVENT_COORDINATOR])
    url = reverse("events:attendance_export", args=[world.event.pk, "csv"])
    for name in ("exe", "CSV", "csv.bak", "a%00b"):
        assert client.get(url.replace(".csv", f".{name}")).status_code == 404


# (who, how, URL name, its arguments, data): values no form checks before they are used.
RAW_INPUTS = [
    (Role.RECEPTION, "post", "visitors:account_link", "person", {"email": "a\x00b@example.org"}),
    (Role.RECEPTION, "post", "visitors:account_link", "person", {"email": "x" * 100_000}),
    (Role.RECEPTION, "post", "visitors:consent", "person", {"purpose": "\x00"}),
    (Role.RECEPTION, "get", "visitors:visitor_create", None, {"q": "Ol\x00ena"}),
    (Role.RECEPTION, "get", "events:check_in", "session", {"q": "Ol\x00ena"}),
    (Role.RECEPTION, "post", "events:check_in", "session", {"registration": "\x00"}),
    (Role.LEGAL_ADVISER, "get", "consultations:create", None, {"visitor": "\x00"}),
    (Role.LEGAL_ADVISER, "get", "consultations:create", None, {"queue": "-5"}),
    (Role.LEGAL_ADVISER, "get", "consultations:list", None, {"page": "\x00"}),
    (Role.LEGAL_ADVISER, "post", "consultations:follow_up", "consultation", {"next": "/\x00"}),
    (Role.EVENT_COORDINATOR, "post", "events:duplicate", "event", {"weeks": "\x00"}),
    (None, "post", "set_language", None, {"language": "\x00", "next": "/\x00"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "method", "name", "arg", "data"), RAW_INPUTS)
def test_odd_values_outside_forms_are_no_server_error(client, world, who, method, name, arg, data):
    if who is not None:
        client.force_login(world[who])
    args = [getattr(world, arg).pk] if arg else []
    response = getattr(client, method)(reverse(name, args=args), data)
    assert response.status_code in (200, 302, 404)

"""Erasure reaches free text: a person's names (any script, case or ending) and contacts
written into records shared with others, or into other people's records, are blanked; the
whole database is then searched for them. Other people keep their names, and the counts stay."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation, Participant, PartnerOrganisation, Referral, Service
from consultations.services import break_glass_grant, consultation_log
from events.models import Event, Message, Registration
from events.services import message_send, registration_create
from tests.events.conftest import make_event
from tests.factories import UserFactory, staff_user, visitor
from tests.visitors.test_erasure import report_figures
from visitors.erasure import visitor_erase
from visitors.models import Visit
from visitors.redaction import ERASED, Mentions
from visitors.services import search_audit, visit_log

pytestmark = pytest.mark.django_db

# Every way the erased person is written below, as stems: none may be left anywhere.
TRACES = ["olen", "kovalen", "олен", "ковален", "600 12345", "60012345", "olena.k@"]


def database_dump() -> str:
    """Every value of every column of every table, as text (JSON decoded, so a name stored
    as \\u escapes is seen as written), lower-cased."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            names = ", ".join(connection.ops.quote_name(column.name) for column in columns)
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values.extend(_texts(value) for value in row)
    return "\n".join(values).casefold()


def _texts(value) -> str:
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text[:1] in "{[":
        try:
            return text + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _consult(consultant, code, *, people, **fields):
    return consultation_log(
        consultant=consultant,
        service=Service.objects.get(code=code),
        visitors=people,
        duration_minutes=60,
        started_at=timezone.now() - timedelta(hours=2),
        **fields,
    )


def _facts():
    """What the reports count, straight from the rows."""
    return (
        report_figures(),
        list(Participant.objects.order_by("id").values_list("citizenship", "gender", "age_band")),
        list(
            Registration.objects.order_by("id").values_list(
                "event_id", "occurrence_id", "status", "household_size"
            )
        ),
        Consultation.objects.count(),
    )


def test_a_person_named_in_a_group_note_is_nowhere_in_the_database_afterwards():
    desk = staff_user(Role.RECEPTION)
    psychologist = staff_user(Role.PSYCHOLOGIST)
    lawyer = staff_user(Role.LEGAL_ADVISER)
    coordinator = staff_user(Role.EVENT_COORDINATOR)
    account = UserFactory(email="olena.k@example.org", first_name="Olena", last_name="Kovalenko")
    olena = visitor(
        given_name="Olena",
        family_name="Kovalenko",
        other_names="Олена Коваленко",
        phone="+370 600 12345",
        email="olena.k@example.org",
        birth_year=1985,
        gender="female",
    )
    olena.user = account
    olena.save(update_fields=["user"])
    petro = visitor(given_name="Petro", family_name="Bondar", gender="male")
    petro_account = UserFactory()

    # Records she shares with others: a group session, its referral, an event's message.
    partner = PartnerOrganisation.objects.create(name="Caritas", services="x", contacts="y")
    group = _consult(
        psychologist,
        "psychological",
        people=[olena, petro],
        is_group=True,
        notes="Олена Коваленко and Petro Bondar spoke. Говорили з Оленою; OLENA'S son is ill.",
        outcome="КОВАЛЕНКО to call back on 8 600 12345 or write to Olena.K@example.org",
        referrals=[(partner, "for Коваленко, Олена")],
    )
    club = make_event(coordinator, capacity=10)
    session = club.occurrences.get()
    registration_create(event=club, occurrence=session, visitor=olena, created_by=coordinator)
    registration_create(event=club, occurrence=session, user=petro_account)
    message_send(
        event=club,
        subject="Olena brings cookies",
        body="Olena Kovalenko (+37060012345) brings cookies on Wednesday.",
        sent_by=coordinator,
    )
    # Someone else's records, and the centre's own texts.
    visit_log(visitor=petro, purposes=[], logged_by=desk, note="Came with Olena Kovalenko")
    _consult(
        lawyer,
        "legal",
        people=[petro],
        notes="His neighbour Олена Коваленко (tel. 860012345) helps with the papers.",
    )
    storytelling = make_event(
        coordinator,
        volunteer_leader="Olena Kovalenko",
        description_en="Stories read by Olena Kovalenko.",
        description_uk="Казки читає Олена Коваленко.",
    )
    guest = registration_create(
        event=storytelling,
        occurrence=storytelling.occurrences.get(),
        name="O. Kovalenko",
        phone="8 600 12345",
    )
    search_audit(request=None, query="Коваленко", found=[])
    break_glass_grant(
        user=staff_user(Role.ADMINISTRATOR),
        visitor=petro,
        reason="Court order about Petro Bondar and Olena Kovalenko.",
    )
    before = _facts()
    dump = database_dump()
    assert all(trace in dump for trace in TRACES)  # the test's own check finds them

    visitor_erase(visitor=olena, erased_by=desk, reason="Olena Kovalenko asked at the desk")

    dump = database_dump()
    assert [trace for trace in TRACES if trace in dump] == []
    assert _facts() == before
    # What is not hers stays: the others' names, the session's words, the guest's place.
    group.refresh_from_db()
    assert group.notes.startswith(f"{ERASED} and Petro Bondar spoke. Говорили з {ERASED};")
    assert Referral.objects.get().note == f"for {ERASED}"
    assert Visit.objects.get(visitor=petro).note == f"Came with {ERASED}"
    assert Message.objects.get().body == f"{ERASED} ({ERASED}) brings cookies on Wednesday."
    guest.refresh_from_db()
    assert (guest.name, guest.phone, guest.status) == ("", "", "confirmed")
    storytelling = Event.objects.get(pk=storytelling.pk)
    assert storytelling.volunteer_leader == ERASED


def test_other_people_keep_their_names_and_a_first_name_alone_stays_elsewhere():
    desk = staff_user(Role.RECEPTION)
    psychologist = staff_user(Role.PSYCHOLOGIST)
    olena = visitor(given_name="Olena", family_name="Kovalenko")
    namesake = visitor(given_name="Olena", family_name="Shevchenko")
    taras = visitor(given_name="Taras", family_name="Melnyk")
    group = _consult(
        psychologist,
        "psychological",
        people=[olena, taras],
        is_group=True,
        notes="Olena and Taras Melnyk spoke about Romania and Roman's school.",
    )
    elsewhere = visit_log(
        visitor=namesake,
        purposes=[],
        logged_by=desk,
        note="Olena Shevchenko asked about school; Olena from the club called; Kovalenko too.",
    )
    mentioned = visit_log(
        visitor=taras, purposes=[], logged_by=desk, note="Kovalenko Olena, his neighbour"
    )

    visitor_erase(visitor=olena, erased_by=desk, reason="asked")

    group.refresh_from_db()
    elsewhere.refresh_from_db()
    mentioned.refresh_from_db()
    assert group.notes == f"{ERASED} and Taras Melnyk spoke about Romania and Roman's school."
    # Not shared with her: only her full name goes; a first or family name alone may be
    # anyone's.
    assert elsewhere.note == (
        "Olena Shevchenko asked about school; Olena from the club called; Kovalenko too."
    )
    assert mentioned.note == f"{ERASED}, his neighbour"


MENTIONS = Mentions(
    names=["Olena", "Kovalenko", "Андрій"], phones=["+370 600 12345"], emails=["o.k@example.org"]
)


@pytest.mark.parametrize(
    ("text", "shared", "elsewhere"),
    [
        ("Olena Kovalenko", "[erased]", "[erased]"),
        ("КОВАЛЕНКО Олена", "[erased]", "[erased]"),
        ("Kowalenko, Olena", "[erased]", "[erased]"),
        ("з Оленою Коваленко", "з [erased]", "з [erased]"),
        ("Olenos Kovalenkos byla", "[erased] byla", "[erased] byla"),
        ("Olena's son", "[erased] son", "Olena's son"),
        ("для Андрія", "для [erased]", "для Андрія"),
        ("tel. 8-600-12345, +37060012345", "tel. [erased], [erased]", "tel. [erased], [erased]"),
        ("mail O.K@Example.org", "mail [erased]", "mail [erased]"),
        ("Oleh, Olenka and Andrew; 600 12346", None, None),
    ],
)
def test_mentions_in_any_script_case_and_ending(text, shared, elsewhere):
    assert MENTIONS.redact(text) == (text if shared is None else shared)
    assert MENTIONS.redact_full_names(text) == (text if elsewhere is None else elsewhere)

"""Every date and time has a sane range, checked where the input enters (the forms) and again
by the models' validators, so a service, the admin or a command refuses it too; the message
names the range in the reader's language."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from accounts.roles import Role
from consultations.models import Consultation, Service
from consultations.services import consultation_log, follow_up_reschedule
from core.date_ranges import DateRangeValidator, records_start
from events.models import Category, Event, Occurrence
from events.services import event_save
from reports.services import period_check
from tests.factories import visitor
from visitors.models import Visit, Visitor
from visitors.services import visit_log, visitor_update, walk_in_log

VILNIUS = ZoneInfo("Europe/Vilnius")
YEAR_1 = datetime(1, 1, 1, tzinfo=VILNIUS)
YEAR_9999 = datetime(9999, 12, 31, 23, 59, tzinfo=VILNIUS)


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_the_first_day_is_a_month_before_the_centre_opened(settings):
    settings.MICENTER_OPENED_ON = "2023-10-23"
    assert records_start() == date(2023, 9, 23)


def test_the_message_names_the_range_in_the_readers_language():
    check = DateRangeValidator()
    with pytest.raises(ValidationError) as caught:
        check(date(1, 1, 1))
    assert caught.value.messages == ["Enter a date from 23 September 2023 to today."]
    with translation.override("lt"):
        assert caught.value.messages == ["Įveskite datą nuo 2023 m. rugsėjo 23 d. iki šiandien."]
    with translation.override("uk"):
        assert caught.value.messages == ["Введіть дату від 23 вересня 2023 р. до сьогодні."]


def test_a_time_ahead_by_minutes_is_now_and_by_years_a_date():
    with pytest.raises(ValidationError) as caught:
        DateRangeValidator(ahead=timedelta(minutes=5))(YEAR_9999)
    assert caught.value.messages == ["Enter a time from 23 September 2023 to now."]
    latest = timezone.localdate() + timedelta(days=5 * 365)
    with pytest.raises(ValidationError) as caught:
        DateRangeValidator(ahead=timedelta(days=5 * 365))(YEAR_1)
    assert caught.value.messages[0].endswith(f"{latest:%Y}.")


def test_the_bounds_themselves_are_accepted():
    DateRangeValidator()(records_start())
    DateRangeValidator()(timezone.localdate())
    start = datetime(2023, 9, 23, tzinfo=VILNIUS)
    DateRangeValidator()(start)
    with pytest.raises(ValidationError):
        DateRangeValidator()(start - timedelta(minutes=1))


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [YEAR_1, YEAR_9999, datetime(2023, 9, 1, tzinfo=UTC)])
def test_the_desk_services_refuse_a_visit_out_of_range(make_staff, moment):
    desk = make_staff(Role.RECEPTION)
    person = visitor()
    with pytest.raises(ValidationError) as caught:
        visit_log(visitor=person, purposes=[], logged_by=desk, occurred_at=moment)
    assert "occurred_at" in caught.value.message_dict
    with pytest.raises(ValidationError):
        walk_in_log(logged_by=desk, occurred_at=moment)
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_visit_a_month_before_opening_is_back_dated_not_refused(make_staff):
    visit = visit_log(
        visitor=visitor(),
        purposes=[],
        logged_by=make_staff(Role.RECEPTION),
        occurred_at=datetime(2023, 9, 25, 10, tzinfo=VILNIUS),
    )
    assert visit.pk


@pytest.mark.django_db
def test_birth_dates_from_1900_to_today_and_arrival_after_birth(make_staff):
    person = visitor(birth_year=1980)
    for day in (date(1899, 12, 31), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            visitor_update(visitor=person, changed_by=None, birth_date=day)
        assert "from 1 January 1900 to today" in _messages(caught.value, "birth_date")
    person = Visitor.objects.get(pk=person.pk)
    with pytest.raises(ValidationError) as caught:
        visitor_update(visitor=person, changed_by=None, arrival_year=1975)
    assert "arrival_year" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"started_at": YEAR_1}, "started_at"),
        ({"started_at": datetime(2023, 9, 22, 23, 59, tzinfo=VILNIUS)}, "started_at"),
        ({"follow_up_on": date(9999, 12, 31)}, "follow_up_on"),
    ],
)
def test_the_consultation_service_refuses_dates_out_of_range(make_staff, fields, field):
    lawyer = make_staff(Role.LEGAL_ADVISER)
    with pytest.raises(ValidationError) as caught:
        consultation_log(
            consultant=lawyer,
            service=Service.objects.get(code="legal"),
            duration_minutes=30,
            visitors=[visitor()],
            **fields,
        )
    assert field in caught.value.message_dict
    assert not Consultation.objects.exists()


@pytest.mark.django_db
def test_a_follow_up_is_at_most_two_years_ahead(make_staff):
    lawyer = make_staff(Role.LEGAL_ADVISER)
    consultation = consultation_log(
        consultant=lawyer,
        service=Service.objects.get(code="legal"),
        duration_minutes=30,
        visitors=[visitor()],
    )
    follow_up_reschedule(
        consultation=consultation, on=timezone.localdate() + timedelta(days=700), changed_by=lawyer
    )
    with pytest.raises(ValidationError) as caught:
        follow_up_reschedule(consultation=consultation, on=date(2100, 1, 1), changed_by=lawyer)
    assert "follow_up_on" in caught.value.message_dict


@pytest.mark.django_db
def test_event_sessions_and_registration_times_are_at_most_five_years_ahead(make_staff):
    coordinator = make_staff(Role.EVENT_COORDINATOR)
    far = timezone.now() + timedelta(days=6 * 365)
    with pytest.raises(ValidationError) as caught:
        event_save(
            event=Event(title_lt="Mugė", category=Category.EVENT),
            occurrences=[(far, far + timedelta(hours=2))],
            saved_by=coordinator,
        )
    assert "starts_at" in caught.value.message_dict
    assert not Occurrence.objects.exists()
    with pytest.raises(ValidationError) as caught:
        event_save(
            event=Event(title_lt="Mugė", category=Category.EVENT, registration_opens_at=YEAR_1),
            saved_by=coordinator,
        )
    assert "registration_opens_at" in caught.value.message_dict


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(1, 1, 1), date(2024, 1, 1), "date_from"),
        (date(2024, 1, 1), date(9999, 12, 31), "date_to"),
        (date(2022, 12, 31), date(2023, 12, 31), "date_from"),
    ],
)
def test_a_report_period_is_within_the_centres_years(start, end, field):
    with pytest.raises(ValidationError) as caught:
        period_check(start, end)
    assert field in caught.value.message_dict


def test_the_annual_report_for_the_opening_year_is_still_possible(db, tmp_path):
    assert period_check(date(2023, 1, 1), date(2023, 12, 31))
    with pytest.raises(CommandError, match="Enter a date from"):
        call_command(
            "annual_report",
            "--from",
            "0001-01-01",
            "--to",
            "2024-01-01",
            "--output",
            str(tmp_path / "report.csv"),
        )

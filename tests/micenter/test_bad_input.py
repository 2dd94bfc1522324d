"""Bad input never gives a 500 and never breaks a record.

Every form of the project is sent, one field at a time, what a slip of the finger or an
attacker would: 100,000 characters, a NUL byte, a date in year 1 or 9999, a negative number.
Each answer is a form error (or a redirect that saved nothing), never a server error, and the
database stays as it was. Then the same form filled in properly is accepted, so the bad
values were refused for being bad, not for something else.

FORMS maps each form class to the page that takes it. A form the project defines that is not
in the table fails `test_every_form_of_the_project_is_walked`: a new form needs its row.
"""

import importlib
import pkgutil
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.forms import AccountChangeForm, StaffAccountCreateForm
from accounts.roles import Role
from consultations.forms import (
    BreakGlassForm,
    ConsultationFields,
    ConsultationForm,
    FollowUpForm,
    GroupSessionForm,
    ListFilterForm,
    ReferralForm,
    ReferralStatusForm,
)
from consultations.models import PartnerOrganisation, Service, Topic
from events.forms import (
    EventFilterForm,
    EventForm,
    MessageForm,
    NewEventForm,
    RegistrationForm,
    SessionMoveForm,
    WalkInRegistrationForm,
)
from reports.forms import DownloadForm, PeriodForm
from tests.factories import ROLE_PASSWORD
from visitors import kiosk
from visitors.forms import (
    KioskCodeForm,
    KioskNameForm,
    KioskPurposeForm,
    MergeForm,
    SearchForm,
    VisitForm,
    VisitorCreateForm,
    VisitorForm,
    WalkInForm,
)
from visitors.models import LegalStatus, PrivacySettings

OUR_APPS = ["micenter", "accounts", "audit", "notifications", "visitors", "consultations"]
OUR_APPS += ["events", "reports"]
# What a submission may change without saving anything: reading a page is audited, and a
# session is kept.
NOT_RECORDS = {"audit", "sessions"}

OVERSIZE = "x" * 100_000
NUL = "a\x00b"
# Text as long as a field allows, of varied letters (a name, a note at its limit).
LONGEST = "Abcdefghijklmnopqrstuvwxyz" * 4_000


def bad_values(form_field) -> list[Any]:
    """What is sent to a field of this kind, one value per submission."""
    if isinstance(form_field, forms.BooleanField | forms.FileField):
        return []  # a checkbox is on or off; files are not text
    if isinstance(form_field, forms.DateTimeField):
        return ["0001-01-01T00:00", "9999-12-31T23:59", NUL]
    if isinstance(form_field, forms.DateField):
        return ["0001-01-01", "9999-12-31", NUL]
    if isinstance(form_field, forms.IntegerField):
        return ["-5", NUL]
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [["\x00"]]
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return ["\x00"]
    if isinstance(form_field, forms.CharField):
        return [OVERSIZE, NUL]
    raise AssertionError(f"No bad values for {type(form_field).__name__}: add them here.")


def _key() -> str:
    return str(uuid.uuid4())


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _legal() -> int:
    return Service.objects.get(code="legal").pk


def _topic() -> int:
    return Topic.objects.filter(service__code="legal").first().pk


def _consultation_data(w) -> dict:
    return {
        "service": _legal(),
        "started_at": _local(timezone.now()),
        "duration_minutes": "30",
        "mode": "in_person",
        "language": "uk",
        "topics": [_topic()],
        "outcome": "Explained the lease.",
        "notes": "Landlord keeps the deposit.",
        "referral_partner": w.partner.pk,
        "referral_note": "Call first",
        "submission_key": _key(),
    }


def _period_data(w) -> dict:
    return {"period": "custom", "date_from": "2024-01-01", "date_to": "2024-12-31"}


def _identify_at_the_kiosk(client, w) -> None:
    token = kiosk.checkin_token(w.person)
    client.post(reverse("visitors:kiosk"), {"action": "code", "code": token})


def _admin_form(model):
    """The form the admin shows for a new `model` (made by the admin, not a class of ours)."""

    def make(w):
        request = RequestFactory().get("/")
        request.user = w[Role.ADMINISTRATOR]
        return admin.site._registry[model].get_form(request)()

    return make


@dataclass(frozen=True)
class Page:
    """Where a form is sent, by whom, and a proper submission of it."""

    who: Any  # a Role, or None (not signed in)
    url: Any  # World -> str
    data: Any  # World -> the POST (or GET) data of a proper submission, prefixed
    form: Any = None  # World -> an unbound form to read the fields of (default: cls())
    method: str = "post"
    prefix: str = ""
    saves: bool | None = True  # the proper submission changes the database (None: unsaid)
    before: Any = None  # (client, World) -> None, before every submission
    extra: dict = field(default_factory=dict)


FORMS = {
    # --- The front desk and the kiosk ------------------------------------------------------
    SearchForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:desk"),
        lambda w: {"q": "Olena"},
        method="get",
        saves=False,
    ),
    VisitorCreateForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:visitor_create"),
        lambda w: {
            "given_name": "Iryna",
            "family_name": "Bondar",
            "other_names": "Ірина Бондар",
            "birth_year": "1990",
            "birth_date": "1990-04-02",
            "citizenship": "UA",
            "household_size": "2",
            "arrival_year": "2022",
            "consent_registration": "on",
            "confirm_new": "on",
        },
    ),
    VisitorForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:visitor_edit", args=[w.person.pk]),
        lambda w: {
            "given_name": "Taras",
            "family_name": "Shevchenko",
            "other_names": "Тарас Шевченко",
            "birth_year": "1980",
            "gender": "male",
            "citizenship": "UA",
            "preferred_language": "uk",
            "legal_status": LegalStatus.objects.first().pk,
            "arrival_year": "2022",
            "phone": "+37060000001",
            "email": "taras@example.org",
            "household_size": "3",
        },
        form=lambda w: VisitorForm(instance=w.person),
    ),
    VisitForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:visit_log", args=[w.person.pk]),
        lambda w: {
            "purposes": [_legal()],
            "language": "uk",
            "note": "Brought a letter",
            "occurred_at": _local(timezone.now()),
            "submission_key": _key(),
        },
    ),
    WalkInForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:walk_in"),
        lambda w: {"walkin-citizenship": "UA", "walkin-submission_key": _key()},
        form=lambda w: WalkInForm(),
        prefix="walkin",
    ),
    MergeForm: Page(
        Role.RECEPTION,
        lambda w: reverse("visitors:visitor_merge", args=[w.person.pk]),
        lambda w: {"duplicate": w.other.pk, "confirm": "on"},
    ),
    KioskCodeForm: Page(
        Role.KIOSK,
        lambda w: reverse("visitors:kiosk"),
        lambda w: {"code": kiosk.checkin_token(w.person)},
        saves=False,
        extra={"action": "code"},
    ),
    KioskNameForm: Page(
        Role.KIOSK,
        lambda w: reverse("visitors:kiosk"),
        lambda w: {"given_name": "Тарас", "family_name": "Шевченко", "birth_year": "1980"},
        saves=False,
        extra={"action": "name"},
    ),
    KioskPurposeForm: Page(
        Role.KIOSK,
        lambda w: reverse("visitors:kiosk"),
        lambda w: {"purposes": [_legal()], "submission_key": _key()},
        before=_identify_at_the_kiosk,
        extra={"action": "checkin"},
    ),
    # --- Consultations ---------------------------------------------------------------------
    ConsultationForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:create") + f"?visitor={w.person.pk}",
        _consultation_data,
        form=lambda w: ConsultationForm(consultant=w[Role.LEGAL_ADVISER]),
    ),
    GroupSessionForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:group_create"),
        lambda w: {**_consultation_data(w), "participants": str(w.person.pk), "anonymous": "2"},
        form=lambda w: GroupSessionForm(consultant=w[Role.LEGAL_ADVISER]),
    ),
    FollowUpForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:follow_up", args=[w.consultation.pk]),
        lambda w: {"follow_up_on": _in_days(14)},
    ),
    ReferralForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:referral_create", args=[w.consultation.pk]),
        lambda w: {"partner": w.partner.pk, "note": "Ask for Rasa"},
    ),
    ReferralStatusForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:referral_status", args=[w.referral.pk]),
        lambda w: {"status": "confirmed"},
    ),
    ListFilterForm: Page(
        Role.LEGAL_ADVISER,
        lambda w: reverse("consultations:list"),
        lambda w: {
            "q": "Taras",
            "service": _legal(),
            "date_from": "2024-01-01",
            "date_to": _in_days(0),
        },
        form=lambda w: ListFilterForm(user=w[Role.LEGAL_ADVISER]),
        method="get",
        saves=False,
    ),
    BreakGlassForm: Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("consultations:break_glass"),
        lambda w: {"visitor": w.person.pk, "reason": "A court asked for the records."},
    ),
    # --- Events ----------------------------------------------------------------------------
    EventFilterForm: Page(
        None,
        lambda w: reverse("events:list"),
        lambda w: {"date_from": _in_days(0), "category": "club", "language": "lt"},
        method="get",
        saves=False,
    ),
    RegistrationForm: Page(
        None,
        lambda w: reverse("events:register", args=[w.event.pk]),
        lambda w: {
            "register-occurrence": w.session.pk,
            "register-household_size": "2",
            "register-name": "Iryna Bondar",
            "register-email": "iryna@example.org",
            "register-phone": "+37060000002",
            "register-consent": "on",
        },
        form=lambda w: RegistrationForm(
            event=w.event, sessions=[w.session], guest=True, prefix="register"
        ),
        prefix="register",
    ),
    NewEventForm: Page(
        Role.EVENT_COORDINATOR,
        lambda w: reverse("events:create"),
        lambda w: {
            "title_lt": "Kalėdų mugė",
            "category": "event",
            "audience": "everyone",
            "registration_mode": "occurrence",
            "is_public": "on",
            "first_start": _local(timezone.now() + timedelta(days=10)),
            "duration_minutes": "90",
            "sessions": "1",
        },
    ),
    EventForm: Page(
        Role.EVENT_COORDINATOR,
        lambda w: reverse("events:edit", args=[w.event.pk]),
        lambda w: {
            "title_lt": "Pokalbių klubas",
            "category": "club",
            "audience": "everyone",
            "languages": ["lt", "uk"],
            "registration_mode": "occurrence",
            "is_public": "on",
            "capacity": "12",
        },
        form=lambda w: EventForm(instance=w.event),
    ),
    MessageForm: Page(
        Role.EVENT_COORDINATOR,
        lambda w: reverse("events:message", args=[w.event.pk]),
        lambda w: {"message-subject": "Room change", "message-body": "We meet in room 2."},
        form=lambda w: MessageForm(prefix="message"),
        prefix="message",
    ),
    WalkInRegistrationForm: Page(
        Role.RECEPTION,
        lambda w: reverse("events:walk_in", args=[w.event.pk]),
        lambda w: {
            "walkin-visitor": w.other.pk,
            "walkin-occurrence": w.session.pk,
            "walkin-household_size": "2",
            "walkin-join_waitlist": "on",
        },
        form=lambda w: WalkInRegistrationForm(event=w.event, sessions=[w.session], prefix="walkin"),
        prefix="walkin",
    ),
    SessionMoveForm: Page(
        Role.EVENT_COORDINATOR,
        lambda w: reverse("events:session_change", args=[w.session.pk]),
        # Half an hour later: occurrence_change keeps the end time, so a start after it fails.
        lambda w: {"move-starts_at": _local(w.session.starts_at + timedelta(minutes=30))},
        form=lambda w: SessionMoveForm(prefix="move"),
        prefix="move",
    ),
    # --- Reports ---------------------------------------------------------------------------
    PeriodForm: Page(
        Role.MANAGER,
        lambda w: reverse("reports:dashboard"),
        _period_data,
        method="get",
        saves=False,
    ),
    DownloadForm: Page(
        Role.MANAGER,
        lambda w: reverse("reports:export_request"),
        lambda w: {**_period_data(w), "fmt": "csv", "language": "en"},
    ),
    # --- Accounts (the administrator's, in the admin) --------------------------------------
    StaffAccountCreateForm: Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("admin:accounts_user_add"),
        lambda w: {
            "email": "rasa@example.org",
            "first_name": "Rasa",
            "last_name": "Kazlauskienė",
            "language": "lt",
            "role": "reception",
        },
    ),
    AccountChangeForm: Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("admin:accounts_user_change", args=[w[Role.RECEPTION].pk]),
        lambda w: {
            "email": w[Role.RECEPTION].email,
            "first_name": "Rasa",
            "last_name": "Kazlauskienė",
            "language": "lt",
            "is_active": "on",
            "role": "reception",
        },
        form=lambda w: AccountChangeForm(instance=w[Role.RECEPTION]),
    ),
}

# Base classes, never sent themselves.
BASES = {ConsultationFields: "the fields every consultation form has (ConsultationForm...)"}

# Forms the project shows but does not define: allauth's and the admin's own.
OTHER_FORMS = {
    "allauth login": Page(
        None,
        lambda w: reverse("account_login"),
        lambda w: {"login": w.account.email, "password": ROLE_PASSWORD},
        form=lambda w: LoginForm(),
        saves=None,
    ),
    "allauth signup": Page(
        None,
        lambda w: reverse("account_signup"),
        lambda w: {
            "email": "new.visitor@example.org",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
        form=lambda w: SignupForm(),
    ),
    "allauth password reset": Page(
        None,
        lambda w: reverse("account_reset_password"),
        lambda w: {"email": w.account.email},
        form=lambda w: ResetPasswordForm(),
        saves=None,
    ),
    "admin partner organisation": Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("admin:consultations_partnerorganisation_add"),
        lambda w: {"name": "Red Cross", "services_lt": "Pagalba", "contacts": "Vilnius"},
        form=_admin_form(PartnerOrganisation),
    ),
    "admin legal status": Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("admin:visitors_legalstatus_add"),
        lambda w: {"code": "asylum", "name_lt": "Prieglobstis", "position": "3"},
        form=_admin_form(LegalStatus),
    ),
    "admin privacy settings": Page(
        Role.ADMINISTRATOR,
        lambda w: reverse("admin:visitors_privacysettings_add"),
        lambda w: {"retention_months": "24", "audit_log_months": "12"},
        form=_admin_form(PrivacySettings),
    ),
}


def _project_forms() -> set[type]:
    """Every form class defined in the project's own modules."""
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in OUR_APPS:
                found.add(subclass)
    return found


def test_every_form_of_the_project_is_walked():
    missing = _project_forms() - set(FORMS) - set(BASES)
    assert not missing, f"Add a row to FORMS for: {sorted(c.__qualname__ for c in missing)}"


# --- The walk ------------------------------------------------------------------------------


def _snapshot() -> dict:
    """Every row of every table a form could write to."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in NOT_RECORDS:
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def _forms_on(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm):
                found.append(value)
            elif isinstance(getattr(value, "form", None), forms.BaseForm):
                found.append(value.form)  # the admin's AdminForm
    return found


def _errors_shown(response, form_type) -> bool:
    return any(isinstance(f, form_type) and f.is_bound and f.errors for f in _forms_on(response))


def _send(client, page: Page, world, data: dict):
    if page.before:
        page.before(client, world)
    send = client.get if page.method == "get" else client.post
    return send(page.url(world), {**page.extra, **data})


def _walk(client, world, page: Page, form_type) -> int:
    """Send every bad value to every field; returns how many submissions were refused."""
    if page.who is not None:
        client.force_login(world[page.who])
    form = page.form(world) if page.form else form_type(prefix=page.prefix or None)
    sent = 0
    for name, form_field in form.fields.items():
        for value in bad_values(form_field):
            before = _snapshot()
            data = {**page.data(world), form.add_prefix(name): value}
            response = _send(client, page, world, data)
            shown = repr(value)[:40]
            assert response.status_code in (200, 302), (name, shown, response.status_code)
            if response.status_code == 200:
                assert _errors_shown(response, form_type), f"{name}={shown}: no form error"
            assert _snapshot() == before, f"{name}={shown} changed the database"
            sent += 1
    return sent


def _proper_submission_is_accepted(client, world, page: Page, form_type) -> None:
    before = _snapshot()
    response = _send(client, page, world, page.data(world))
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        errors = [f.errors for f in _forms_on(response) if isinstance(f, form_type)]
        assert not any(errors), errors
    if page.saves is not None:
        assert (_snapshot() != before) == page.saves


def _longest_values_are_no_server_error(client, world, page: Page, form_type) -> None:
    """Each text field at its very limit: accepted or refused, as it may be, never a 500."""
    form = page.form(world) if page.form else form_type(prefix=page.prefix or None)
    for name, form_field in form.fields.items():
        limit = getattr(form_field, "max_length", None)
        if isinstance(form_field, forms.CharField) and limit:
            data = {**page.data(world), form.add_prefix(name): LONGEST[:limit]}
            assert _send(client, page, world, data).status_code in (200, 302), name


@pytest.fixture
def walk_settings(settings, tmp_path):
    settings.MICENTER_GUEST_REGISTRATIONS_PER_HOUR = 0  # every guest submission is checked
    settings.MICENTER_PRIVATE_ROOT = tmp_path  # report files


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", list(FORMS), ids=lambda cls: cls.__name__)
def test_a_project_form_refuses_bad_input(client, world, walk_settings, form_class):
    page = FORMS[form_class]
    assert _walk(client, world, page, form_class) > 0
    _proper_submission_is_accepted(client, world, page, form_class)
    _longest_values_are_no_server_error(client, world, page, form_class)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(OTHER_FORMS))
def test_an_allauth_or_admin_form_refuses_bad_input(client, world, walk_settings, name):
    page = OTHER_FORMS[name]
    form_type = forms.BaseForm
    assert _walk(client, world, page, form_type) > 0
    _proper_submission_is_accepted(client, world, page, form_type)
    _longest_values_are_no_server_error(client, world, page, form_type)

import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from consultations.models import Service
from core.date_ranges import EARLIEST_BIRTH, DateRangeValidator
from core.widgets import QuickSelect
from visitors.models import (
    FIRST_ARRIVAL_YEAR,
    HOUSEHOLD_MAX,
    HOUSEHOLD_MIN,
    HOUSEHOLD_VALIDATORS,
    SERVICE_LANGUAGES,
    VISIT_AHEAD,
    AgeBand,
    Gender,
    LegalStatus,
    Visitor,
    validate_arrival_year,
    validate_birth_year,
)
from visitors.services import VISITOR_FIELDS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        required=False,
        max_length=100,
        help_text=_("Name in any spelling, Latin or Cyrillic; or phone; or email."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "type": "search"}),
    )


class VisitorForm(forms.ModelForm):
    """A person's details. Only a name and citizenship are required."""

    class Meta:
        model = Visitor
        fields = VISITOR_FIELDS
        widgets = {
            "other_names": forms.Textarea(attrs={"rows": 2}),
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "citizenship": QuickSelect(memo="countries"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].required = True
        self.fields["citizenship"].choices = country_choices()
        self.fields["legal_status"].queryset = LegalStatus.objects.filter(is_active=True)
        this_year = timezone.localdate().year
        _limit(self.fields["birth_year"], [validate_birth_year], EARLIEST_BIRTH.year, this_year)
        _limit(self.fields["arrival_year"], [validate_arrival_year], FIRST_ARRIVAL_YEAR, this_year)
        _limit(self.fields["household_size"], HOUSEHOLD_VALIDATORS, HOUSEHOLD_MIN, HOUSEHOLD_MAX)
        self.fields["given_name"].widget.attrs["autofocus"] = True


def _limit(field, validators, low: int, high: int) -> None:
    """A number field checked by the model's own rules, whose messages say the real range.
    (The form field made from a small positive integer says 0 to 32767.)"""
    field.validators = list(validators)
    field.widget.attrs.update({"inputmode": "numeric", "min": low, "max": high})


class VisitorCreateForm(VisitorForm):
    consent_registration = forms.BooleanField(
        label=_("The person signed the consent to keep a record of them and their visits"),
        error_messages={
            "required": _(
                "A person is registered only with their consent. If they do not want to sign, "
                "log an anonymous walk-in instead."
            )
        },
    )
    consent_contact = forms.BooleanField(
        label=_("The person also agreed to be contacted by phone or email"), required=False
    )
    confirm_new = forms.BooleanField(
        label=_("This is a different person: register them anyway"), required=False
    )


def _services_field(queryset, label):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple
    )


class VisitForm(forms.Form):
    purposes = _services_field(Service.objects.filter(is_active=True), _("Came for"))
    language = forms.ChoiceField(
        label=_("Language of service"), choices=[("", "—"), *SERVICE_LANGUAGES], required=False
    )
    note = forms.CharField(label=_("Short note"), max_length=300, required=False)
    occurred_at = forms.DateTimeField(
        label=_("Time of the visit"),
        help_text=_("Leave as it is for now; change it only to log an earlier visit."),
        validators=[DateRangeValidator(ahead=VISIT_AHEAD)],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs["initial"].setdefault("occurred_at", now)
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


def country_choices():
    """Nothing chosen, the centre's most common citizenships first (MICENTER_COMMON_
    CITIZENSHIPS: at the desk, Ukraine is most visitors), then every country, in the page's
    language."""
    common = [(code, countries.name(code)) for code in settings.MICENTER_COMMON_CITIZENSHIPS]
    return [
        ("", "—"),
        (_("Most common here"), common),
        (_("All countries"), list(countries)),
    ]


class WalkInForm(forms.Form):
    """An anonymous walk-in: nothing is required, one tap logs it."""

    purposes = _services_field(Service.objects.filter(is_active=True), _("Came for"))
    citizenship = forms.ChoiceField(
        label=_("Citizenship"),
        # A callable: the names are those of the page's language, not of the first import.
        choices=country_choices,
        required=False,
        widget=QuickSelect(memo="countries-or-none"),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—"), *Gender.choices],
        required=False,
        widget=QuickSelect(memo="genders-or-none"),
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=[("", "—"), *AgeBand.choices],
        required=False,
        widget=QuickSelect(memo="age-bands-or-none"),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        kwargs.setdefault("prefix", "walkin")
        super().__init__(*args, **kwargs)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Number of the duplicate record"),
        min_value=1,
        help_text=_("Shown as # next to the name. Its visits and consents move to this record."),
    )
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same person"),
        error_messages={"required": _("Check both records first, then tick this box.")},
    )


class KioskCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Scan your QR code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class KioskNameForm(forms.Form):
    given_name = forms.CharField(label=_("Your given name"), max_length=100)
    family_name = forms.CharField(label=_("Your family name"), max_length=100)
    birth_year = forms.IntegerField(
        label=_("Your year of birth"),
        validators=[validate_birth_year],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class KioskPurposeForm(forms.Form):
    purposes = forms.ModelMultipleChoiceField(
        label=_("What have you come for?"),
        queryset=Service.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

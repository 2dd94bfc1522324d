import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    MAX_DURATION_MINUTES,
    NOTES_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    STARTED_AT_AHEAD,
    Mode,
    PartnerOrganisation,
    Referral,
)
from consultations.selectors import partners_active, services_served_by, topics_of
from core.date_ranges import FOLLOW_UP_AHEAD, REPORT_AHEAD, DateRangeValidator
from visitors.models import SERVICE_LANGUAGES

# Record numbers separated by commas: room for a full group session (200 people).
PARTICIPANTS_MAX_LENGTH = 2_000
DURATION_ERRORS = {
    "min_value": _("A consultation lasts at least one minute."),
    "max_value": _("A consultation cannot last more than 8 hours."),
}


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.service}: {obj.name}" if self.show_service else obj.name


class ConsultationFields(forms.Form):
    """What every consultation form asks, for a consultant who serves `services`."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    topics = TopicChoiceField(
        label=_("Topics"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    started_at = forms.DateTimeField(
        label=_("Start"),
        validators=[DateRangeValidator(ahead=STARTED_AT_AHEAD)],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        error_messages=DURATION_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=Mode.choices, initial=Mode.IN_PERSON, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language used"), choices=[("", "—"), *SERVICE_LANGUAGES], required=False
    )
    interpreter = forms.BooleanField(label=_("An interpreter was used"), required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        help_text=_("Confidential to your service."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up date"),
        required=False,
        validators=[DateRangeValidator(ahead=FOLLOW_UP_AHEAD)],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    referral_partner = forms.ModelChoiceField(
        label=_("Refer to a partner organisation"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
    )
    referral_note = forms.CharField(label=_("Referral note"), max_length=300, required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, consultant, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "started_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        services = services_served_by(consultant)
        self.fields["service"].queryset = services
        self.fields["topics"].queryset = topics_of(services)
        self.fields["topics"].show_service = services.count() > 1
        self.fields["referral_partner"].queryset = partners_active()

    def clean(self):
        data = super().clean()
        if data.get("referral_note") and not data.get("referral_partner"):
            self.add_error("referral_partner", _("Choose the organisation the person is sent to."))
        return data


class ConsultationForm(ConsultationFields):
    """One person (from the queue, from their record) or an anonymous caller."""

    field_order = ["service", "started_at", "duration_minutes", "mode", "topics"]


class GroupSessionForm(ConsultationFields):
    participants = forms.CharField(
        label=_("Participants' record numbers"),
        required=False,
        max_length=PARTICIPANTS_MAX_LENGTH,
        help_text=_("The numbers shown next to their names, separated by commas or spaces."),
    )
    anonymous = forms.IntegerField(
        label=_("Participants who did not register"),
        min_value=0,
        max_value=200,
        initial=0,
        required=False,
        error_messages={
            "min_value": _("Enter 0 or more."),
            "max_value": _("A group session has at most 200 participants."),
        },
    )
    field_order = [
        "service",
        "started_at",
        "duration_minutes",
        "mode",
        "participants",
        "anonymous",
    ]

    def clean_participants(self):
        text = self.cleaned_data["participants"]
        numbers = re.findall(r"\d+", text)
        if re.sub(r"[\d#,;\s]", "", text):
            raise forms.ValidationError(_("Enter record numbers only, such as 12, 40, 311."))
        return list(dict.fromkeys(int(n) for n in numbers))

    def clean_anonymous(self):
        return self.cleaned_data["anonymous"] or 0

    def clean(self):
        data = super().clean()
        if not data.get("participants") and not data.get("anonymous"):
            raise forms.ValidationError(_("Add at least one participant."))
        return data


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=_("New follow-up date"),
        validators=[DateRangeValidator(ahead=FOLLOW_UP_AHEAD)],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReferralForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=PartnerOrganisation.objects.none()
    )
    note = forms.CharField(label=_("Referral note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_active()


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Person"), required=False, max_length=100)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[DateRangeValidator(ahead=REPORT_AHEAD)],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[DateRangeValidator(ahead=REPORT_AHEAD)],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services_served_by(user)


class BreakGlassForm(forms.Form):
    visitor = forms.IntegerField(
        label=_("Record number of the person"),
        min_value=1,
        error_messages={"min_value": _("Enter the person's record number.")},
    )
    reason = forms.CharField(
        label=_("Why do you need to read this person's consultation records?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your access lasts 30 minutes, is logged and is shown on the audit report."),
    )

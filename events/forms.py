from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.date_ranges import PLANNING_AHEAD, DateRangeValidator
from core.phones import phone_normalise
from core.widgets import QuickSelect
from events.models import (
    EVENT_LANGUAGES,
    MAX_PLACES,
    MAX_PLACES_MESSAGE,
    MESSAGE_MAX_LENGTH,
    Audience,
    Category,
    Event,
)

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PLANNED = DateRangeValidator(ahead=PLANNING_AHEAD)
PLACES_ERRORS = {
    "min_value": _("At least one place."),
    "max_value": MAX_PLACES_MESSAGE,
}


class EventFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[PLANNED],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[PLANNED],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *Category.choices],
        required=False,
        widget=QuickSelect(memo="event-category"),
    )
    audience = forms.ChoiceField(
        label=_("For"),
        choices=[("", _("Everyone")), *Audience.choices[1:]],
        required=False,
        widget=QuickSelect(memo="event-audience"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any")), *EVENT_LANGUAGES],
        required=False,
        widget=QuickSelect(memo="event-language"),
    )


GUEST_MAX_PLACES = 6
GUEST_MAX_MESSAGE = _("Without an account you can take up to 6 places; for more, call us.")


class RegistrationForm(forms.Form):
    """Registering for an event: a session (unless it is a whole-group enrolment), how many
    places, and for someone not signed in, who they are and their consent."""

    occurrence = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False)
    household_size = forms.IntegerField(
        label=_("Places needed"),
        help_text=_("You and the family members coming with you."),
        min_value=1,
        max_value=MAX_PLACES,
        initial=1,
        error_messages=PLACES_ERRORS,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the centre keeps my name and contacts to manage this registration "
            "and deletes them afterwards."
        ),
        required=False,
    )
    join_waitlist = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event: Event, sessions, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        if event.is_cohort:
            del self.fields["occurrence"]
        else:
            self.fields["occurrence"].choices = [(s.pk, _session_label(s)) for s in sessions]
            self.fields["occurrence"].required = True
        if not guest:
            for name in ("name", "email", "phone", "consent"):
                del self.fields[name]
        else:
            # Without an account a household takes at most 6 places; larger groups call us.
            self.fields["household_size"].max_value = GUEST_MAX_PLACES
            self.fields["household_size"].widget.attrs["max"] = GUEST_MAX_PLACES
            limit = MaxValueValidator(GUEST_MAX_PLACES, GUEST_MAX_MESSAGE)
            limit.code = "guest_max"  # its own message, not the field's "at most 20"
            self.fields["household_size"].validators.append(limit)
            self.fields["name"].required = True
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_phone(self):
        return phone_normalise(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        if self.guest:
            if not data.get("email") and not data.get("phone"):
                self.add_error("email", _("Give an email address or a phone number."))
            if not data.get("consent"):
                self.add_error("consent", _("Without your agreement we cannot register you."))
        return data


def _session_label(session) -> str:
    from django.utils import formats, timezone

    start = timezone.localtime(session.starts_at)
    return formats.date_format(start, "DATETIME_FORMAT")


class EventForm(forms.ModelForm):
    """An event's texts in the four languages and its settings. A new event also gets its
    sessions: one, or a weekly series."""

    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=EVENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            *[
                f"{name}_{code}"
                for name in ("title", "summary", "description", "location")
                for code, _label in settings.LANGUAGES
            ],
            "category",
            "audience",
            "languages",
            "leader",
            "volunteer_leader",
            "is_public",
            "registration_mode",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "image",
            *[f"image_alt_{code}" for code, _label in settings.LANGUAGES],
        ]
        widgets = {
            **{
                f"description_{code}": forms.Textarea(attrs={"rows": 3})
                for code, _label in settings.LANGUAGES
            },
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = self.instance.language_codes if self.instance.pk else []
        self.fields["leader"].queryset = User.objects.filter(groups__isnull=False).distinct()
        self.fields["title_lt"].required = True
        for code, language in settings.LANGUAGES:
            for name in ("title", "summary", "description", "location", "image_alt"):
                field = self.fields[f"{name}_{code}"]
                base = Event._meta.get_field(name).verbose_name
                field.label = f"{str(base).capitalize()} ({language})"

    def fieldsets(self):
        """The form in groups, as a coordinator fills it in: the texts language by
        language, then the settings, then (for a new event) the sessions."""
        texts = ("title", "summary", "description", "location", "image_alt")
        groups = [
            (language, [self[f"{name}_{code}"] for name in texts])
            for code, language in settings.LANGUAGES
        ]
        used = {f"{name}_{code}" for name in texts for code, _label in settings.LANGUAGES}
        sessions = ("first_start", "duration_minutes", "sessions")
        groups.append(
            (
                _("Settings"),
                [b for b in self.visible_fields() if b.name not in used | set(sessions)],
            )
        )
        if all(name in self.fields for name in sessions):
            groups.append((_("Sessions"), [self[name] for name in sessions]))
        return groups

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image or not hasattr(image, "image"):
            return image  # unchanged, or removed
        if image.size > MAX_IMAGE_BYTES:
            raise ValidationError(_("The image is larger than 2 MB. Choose a smaller one."))
        if getattr(image.image, "format", None) not in IMAGE_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG or WebP picture."))
        return image

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt_lt"):
            self.add_error("image_alt_lt", _("Describe the image for people who cannot see it."))
        return data


class NewEventForm(EventForm):
    first_start = forms.DateTimeField(
        label=_("First session starts"), validators=[PLANNED], widget=DATETIME_WIDGET
    )
    duration_minutes = forms.IntegerField(
        label=_("Each session lasts (minutes)"),
        min_value=15,
        max_value=12 * 60,
        initial=90,
        error_messages={
            "min_value": _("A session lasts at least 15 minutes."),
            "max_value": _("A session lasts at most 12 hours."),
        },
    )
    sessions = forms.IntegerField(
        label=_("Number of weekly sessions"),
        help_text=_("1 for a one-off event; 8 for an eight-week group."),
        min_value=1,
        max_value=60,
        initial=1,
        error_messages={
            "min_value": _("At least one session."),
            "max_value": _("At most 60 sessions at once."),
        },
    )

    def session_times(self):
        data = self.cleaned_data
        from events.services import weekly_sessions

        return weekly_sessions(
            first_start=data["first_start"],
            duration=timedelta(minutes=data["duration_minutes"]),
            count=data["sessions"],
        )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WalkInRegistrationForm(forms.Form):
    visitor = forms.IntegerField(
        label=_("Record number of the person"),
        min_value=1,
        error_messages={"min_value": _("Enter the person's record number.")},
    )
    occurrence = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False)
    household_size = forms.IntegerField(
        label=_("Places needed"),
        min_value=1,
        max_value=MAX_PLACES,
        initial=1,
        error_messages=PLACES_ERRORS,
    )
    join_waitlist = forms.BooleanField(
        label=_("Put them on the waitlist if it is full"), required=False, initial=True
    )

    def __init__(self, *args, event: Event, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        if event.is_cohort:
            del self.fields["occurrence"]
        else:
            self.fields["occurrence"].choices = [(s.pk, _session_label(s)) for s in sessions]
            self.fields["occurrence"].required = True


class SessionMoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start"), validators=[PLANNED], widget=DATETIME_WIDGET
    )

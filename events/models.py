"""Events and groups, their sessions (occurrences), registrations and attendance.

An event is held as one or more occurrences: a one-off evening has one, the Wednesday club
one a week, a therapeutic group a cohort of N sessions. People register either for one
occurrence, or (enrolment) for the whole cohort. Places count household members.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.date_ranges import PLANNING_AHEAD, DateRangeValidator

TRANSLATED_FIELDS = ["title", "summary", "description", "location", "image_alt"]
DESCRIPTION_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 10_000
# Places one registration takes; the message says the number (a test checks they agree).
MAX_PLACES = 20
MAX_PLACES_MESSAGE = _("At most 20 places in one registration.")


def _planned_time(verbose_name, **options):
    """A time something is planned for: from the centre's first records to five years on."""
    return models.DateTimeField(
        verbose_name, validators=[DateRangeValidator(ahead=PLANNING_AHEAD)], **options
    )


class Category(models.TextChoices):
    EVENT = "event", _("Event")
    CLUB = "club", _("Club")
    THERAPEUTIC_GROUP = "therapeutic", _("Therapeutic group")
    SUPPORT_GROUP = "support", _("Support group")
    LESSON = "lesson", _("Lesson")
    CHILDREN = "children", _("Children's activity")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    CHILDREN = "children", _("Children")
    TEENAGERS = "teenagers", _("Teenagers")
    ADULTS = "adults", _("Adults")
    SENIORS = "seniors", _("Seniors")
    FAMILIES = "families", _("Families")


EVENT_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Event.Status.PUBLISHED, is_public=True)


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        PER_OCCURRENCE = "occurrence", _("Registration for each session")
        COHORT = "cohort", _("Enrolment for the whole group")

    # Translated (modeltranslation): title_lt, title_en, title_uk, title_ru, and so on.
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    image = models.ImageField(_("image"), upload_to="events/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    # Language codes separated by commas ("lt,uk"): the codes never contain one another.
    languages = models.CharField(_("languages spoken"), max_length=40, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader (staff)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_led",
    )
    volunteer_leader = models.CharField(
        _("leader (volunteer)"),
        max_length=120,
        blank=True,
        help_text=_("For groups a volunteer leads."),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the public pages once published.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    registration_mode = models.CharField(
        _("registration"), max_length=12, choices=Mode.choices, default=Mode.PER_OCCURRENCE
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("An event has at least one place."))],
        help_text=_("Household members count. Empty: no limit."),
    )
    registration_opens_at = _planned_time(_("registration opens"), null=True, blank=True)
    registration_closes_at = _planned_time(_("registration closes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when first published: a cancelled event that was public stays in the calendar
    # feeds, marked cancelled; one cancelled as a draft was never anyone's to remove.
    published_at = models.DateTimeField(_("first published"), null=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @cached_property
    def language_names(self) -> list[str]:
        names = dict(EVENT_LANGUAGES)
        return [str(names[code]) for code in self.language_codes if code in names]

    @property
    def category_label(self) -> str:
        # The enum's label: get_category_display() translates every choice to find one.
        return str(Category(self.category).label)

    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def is_cohort(self) -> bool:
        return self.registration_mode == self.Mode.COHORT

    @property
    def leader_name(self) -> str:
        if self.volunteer_leader:
            return self.volunteer_leader
        return self.leader.get_full_name() if self.leader else ""

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    def missing_translations(self) -> list[str]:
        """Languages in which the title or summary has not been written (staff are told;
        visitors see the English or Lithuanian text instead)."""
        missing = []
        for code, _name in EVENT_LANGUAGES:
            if not getattr(self, f"title_{code}", "") or (
                getattr(self, "summary_lt", "") and not getattr(self, f"summary_{code}", "")
            ):
                missing.append(code)
        return missing


class Occurrence(models.Model):
    """One session of an event: the evening itself, one Wednesday of the club."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = _planned_time(_("starts"), db_index=True)
    ends_at = _planned_time(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("A session has at least one place."))],
        help_text=_("Empty: the event's number of places."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # The calendar entry's SEQUENCE: raised when the session is moved or cancelled (or its
    # event cancelled), so calendar applications replace the copy they hold.
    sequence = models.PositiveIntegerField(_("calendar version"), default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.event} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def places(self) -> int | None:
        return self.capacity if self.capacity is not None else self.event.capacity


ACTIVE_Q = Q(status__in=["awaiting", "confirmed", "waitlisted"])


class Registration(models.Model):
    """A place (or a waitlist position) for a household: for one occurrence, or for the whole
    cohort (`occurrence` empty). The person is a signed-in visitor (`user`), someone the
    centre registered (`visitor`), or a guest known by name and email or phone."""

    class Status(models.TextChoices):
        AWAITING_EMAIL = "awaiting", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = [Status.AWAITING_EMAIL, Status.CONFIRMED, Status.WAITLISTED]

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    occurrence = models.ForeignKey(
        Occurrence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    visitor = models.ForeignKey(
        "visitors.Visitor",
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("places needed"),
        default=1,
        validators=[
            MinValueValidator(1, _("At least one place.")),
            MaxValueValidator(MAX_PLACES, MAX_PLACES_MESSAGE),
        ],
        help_text=_("You and the family members coming with you."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    promoted_at = models.DateTimeField(_("moved up from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Cancelled because the centre cancelled the event or the session, not by the person.
    cancelled_by_centre = models.BooleanField(_("cancelled by the centre"), default=False)
    # A registrant with no email is phoned when the centre cancels: who told them, and when.
    told_at = models.DateTimeField(_("told by phone"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One active registration per person and occurrence (or cohort), whoever they are.
            models.UniqueConstraint(
                fields=["occurrence", "user"],
                condition=ACTIVE_Q & Q(occurrence__isnull=False, user__isnull=False),
                name="registration_once_per_occurrence_user",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=ACTIVE_Q & Q(occurrence__isnull=True, user__isnull=False),
                name="registration_once_per_cohort_user",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "visitor"],
                condition=ACTIVE_Q & Q(occurrence__isnull=False, visitor__isnull=False),
                name="registration_once_per_occurrence_visitor",
            ),
            models.UniqueConstraint(
                fields=["event", "visitor"],
                condition=ACTIVE_Q & Q(occurrence__isnull=True, visitor__isnull=False),
                name="registration_once_per_cohort_visitor",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "occurrence",
                condition=ACTIVE_Q & Q(occurrence__isnull=False) & ~Q(email=""),
                name="registration_once_per_occurrence_email",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=ACTIVE_Q & Q(occurrence__isnull=True) & ~Q(email=""),
                name="registration_once_per_cohort_email",
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="registration_household_at_least_one"
            ),
        ]
        indexes = [
            models.Index(fields=["occurrence", "status"]),
            models.Index(fields=["event", "status"]),
        ]

    def __str__(self):
        return f"{self.person_name} → {self.event}"

    @property
    def person_name(self) -> str:
        if self.visitor_id and self.visitor.full_name:
            return self.visitor.full_name
        return self.name or (self.user.email if self.user_id else "")

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def email_address(self) -> str:
        """Where emails about this registration go ("" for a phone-only guest)."""
        if self.user_id:
            return self.user.email
        if self.email:
            return self.email
        if self.visitor_id and self.visitor.email:
            return self.visitor.email
        return ""

    @property
    def status_label(self) -> str:
        if self.status == self.Status.CANCELLED and self.cancelled_by_centre:
            return str(_("Cancelled by the centre"))
        return self.get_status_display()


class Attendance(models.Model):
    """Someone with a registration was there, at one occurrence (checked in at the door)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "occurrence"], name="attendance_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.registration_id} @ {self.occurrence_id}"


class NoticeKind(models.TextChoices):
    """The emails a registration can cause. Each goes at most once per registration, kind
    and key (the outbox's dedupe key), whatever workers die or tasks are retried."""

    CONFIRM_EMAIL = "confirm_email", _("Confirm your email")
    CONFIRMATION = "confirmation", _("Registration confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    PROMOTED = "promoted", _("A place became free")
    REMINDER = "reminder", _("Reminder")
    CHANGED = "changed", _("Change by the centre")
    CANCELLED = "cancelled", _("Cancelled by the centre")
    MESSAGE = "message", _("Message from the centre")


class Message(models.Model):
    """A message from the coordinator to everyone registered for an event."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("message"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.subject

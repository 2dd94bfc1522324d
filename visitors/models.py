from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.date_ranges import EARLIEST_BIRTH, DateRangeValidator

FIRST_ARRIVAL_YEAR = 1950


def validate_birth_year(value):
    this_year = timezone.localdate().year
    if not EARLIEST_BIRTH.year <= value <= this_year:
        raise ValidationError(
            _("Enter a year of birth between 1900 and %(year)s."), params={"year": this_year}
        )


def validate_arrival_year(value):
    this_year = timezone.localdate().year
    if not FIRST_ARRIVAL_YEAR <= value <= this_year:
        raise ValidationError(
            _("Enter a year of arrival between 1950 and %(year)s."), params={"year": this_year}
        )


def validate_not_future(value):
    # No longer on a field; kept for the migrations that name it.
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


# The message says the range in words: keep the numbers the same (a test checks it).
HOUSEHOLD_MIN, HOUSEHOLD_MAX = 1, 30
HOUSEHOLD_MESSAGE = _("A household has between 1 and 30 people.")
OTHER_NAMES_MAX_LENGTH = 300
# A visit logged "now" at the desk may run a few minutes ahead of the server's clock.
VISIT_AHEAD = timedelta(minutes=5)
HOUSEHOLD_VALIDATORS = [
    MinValueValidator(HOUSEHOLD_MIN, message=HOUSEHOLD_MESSAGE),
    MaxValueValidator(HOUSEHOLD_MAX, message=HOUSEHOLD_MESSAGE),
]

# The languages a visitor can be served in; "other" when none of these (the note says which).
SERVICE_LANGUAGES = [*settings.LANGUAGES, ("other", _("Another language"))]


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    """Age at the time of a visit, in the bands reports use (and the groups the centre runs)."""

    CHILD = "0-13", _("Under 14")
    TEEN = "14-17", _("14 to 17")
    YOUNG = "18-29", _("18 to 29")
    ADULT = "30-44", _("30 to 44")
    MIDDLE = "45-64", _("45 to 64")
    SENIOR = "65+", _("65 and over")

    @classmethod
    def for_age(cls, age: int | None) -> str:
        if age is None or age < 0:
            return ""
        for band, upper in [
            (cls.CHILD, 13),
            (cls.TEEN, 17),
            (cls.YOUNG, 29),
            (cls.ADULT, 44),
            (cls.MIDDLE, 64),
        ]:
            if age <= upper:
                return band.value
        return cls.SENIOR.value


class LegalStatus(models.Model):
    """A legal-status category the centre counts (configurable by administrators)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("legal status")
        verbose_name_plural = _("legal statuses")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Visitor(models.Model):
    """A person the centre helps, with the least data that serves. No document numbers.

    Erasure blanks the personal fields and keeps the row, so visits still count as the same
    unique person in past reports.
    """

    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        max_length=OTHER_NAMES_MAX_LENGTH,
        validators=[MaxLengthValidator(OTHER_NAMES_MAX_LENGTH)],
        help_text=_("Other ways the name is written (Latin or Cyrillic), one per line."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[validate_birth_year]
    )
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        validators=[DateRangeValidator(since=EARLIEST_BIRTH)],
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    citizenship = CountryField(_("citizenship"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=SERVICE_LANGUAGES, blank=True
    )
    legal_status = models.ForeignKey(
        LegalStatus,
        verbose_name=_("legal status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    arrival_year = models.PositiveSmallIntegerField(
        _("year of arrival in Lithuania"), null=True, blank=True, validators=[validate_arrival_year]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("household size"),
        default=1,
        help_text=_("People living together, this person included."),
        validators=HOUSEHOLD_VALIDATORS,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visitor",
    )

    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    # Written by the services from the fields above; searched, never shown.
    search_text = models.TextField(editable=False, blank=True)
    phone_digits = models.CharField(max_length=40, editable=False, blank=True, db_index=True)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["family_name", "given_name", "id"]
        # The desk's services check these in Python first, with a message on the field
        # (visitors.services._validate_visitor): a new constraint needs its check there too.
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=HOUSEHOLD_MIN)
                & Q(household_size__lte=HOUSEHOLD_MAX),
                name="visitor_household_size_range",
                violation_error_message=HOUSEHOLD_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="visitor_birth_year_plausible",
            ),
            # A person is a name and a citizenship; only an erased record may have neither.
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False)
                | ((~Q(given_name="") | ~Q(family_name="")) & ~Q(citizenship="")),
                name="visitor_has_name_and_citizenship",
                violation_error_message=_("Enter a name (given or family) and the citizenship."),
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return f"#{self.pk}"
        return " ".join(part for part in [self.given_name, self.family_name] if part)

    def clean(self):
        born = self.birth_date.year if self.birth_date else self.birth_year
        if self.arrival_year and born and self.arrival_year < born:
            raise ValidationError(
                {"arrival_year": _("The year of arrival cannot be before the year of birth.")}
            )

    def age_band_at(self, moment) -> str:
        """The age band this person was in at `moment` (blank if their age is unknown)."""
        day = timezone.localtime(moment).date()
        if self.birth_date:
            born = self.birth_date
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        elif self.birth_year:
            age = day.year - self.birth_year
        else:
            age = None
        return AgeBand.for_age(age)

    @property
    def full_name(self) -> str:
        return str(self)


class VisitorSearchKey(models.Model):
    """One searchable form of one word of a visitor's names (see visitors.search_keys).

    `exact` rows hold the word's skeleton; the others hold it with one letter left out, so a
    query one typo away still meets it by plain, indexed equality (same on every database).
    """

    visitor = models.ForeignKey(Visitor, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=64, db_index=True)
    exact = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "key"], name="visitorsearchkey_unique")
        ]

    def __str__(self):
        return self.key


class Visit(models.Model):
    """One time someone came to (or contacted) the centre.

    The facts reports count (citizenship, gender, age band) are copied onto the visit when it
    is logged, so erasing the person later leaves every past figure as it was. A visit with
    no visitor is an anonymous walk-in.
    """

    visitor = models.ForeignKey(
        Visitor,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # visit_person_time_idx starts with it
    )
    occurred_at = models.DateTimeField(
        _("time"), db_index=True, validators=[DateRangeValidator(ahead=VISIT_AHEAD)]
    )
    purposes = models.ManyToManyField(
        "consultations.Service", verbose_name=_("came for"), related_name="visits", blank=True
    )
    language = models.CharField(
        _("language of service"), max_length=8, choices=SERVICE_LANGUAGES, blank=True
    )
    note = models.CharField(_("short note"), max_length=300, blank=True)

    citizenship = CountryField(_("citizenship"), blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)

    logged_at = models.DateTimeField(_("logged"), auto_now_add=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The form's one-time token: a second submission of the same form finds this visit.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # A person's visits in time order; and the report's per-person questions (first
            # visit ever, last visit in a period) read it alone, without the table.
            models.Index(fields=["visitor", "occurred_at", "id"], name="visit_person_time_idx"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.visitor or _('anonymous walk-in')}"

    @property
    def is_anonymous(self) -> bool:
        return self.visitor_id is None


class QueueEntry(models.Model):
    """A person waiting for a consultation with one service, from the visit that asked for it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called in")
        DONE = "done", _("Seen")
        LEFT = "left", _("Left without being seen")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="queue_entries")
    service = models.ForeignKey(
        "consultations.Service", on_delete=models.PROTECT, related_name="queue_entries"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    joined_at = models.DateTimeField(_("waiting since"))
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "service"], name="queueentry_once_per_visit")
        ]
        indexes = [models.Index(fields=["service", "status", "joined_at"])]

    def __str__(self):
        return f"{self.service} #{self.visit_id} ({self.status})"


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Keeping a record of the person and their visits")
    CONTACT = "contact", _("Contacting the person by phone or email")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("On paper at the desk")
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("At the entrance kiosk")


class ConsentText(models.Model):
    """One version of what a person agrees to, in four languages (text_lt, text_en, ...).

    A new wording is a new version; consents keep pointing at the version they were given to.
    """

    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consenttext_version")
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.version}"


class Consent(models.Model):
    """A person's consent: to which text version, when, how, and (if so) when withdrawn."""

    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="consents")
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            )
        ]
        indexes = [models.Index(fields=["visitor", "purpose", "withdrawn_at"])]

    def __str__(self):
        return f"{self.visitor_id} {self.purpose} ({self.given_at:%Y-%m-%d})"


class PrivacySettings(models.Model):
    """Settings an administrator keeps for the whole centre (one row)."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep records for (months after last contact)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: keep until the person asks for erasure. Checked every night."),
    )
    audit_log_months = models.PositiveSmallIntegerField(
        _("keep the audit log for (months)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Who read or changed which record, and the searches typed at the desk, are "
            "removed after this long. Checked every night."
        ),
    )

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PrivacySettings":
        return cls.objects.get_or_create(pk=1)[0]


class ErasureRequest(models.Model):
    """A request to erase a person's data, decided by an administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        DONE = "done", _("Erased")
        REJECTED = "rejected", _("Rejected")

    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visitor"], condition=Q(status="pending"), name="erasure_one_pending"
            )
        ]

    def __str__(self):
        return f"#{self.visitor_id} ({self.get_status_display()})"

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.date_ranges import FOLLOW_UP_AHEAD, DateRangeValidator
from visitors.models import SERVICE_LANGUAGES, AgeBand, Gender

# Free text has a limit: a form never takes (and a page never shows) a book.
DESCRIPTION_MAX_LENGTH = 2_000
CONTACTS_MAX_LENGTH = 1_000
OUTCOME_MAX_LENGTH = 2_000
NOTES_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 1_000


def _text(verbose_name, max_length: int, **options):
    """A TextField of at most `max_length` characters: its form field says so, and
    full_clean() (services, the admin) checks it."""
    return models.TextField(
        verbose_name,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **options,
    )


class Service(models.Model):
    """Something the centre offers that a visit can be for: legal, career or psychological
    help (with consultations and a waiting queue), Lithuanian lessons, groups and events.

    Names are translated (modeltranslation: name_lt, name_en, name_uk, name_ru).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    gives_consultations = models.BooleanField(
        _("gives consultations"),
        default=False,
        help_text=_("Visitors asking for it wait in its queue for a consultant."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """What a consultation of one service was about (legal: residence permit, housing...)."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="topics"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["service__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="topic_code_per_service")
        ]

    def __str__(self):
        return self.name


class PartnerOrganisation(models.Model):
    """An organisation the centre refers people to (a shelter, an employment office...)."""

    name = models.CharField(_("name"), max_length=200)
    services = models.CharField(_("what they help with"), max_length=300)
    description = _text(_("description"), DESCRIPTION_MAX_LENGTH, blank=True)
    contacts = _text(
        _("contacts"), CONTACTS_MAX_LENGTH, help_text=_("Address, phone, email, website.")
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("For example: lt, en, uk, ru"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    MESSENGER = "messenger", _("Messenger")


MAX_DURATION_MINUTES = 8 * 60
# A consultation recorded a little ahead of the clock (a slow form) is fine; days ahead is not.
STARTED_AT_AHEAD = timedelta(minutes=15)


class Consultation(models.Model):
    """One consultation session: one person, or several in a group session.

    Who may read which fields is decided in consultations.selectors, never here: the
    topics, outcome and notes of psychological help are health data.
    """

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="consultations"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="consultations_given",
    )
    started_at = models.DateTimeField(
        _("start"), db_index=True, validators=[DateRangeValidator(ahead=STARTED_AT_AHEAD)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(1, _("A consultation lasts at least one minute.")),
            MaxValueValidator(
                MAX_DURATION_MINUTES, _("A consultation cannot last more than 8 hours.")
            ),
        ],
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    language = models.CharField(
        _("language used"), max_length=8, choices=SERVICE_LANGUAGES, blank=True
    )
    interpreter = models.BooleanField(_("interpreter used"), default=False)
    outcome = _text(_("outcome"), OUTCOME_MAX_LENGTH, blank=True)
    notes = _text(_("notes"), NOTES_MAX_LENGTH, blank=True)
    follow_up_on = models.DateField(
        _("follow-up date"),
        null=True,
        blank=True,
        validators=[DateRangeValidator(ahead=FOLLOW_UP_AHEAD)],
    )
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    is_group = models.BooleanField(_("group session"), default=False)
    # The queue entry this consultation answered: one consultation per entry.
    queue_entry = models.OneToOneField(
        "visitors.QueueEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    # The form's one-time token: a second submission of the same form finds this record.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1)
                & models.Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="consultation_duration_1_to_480",
            ),
        ]
        indexes = [
            models.Index(fields=["consultant", "started_at"]),
            models.Index(fields=["service", "started_at"]),
            models.Index(fields=["consultant", "follow_up_on"]),
        ]

    def __str__(self):
        return f"{self.service} {self.started_at:%Y-%m-%d %H:%M}"


class Participant(models.Model):
    """One person in a consultation (a group session has several). A participant without a
    visitor is an anonymous walk-in or caller.

    As on visits, the facts reports count are copied here, so erasing the person later
    changes no past figure."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    visitor = models.ForeignKey(
        "visitors.Visitor",
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_participations",
    )
    visit = models.ForeignKey(
        "visitors.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_participations",
    )
    citizenship = CountryField(_("citizenship"), blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]

    def __str__(self):
        return str(self.visitor or _("anonymous walk-in"))


class Referral(models.Model):
    """A consultation sent the person on to a partner organisation."""

    class Status(models.TextChoices):
        MADE = "made", _("Made")
        CONFIRMED = "confirmed", _("Confirmed by the partner")
        CLOSED = "closed", _("Closed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="referrals"
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.MADE
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.partner} ({self.get_status_display()})"


class BreakGlassGrant(models.Model):
    """An administrator's time-limited access to one person's consultation records, given
    for a stated reason (an emergency, a court order). Every grant is on the audit report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
    )
    visitor = models.ForeignKey(
        "visitors.Visitor", verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    reason = _text(_("reason"), REASON_MAX_LENGTH)
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="breakglass_expires_after_grant",
            )
        ]

    def __str__(self):
        return f"{self.user} → #{self.visitor_id} ({self.granted_at:%Y-%m-%d %H:%M})"

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.date_ranges import OPENING_YEAR, REPORT_AHEAD, DateRangeValidator

# A report's first or last day: from 1 January of the year the centre opened to a year on.
PERIOD_DAY = DateRangeValidator(since=OPENING_YEAR, ahead=REPORT_AHEAD)


class PrivateStorage(FileSystemStorage):
    """Files under MICENTER_PRIVATE_ROOT (read when used, so a changed setting applies)."""

    @property
    def base_location(self):
        return str(settings.MICENTER_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return PrivateStorage()


class ReportExport(models.Model):
    """A report file prepared in the background (Celery), downloaded by whoever asked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("from"), validators=[PERIOD_DAY])
    end = models.DateField(_("to"), validators=[PERIOD_DAY])
    fmt = models.CharField(_("format"), max_length=4)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    for_publication = models.BooleanField(_("for publication"), default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fmt__in=["csv", "xlsx", "pdf"]), name="reportexport_format"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="reportexport_period"
            ),
        ]

    def __str__(self):
        return f"{self.start}..{self.end}.{self.fmt} ({self.status})"

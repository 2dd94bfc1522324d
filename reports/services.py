"""Writes for reports: background exports and the monthly email to managers."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.services import audit_log
from notifications.services import email_render_and_enqueue
from reports.exports import FORMATS, report_file, summary_text
from reports.figures import Period, report_build
from reports.models import PERIOD_DAY, ReportExport

logger = logging.getLogger(__name__)
# Reports cover at most this much at once (ten years of data is still one query per figure).
MAX_PERIOD = timedelta(days=366 * 10)


def period_check(start: date, end: date) -> Period:
    """A period a report can cover: both days in range, the end not before the start."""
    errors = {}
    for name, day in (("date_from", start), ("date_to", end)):
        try:
            PERIOD_DAY(day)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    if end < start:
        raise ValidationError(_("The end of the period is before its start."))
    if end - start > MAX_PERIOD:
        raise ValidationError(_("Choose a period of at most ten years."))
    return Period(start, end)


@transaction.atomic
def report_export_request(
    *, user, period: Period, fmt: str, language: str, for_publication: bool, request=None
) -> ReportExport:
    """Ask for a report file; a worker prepares it (at once when there is no broker)."""
    if fmt not in FORMATS:
        raise ValidationError(_("Choose CSV, Excel or PDF."))
    export = ReportExport.objects.create(
        requested_by=user,
        start=period.start,
        end=period.end,
        fmt=fmt,
        language=language,
        for_publication=for_publication,
    )
    audit_log(
        actor=user,
        request=request,
        action="report.export",
        obj=export,
        details={"format": fmt, "publication": for_publication},
    )
    from reports.tasks import report_export_run

    transaction.on_commit(lambda: report_export_run.delay(export.pk))
    return export


def report_export_run(*, export_id: int) -> ReportExport:
    """Prepare one export. The file is written whole, then attached: a download never gets
    half a file. A failure (a full disk, say) is recorded with a message for the user."""
    updated = ReportExport.objects.filter(
        pk=export_id, status__in=[ReportExport.Status.PENDING, ReportExport.Status.RUNNING]
    ).update(status=ReportExport.Status.RUNNING, progress=10)
    export = ReportExport.objects.get(pk=export_id)
    if not updated:
        return export
    try:
        made = report_file(
            period=Period(export.start, export.end),
            fmt=export.fmt,
            language=export.language,
            for_publication=export.for_publication,
        )
        ReportExport.objects.filter(pk=export_id).update(progress=80)
        export.file.save(made.filename, ContentFile(made.content), save=False)
    except OSError as error:
        logger.exception("Report export %s could not be saved", export_id)
        with translation.override(export.language):
            message = _(
                "The file could not be saved on the server (%(reason)s). Try again "
                "later or tell the administrator."
            ) % {"reason": error.strerror or error}
        ReportExport.objects.filter(pk=export_id).update(
            status=ReportExport.Status.FAILED, error=str(message)[:300], finished_at=timezone.now()
        )
        return ReportExport.objects.get(pk=export_id)
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.DONE,
        progress=100,
        file=export.file.name,
        finished_at=timezone.now(),
    )
    return ReportExport.objects.get(pk=export_id)


def monthly_report_send(*, today: date | None = None) -> int:
    """On the first of the month: last month's figures to every manager, in their language.
    Once per manager and month, however often the task runs."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    period = Period(end.replace(day=1), end)
    managers = User.objects.filter(groups__name=Role.MANAGER, is_active=True).distinct()
    sent = 0
    for manager in managers:
        with translation.override(manager.language):
            report = report_build(period)
            url = settings.MICENTER_SITE_URL + reverse("reports:dashboard")
            email = email_render_and_enqueue(
                recipient=manager.email,
                template="reports/email/monthly",
                language=manager.language,
                dedupe_key=f"monthly-report:{manager.pk}:{period.start:%Y-%m}",
                context={
                    "manager": manager,
                    "report": report,
                    "summary": summary_text(report),
                    "url": url,
                },
            )
        sent += email is not None
    return sent

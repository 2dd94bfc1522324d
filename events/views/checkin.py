"""Check-in at a session, and the attendance list as a file."""

import csv
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from accounts.access import PermissionRequired
from core.csv_safety import csv_safe
from events import selectors, services
from events.models import Occurrence, Registration
from events.views.common import number_or_404, staff_event_or_404


def _session_for_staff(request, pk) -> Occurrence:
    occurrence = get_object_or_404(Occurrence.objects.select_related("event"), pk=pk)
    staff_event_or_404(request, occurrence.event_id)
    return occurrence


@method_decorator(never_cache, name="dispatch")
class CheckInView(PermissionRequired, TemplateView):
    """At the door, on a phone: find a name, one tap."""

    permission_required = "events.add_attendance"
    template_name = "events/check_in.html"

    def get_context_data(self, **kwargs):
        occurrence = _session_for_staff(self.request, self.kwargs["pk"])
        query = self.request.GET.get("q", "")[:100]
        rows = selectors.check_in_list(occurrence=occurrence, query=query)
        return super().get_context_data(
            occurrence=occurrence,
            rows=rows,
            query=query,
            present=sum(r.household_size for r in rows if r.present),
            **kwargs,
        )

    def post(self, request, pk):
        occurrence = _session_for_staff(request, pk)
        registration = get_object_or_404(
            Registration, pk=number_or_404(request.POST.get("registration")), event=occurrence.event
        )
        try:
            if request.POST.get("action") == "undo":
                services.check_in_undo(
                    registration=registration,
                    occurrence=occurrence,
                    by=request.user,
                    request=request,
                )
            else:
                services.check_in(
                    registration=registration,
                    occurrence=occurrence,
                    checked_in_by=request.user,
                    request=request,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = reverse("events:check_in", kwargs={"pk": occurrence.pk})
        query = request.POST.get("q", "")
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


class AttendanceExportView(PermissionRequired, View):
    """Attendance of every session, as CSV or XLSX (cells that look like formulas are
    neutralised in CSV)."""

    permission_required = "events.view_attendance"
    formats = ("csv", "xlsx")

    def get(self, request, pk, fmt):
        if fmt not in self.formats:
            raise Http404
        event = staff_event_or_404(request, pk)
        header = [_("Session"), _("Name"), _("Places"), _("Present")]
        rows = [
            [
                timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                registration.person_name,
                registration.household_size,
                _("yes") if present else _("no"),
            ]
            for registration, session, present in selectors.attendance_rows(event=event)
        ]
        filename = f"attendance-{event.pk}"
        if fmt == "xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = _("Attendance")[:31]
            sheet.append(header)
            for row in rows:
                sheet.append([csv_safe(cell) for cell in row])
            out = BytesIO()
            book.save(out)
            response = HttpResponse(
                out.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_safe(cell) for cell in row])
        return response

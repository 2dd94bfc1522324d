from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from accounts.access import PermissionRequired
from reports import services
from reports.exports import charts, page_context, summary_text
from reports.figures import named_period, report_build
from reports.forms import DownloadForm, PeriodForm
from reports.models import ReportExport


@method_decorator(never_cache, name="dispatch")
class DashboardView(PermissionRequired, TemplateView):
    """The manager's start page: the figures for a period, as charts and as tables."""

    permission_required = "accounts.view_reports"
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        form = PeriodForm(self.request.GET or None)
        figures = {}
        if not form.is_bound or form.is_valid():
            # A period with a mistake shows its errors, never another period's figures.
            period = named_period("last_centre_year")
            publication = False
            if form.is_bound:
                period = form.cleaned_data["range"]
                publication = form.cleaned_data["publication"]
            report = report_build(period, for_publication=publication)
            figures = {
                "report": report,
                "summary": summary_text(report),
                "charts": charts(report),
                **page_context(report),
            }
        return super().get_context_data(
            form=form,
            **figures,
            download=DownloadForm(
                initial={**form.data.dict(), "language": self.request.LANGUAGE_CODE}
                if form.is_bound
                else {"language": self.request.LANGUAGE_CODE}
            ),
            exports=ReportExport.objects.filter(requested_by=self.request.user)[:5],
            **kwargs,
        )


class ExportRequestView(PermissionRequired, View):
    permission_required = "accounts.view_reports"

    def post(self, request):
        form = DownloadForm(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return redirect_with_error(request, " ".join(errors))
        data = form.cleaned_data
        try:
            export = services.report_export_request(
                user=request.user,
                period=data["range"],
                fmt=data["fmt"],
                language=data["language"],
                for_publication=data["publication"],
                request=request,
            )
        except ValidationError as error:
            return redirect_with_error(request, " ".join(error.messages))
        return redirect("reports:export", pk=export.pk)


def redirect_with_error(request, text):
    from django.contrib import messages

    messages.error(request, text or _("Check the period."))
    return redirect("reports:dashboard")


@method_decorator(never_cache, name="dispatch")
class ExportStatusView(PermissionRequired, TemplateView):
    """Where a background export stands. The page follows it by asking this address for JSON
    (static/js/export-status.js) until the file is ready."""

    permission_required = "accounts.view_reports"
    template_name = "reports/export_status.html"

    def get(self, request, *args, **kwargs):
        if "application/json" in request.headers.get("Accept", ""):
            export = self._export()
            return JsonResponse({"status": export.status, "progress": export.progress})
        return super().get(request, *args, **kwargs)

    def _export(self) -> ReportExport:
        return get_object_or_404(ReportExport, pk=self.kwargs["pk"], requested_by=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(export=self._export(), **kwargs)


class ExportDownloadView(PermissionRequired, View):
    permission_required = "accounts.view_reports"

    def get(self, request, pk):
        export = get_object_or_404(
            ReportExport, pk=pk, requested_by=request.user, status=ReportExport.Status.DONE
        )
        try:
            handle = export.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=export.file.name.split("/")[-1])

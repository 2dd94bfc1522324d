from django.views.generic import TemplateView

from accounts.access import PermissionRequired


class DashboardView(PermissionRequired, TemplateView):
    """The manager's start page: the dashboard."""

    permission_required = "accounts.view_reports"
    template_name = "reports/dashboard.html"

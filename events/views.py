from django.views.generic import TemplateView

from accounts.access import PermissionRequired


class StaffHomeView(PermissionRequired, TemplateView):
    """The event coordinator's start page."""

    permission_required = "accounts.coordinate_events"
    template_name = "events/staff_home.html"

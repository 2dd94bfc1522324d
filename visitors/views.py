from django.views.generic import TemplateView

from accounts.access import PermissionRequired


class DeskView(PermissionRequired, TemplateView):
    """The front desk's start page."""

    permission_required = "accounts.use_front_desk"
    template_name = "visitors/desk.html"

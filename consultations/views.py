from django.views.generic import TemplateView

from accounts.access import PermissionRequired


class WorklistView(PermissionRequired, TemplateView):
    """An adviser's start page: their worklist."""

    permission_required = "accounts.give_consultations"
    template_name = "consultations/worklist.html"

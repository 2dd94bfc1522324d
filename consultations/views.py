from django.views.generic import TemplateView

from accounts.access import PermissionRequired
from consultations.selectors import services_served_by


class WorklistView(PermissionRequired, TemplateView):
    """An adviser's start page: their worklist."""

    permission_required = "accounts.give_consultations"
    template_name = "consultations/worklist.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(queues=services_served_by(self.request.user), **kwargs)

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from accounts.access import PermissionRequired
from accounts.roles import ROLE_START_URL, VISITOR_START_URL, Role
from consultations.selectors import consultation_records, consultations_of_account


class StartView(LoginRequiredMixin, View):
    """Sends each person to the page their work starts on."""

    def get(self, request):
        for code in request.user.role_codes:
            return redirect(ROLE_START_URL[Role(code)])
        return redirect(VISITOR_START_URL)


class MyAccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/my_account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        consultations = consultation_records(
            user=user, consultations=consultations_of_account(user=user)[:50], request=self.request
        )
        return super().get_context_data(consultations=consultations, **kwargs)


class AdministrationView(PermissionRequired, TemplateView):
    permission_required = "accounts.administer_centre"
    template_name = "accounts/administration.html"

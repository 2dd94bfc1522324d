"""The entrance kiosk's pages. The kiosk account can use these and nothing else; they never
show anything about anybody."""

import time

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from accounts.access import PermissionRequired
from visitors import kiosk, services
from visitors.forms import KioskCodeForm, KioskNameForm, KioskPurposeForm

SESSION_KEY = "kiosk_visitor"
# A person who walks away mid-way is forgotten after this many seconds.
IDENTIFIED_FOR = 180


def _identified(request):
    held = request.session.get(SESSION_KEY)
    if not held or time.time() - held["at"] > IDENTIFIED_FOR:
        request.session.pop(SESSION_KEY, None)
        return None
    return kiosk.current_visitors().filter(pk=held["pk"]).first()


@method_decorator(never_cache, name="dispatch")
class KioskView(PermissionRequired, TemplateView):
    permission_required = "accounts.use_kiosk"
    template_name = "visitors/kiosk.html"

    def get_context_data(self, **kwargs):
        visitor = _identified(self.request)
        context = {"step": "purpose" if visitor else "identify"}
        if visitor:
            context["purpose_form"] = kwargs.pop("purpose_form", None) or KioskPurposeForm()
        else:
            context["code_form"] = kwargs.pop("code_form", None) or KioskCodeForm()
            context["name_form"] = kwargs.pop("name_form", None) or KioskNameForm()
        return super().get_context_data(**context, **kwargs)

    def post(self, request):
        action = request.POST.get("action")
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            return redirect("visitors:kiosk")
        if action == "checkin":
            return self._check_in(request)
        if action == "code":
            form = KioskCodeForm(request.POST)
            visitor = (
                kiosk.visitor_from_token(form.data.get("code", "")) if form.is_valid() else None
            )
            if visitor is None:
                form.add_error(
                    "code",
                    _(
                        "We could not read this code. Try again, or type your "
                        "name below, or ask at the desk."
                    ),
                )
                return self.render_to_response(self.get_context_data(code_form=form))
        else:
            form = KioskNameForm(request.POST)
            visitor = kiosk.visitor_from_name(**form.cleaned_data) if form.is_valid() else None
            if visitor is None:
                if form.is_valid():
                    form.add_error(
                        None,
                        _(
                            "We could not find you this way. Please ask at the "
                            "desk: we are happy to help."
                        ),
                    )
                return self.render_to_response(self.get_context_data(name_form=form))
        request.session[SESSION_KEY] = {"pk": visitor.pk, "at": time.time()}
        return redirect("visitors:kiosk")

    def _check_in(self, request):
        visitor = _identified(request)
        if visitor is None:
            return redirect("visitors:kiosk")
        form = KioskPurposeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(purpose_form=form))
        try:
            visit = services.visit_log(
                visitor=visitor,
                purposes=form.cleaned_data["purposes"],
                logged_by=request.user,
                language=request.LANGUAGE_CODE,
                submission_key=form.cleaned_data["submission_key"],
                request=request,
            )
        except ValidationError:
            request.session.pop(SESSION_KEY, None)
            return redirect("visitors:kiosk_desk")
        request.session.pop(SESSION_KEY, None)
        request.session["kiosk_queued"] = [str(e.service) for e in visit.queue_entries.all()]
        return redirect("visitors:kiosk_done")


@method_decorator(never_cache, name="dispatch")
class KioskDoneView(PermissionRequired, TemplateView):
    permission_required = "accounts.use_kiosk"
    template_name = "visitors/kiosk_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(queued=self.request.session.pop("kiosk_queued", []))


class KioskDeskView(PermissionRequired, TemplateView):
    """When the kiosk cannot check someone in (e.g. no consent on record): go to the desk."""

    permission_required = "accounts.use_kiosk"
    template_name = "visitors/kiosk_desk.html"

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from accounts.access import PermissionRequired
from audit.services import audit_log
from consultations.models import Service
from consultations.selectors import (
    consultation_records,
    consultations_of_visitor,
    reader_for,
    services_served_by,
)
from core.form_errors import form_errors_from
from events.selectors import registrations_of_visitor
from visitors import erasure, kiosk, selectors, services
from visitors.export import readable_details, readable_export, visitor_export
from visitors.forms import (
    MergeForm,
    SearchForm,
    VisitForm,
    VisitorCreateForm,
    VisitorForm,
    WalkInForm,
)
from visitors.models import ConsentMethod, ConsentPurpose, QueueEntry, Visitor

# A person's page shows the most recent of each (the desk needs the latest; older visits are
# on the following pages).
TIMELINE_ROWS = 10


@method_decorator(never_cache, name="dispatch")
class DeskView(PermissionRequired, TemplateView):
    """The front desk: find a person, log an anonymous walk-in, today's visits, the queue."""

    permission_required = "accounts.use_front_desk"
    template_name = "visitors/desk.html"
    visits_per_page = 25

    def get_context_data(self, **kwargs):
        user = self.request.user
        search = SearchForm(self.request.GET or None)
        query = search.data.get("q", "") if search.is_bound and search.is_valid() else ""
        results = found = None
        if query:
            found = selectors.visitors_found(user=user, query=query)
            results = found.people
            services.search_audit(
                request=self.request, query=query, found=results, total=found.total
            )
        page = Paginator(selectors.visits_today(user=user), self.visits_per_page).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            search=search,
            query=query,
            results=results,
            total=found.total if found else 0,
            count_limit=selectors.COUNT_LIMIT,
            walk_in_form=kwargs.get("walk_in_form") or WalkInForm(),
            visits=page,
            queue=selectors.queue_open(user=user),
            **kwargs,
        )


class WalkInView(PermissionRequired, View):
    permission_required = "visitors.add_visit"

    def post(self, request):
        form = WalkInForm(request.POST)
        if not form.is_valid():
            # Every field is optional; only a tampered form gets here.
            messages.error(request, _("The walk-in was not logged. Please try again."))
            return redirect("visitors:desk")
        data = form.cleaned_data
        services.walk_in_log(
            logged_by=request.user,
            purposes=data["purposes"],
            citizenship=data["citizenship"],
            gender=data["gender"],
            age_band=data["age_band"],
            submission_key=data["submission_key"],
            request=request,
        )
        messages.success(request, _("Anonymous walk-in logged."))
        return redirect("visitors:desk")


@method_decorator(never_cache, name="dispatch")
class VisitorCreateView(PermissionRequired, FormView):
    """Register a person; warns about likely duplicates before creating one."""

    permission_required = "visitors.add_visitor"
    template_name = "visitors/visitor_form.html"
    form_class = VisitorCreateForm

    def get_initial(self):
        # What the desk searched for becomes the name, to type nothing twice.
        words = self.request.GET.get("q", "").split()
        if not words or any(ch.isdigit() or ch == "@" for ch in "".join(words)):
            return {}
        return {
            "given_name": " ".join(words[:-1]) or words[0],
            "family_name": words[-1] if len(words) > 1 else "",
        }

    def form_valid(self, form):
        extra = {"confirm_new", "consent_registration", "consent_contact"}
        data = {k: v for k, v in form.cleaned_data.items() if k not in extra}
        if not form.cleaned_data["confirm_new"]:
            query = " ".join(filter(None, [data["given_name"], data["family_name"]]))
            likely = selectors.visitors_search(user=self.request.user, query=query, limit=10)
            if data.get("phone"):
                likely += [
                    v
                    for v in selectors.visitors_search(
                        user=self.request.user, query=data["phone"], limit=5
                    )
                    if v not in likely
                ]
            services.search_audit(
                request=self.request, query=query, found=likely, purpose="duplicates"
            )
            if likely:
                return self.render_to_response(self.get_context_data(form=form, likely=likely))
        try:
            visitor = services.visitor_create(
                created_by=self.request.user,
                request=self.request,
                consent_method=ConsentMethod.PAPER,
                contact_consent=form.cleaned_data["consent_contact"],
                **data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is registered.") % {"name": visitor})
        return redirect("visitors:visit_log", pk=visitor.pk)


def _visitor_or_404(request, pk) -> Visitor:
    try:
        return selectors.visitor_for_staff(user=request.user, pk=pk)
    except Visitor.DoesNotExist:
        raise Http404 from None


class VisitorFromUrl:
    """For pages about one person: loads them through the permission-scoped selector, so
    someone who may not see this person learns nothing, not even that they exist (404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.visitor = _visitor_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(visitor=self.visitor, **kwargs)


@method_decorator(never_cache, name="dispatch")
class VisitLogView(VisitorFromUrl, PermissionRequired, FormView):
    permission_required = "visitors.add_visit"
    template_name = "visitors/visit_form.html"
    form_class = VisitForm

    def get_initial(self):
        return {"language": self.visitor.preferred_language}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.visit_log(
                visitor=self.visitor,
                purposes=data["purposes"],
                logged_by=self.request.user,
                language=data["language"],
                note=data["note"],
                occurred_at=data["occurred_at"],
                submission_key=data["submission_key"],
                request=self.request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit logged for %(name)s.") % {"name": self.visitor})
        return redirect("visitors:desk")


@method_decorator(never_cache, name="dispatch")
class VisitorDetailView(LoginRequiredMixin, TemplateView):
    """A person's record. Whoever may not see it gets 404, as if it did not exist."""

    template_name = "visitors/visitor_detail.html"

    def get_context_data(self, **kwargs):
        visitor = _visitor_or_404(self.request, self.kwargs["pk"])
        user = self.request.user
        audit_log(request=self.request, action="visitor.view", obj=visitor)
        visits = Paginator(selectors.visits_of_visitor(visitor=visitor), TIMELINE_ROWS).get_page(
            self.request.GET.get("page")
        )
        reader = reader_for(user)
        consultations = consultations_of_visitor(user=user, visitor=visitor, reader=reader)
        registrations = registrations_of_visitor(user=user, visitor=visitor)
        return super().get_context_data(
            visitor=visitor,
            visits=visits,
            consents=selectors.consents_of_visitor(visitor=visitor),
            registrations=registrations[:TIMELINE_ROWS],
            consultations=consultation_records(
                user=user,
                consultations=consultations[:TIMELINE_ROWS],
                request=self.request,
                reader=reader,
            ),
            timeline_rows=TIMELINE_ROWS,
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class QueueView(PermissionRequired, TemplateView):
    """An adviser's queue for their service: who waits, since when; call the next one."""

    permission_required = "visitors.change_queueentry"
    template_name = "visitors/queue.html"

    def get_service(self):
        service = get_object_or_404(Service, code=self.kwargs["code"], gives_consultations=True)
        if service not in services_served_by(self.request.user):
            raise Http404
        return service

    def get_context_data(self, **kwargs):
        service = self.get_service()
        return super().get_context_data(
            service=service,
            entries=selectors.queue_open(user=self.request.user, service=service),
            **kwargs,
        )

    def post(self, request, code):
        service = self.get_service()
        entry = services.queue_call_next(service=service, called_by=request.user, request=request)
        if entry is None:
            messages.info(request, _("Nobody is waiting."))
        else:
            messages.success(request, _("Please call in: %(name)s.") % {"name": _queue_name(entry)})
        return redirect("visitors:queue", code=service.code)


def _queue_name(entry: QueueEntry) -> str:
    return str(entry.visit.visitor) if entry.visit.visitor else _("anonymous walk-in")


class QueueEntryCloseView(PermissionRequired, View):
    permission_required = "visitors.change_queueentry"

    def post(self, request, pk):
        served = services_served_by(request.user)
        entry = get_object_or_404(QueueEntry, pk=pk, service__in=served)
        status = request.POST.get("status")
        try:
            services.queue_entry_close(
                entry=entry, status=status, closed_by=request.user, request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("visitors:queue", kwargs={"code": entry.service.code}))


@method_decorator(never_cache, name="dispatch")
class VisitorUpdateView(VisitorFromUrl, PermissionRequired, FormView):
    permission_required = "visitors.change_visitor"
    template_name = "visitors/visitor_edit.html"
    form_class = VisitorForm

    def get_form_kwargs(self):
        # A scratch copy: a refused edit must not leave half-changed values on the record.
        return {**super().get_form_kwargs(), "instance": Visitor.objects.get(pk=self.visitor.pk)}

    def form_valid(self, form):
        try:
            services.visitor_update(
                visitor=self.visitor,
                changed_by=self.request.user,
                request=self.request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("visitors:visitor_detail", pk=self.visitor.pk)


class ConsentChangeView(PermissionRequired, View):
    """Record or withdraw a consent from the person's page (the desk, on their word)."""

    permission_required = "visitors.change_visitor"

    def post(self, request, pk):
        visitor = _visitor_or_404(request, pk)
        purpose = request.POST.get("purpose")
        if purpose not in ConsentPurpose.values:
            raise Http404
        if request.POST.get("action") == "withdraw":
            services.consent_withdraw(
                visitor=visitor, purpose=purpose, withdrawn_by=request.user, request=request
            )
            messages.success(request, _("Consent withdrawn."))
        else:
            services.consent_give(
                visitor=visitor,
                purpose=purpose,
                method=ConsentMethod.PAPER,
                recorded_by=request.user,
                request=request,
            )
            messages.success(request, _("Consent recorded."))
        return redirect("visitors:visitor_detail", pk=visitor.pk)


class VisitorMergeView(VisitorFromUrl, PermissionRequired, FormView):
    permission_required = "visitors.change_visitor"
    template_name = "visitors/visitor_merge.html"
    form_class = MergeForm

    def form_valid(self, form):
        try:
            duplicate = selectors.visitor_for_staff(
                user=self.request.user, pk=form.cleaned_data["duplicate"]
            )
            services.visitors_merge(
                survivor=self.visitor,
                duplicate=duplicate,
                merged_by=self.request.user,
                request=self.request,
            )
        except Visitor.DoesNotExist:
            form.add_error("duplicate", _("There is no current record with this number."))
            return self.form_invalid(form)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Records merged."))
        return redirect("visitors:visitor_detail", pk=self.visitor.pk)


class ErasureRequestView(PermissionRequired, View):
    """The desk passes on a person's request to have their data erased."""

    permission_required = "visitors.change_visitor"

    def post(self, request, pk):
        visitor = _visitor_or_404(request, pk)
        erasure.erasure_request(visitor=visitor, requested_by=request.user, request=request)
        messages.success(request, _("The request was sent to the administrator for a decision."))
        return redirect("visitors:visitor_detail", pk=visitor.pk)


class MyErasureRequestView(LoginRequiredMixin, View):
    """A visitor asks for their own data to be erased."""

    def post(self, request):
        visitor = Visitor.objects.filter(user=request.user, erased_at__isnull=True).first()
        if visitor is None:
            raise Http404
        erasure.erasure_request(visitor=visitor, requested_by=request.user, request=request)
        messages.success(
            request,
            _(
                "We have your request. Your data will be erased after a "
                "check, and we will not keep anything that names you."
            ),
        )
        return redirect("accounts:my_account")


def _export_response(request, visitor: Visitor, *, as_json: bool, template: str):
    audit_log(
        request=request,
        action="visitor.export",
        obj=visitor,
        details={"format": "json" if as_json else "page"},
    )
    data = visitor_export(visitor=visitor, reader=request.user, request=request)
    if as_json:
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="micenter-data-{visitor.pk}.json"'
        return response
    return TemplateResponse(
        request,
        template,
        {
            "visitor": visitor,
            "data": readable_export(data),
            "details": readable_details(visitor=visitor),
        },
    )


@method_decorator(never_cache, name="dispatch")
class VisitorExportView(LoginRequiredMixin, View):
    """The desk prints or downloads a person's data for them (404 for whoever may not see)."""

    def get(self, request, pk):
        visitor = _visitor_or_404(request, pk)
        if not request.user.has_perm("visitors.change_visitor"):
            raise PermissionDenied
        return _export_response(
            request,
            visitor,
            as_json=request.GET.get("format") == "json",
            template="visitors/visitor_data.html",
        )


@method_decorator(never_cache, name="dispatch")
class MyDataView(LoginRequiredMixin, View):
    """A visitor sees, and downloads, what the centre keeps about them."""

    def get(self, request):
        visitor = Visitor.objects.filter(user=request.user, erased_at__isnull=True).first()
        if visitor is None:
            return TemplateResponse(request, "visitors/my_data_none.html")
        return _export_response(
            request,
            visitor,
            as_json=request.GET.get("format") == "json",
            template="visitors/visitor_data.html",
        )


class AccountLinkView(PermissionRequired, View):
    permission_required = "visitors.change_visitor"

    def post(self, request, pk):
        visitor = _visitor_or_404(request, pk)
        try:
            services.visitor_account_link(
                visitor=visitor,
                email=request.POST.get("email", ""),
                linked_by=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The account is linked to this record."))
        return redirect("visitors:visitor_detail", pk=visitor.pk)


@method_decorator(never_cache, name="dispatch")
class MyCardView(LoginRequiredMixin, TemplateView):
    """A visitor's personal QR code, to check in at the entrance kiosk."""

    template_name = "visitors/my_card.html"

    def get_context_data(self, **kwargs):
        visitor = Visitor.objects.filter(user=self.request.user, erased_at__isnull=True).first()
        qr = kiosk.checkin_qr_svg(visitor) if visitor else None
        return super().get_context_data(visitor=visitor, qr=qr, **kwargs)

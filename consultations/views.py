from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from accounts.access import PermissionRequired
from consultations import selectors, services
from consultations.forms import (
    BreakGlassForm,
    ConsultationForm,
    FollowUpForm,
    GroupSessionForm,
    ListFilterForm,
    ReferralForm,
    ReferralStatusForm,
)
from consultations.models import BreakGlassGrant, Consultation, Referral
from core.form_errors import form_errors_from
from visitors.models import QueueEntry, Visitor
from visitors.selectors import visitors_search, visitors_visible_to


def _log(request, data, **participants):
    """Record a consultation from a form's data (the fields every consultation form has)."""
    partner = data.get("referral_partner")
    return services.consultation_log(
        consultant=request.user,
        service=data["service"],
        started_at=data["started_at"],
        duration_minutes=data["duration_minutes"],
        mode=data["mode"],
        language=data["language"],
        interpreter=data["interpreter"],
        topics=data["topics"],
        outcome=data["outcome"],
        notes=data["notes"],
        follow_up_on=data["follow_up_on"],
        referrals=[(partner, data.get("referral_note", ""))] if partner else [],
        submission_key=data["submission_key"],
        request=request,
        **participants,
    )


@method_decorator(never_cache, name="dispatch")
class WorklistView(PermissionRequired, TemplateView):
    """An adviser's start page: today's consultations, queue, follow-ups, recent people."""

    permission_required = "accounts.give_consultations"
    template_name = "consultations/worklist.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            worklist=selectors.worklist_of(user=user, request=self.request),
            today=timezone.localdate(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ConsultationCreateView(PermissionRequired, FormView):
    """Record one consultation: for the person called from the queue (?queue=ID), for a
    registered person (?visitor=ID), or for an anonymous caller (neither)."""

    permission_required = "consultations.add_consultation"
    template_name = "consultations/consultation_form.html"
    form_class = ConsultationForm

    def dispatch(self, request, *args, **kwargs):
        self.queue_entry = self.visitor = None
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            served = selectors.services_served_by(request.user)
            if request.GET.get("queue"):
                self.queue_entry = get_object_or_404(
                    QueueEntry.objects.select_related("visit__visitor", "service"),
                    pk=_number(request.GET["queue"]),
                    service__in=served,
                    status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED],
                )
                self.visitor = self.queue_entry.visit.visitor
            elif request.GET.get("visitor"):
                self.visitor = get_object_or_404(
                    visitors_visible_to(request.user), pk=_number(request.GET["visitor"])
                )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "consultant": self.request.user}

    def get_initial(self):
        initial = {}
        if self.queue_entry is not None:
            initial["service"] = self.queue_entry.service
            initial["language"] = self.queue_entry.visit.language
        elif self.visitor is not None:
            initial["language"] = self.visitor.preferred_language
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.queue_entry is not None:
            form.fields["service"].disabled = True
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            queue_entry=self.queue_entry, visitor=self.visitor, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            consultation = _log(
                self.request,
                data,
                queue_entry=self.queue_entry,
                visitors=[self.visitor] if self.visitor and not self.queue_entry else [],
                anonymous=0 if self.visitor or self.queue_entry else 1,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Consultation recorded."))
        if self.queue_entry is not None:
            return redirect("visitors:queue", code=self.queue_entry.service.code)
        return redirect("consultations:detail", pk=consultation.pk)


def _number(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise Http404 from None


@method_decorator(never_cache, name="dispatch")
class GroupSessionCreateView(PermissionRequired, FormView):
    permission_required = "consultations.add_consultation"
    template_name = "consultations/group_form.html"
    form_class = GroupSessionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "consultant": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        numbers = data["participants"]
        people = {v.pk: v for v in visitors_visible_to(self.request.user).filter(pk__in=numbers)}
        missing = [str(n) for n in numbers if n not in people]
        if missing:
            form.add_error(
                "participants",
                _("No current record has the number %(numbers)s.")
                % {"numbers": ", ".join(missing)},
            )
            return self.form_invalid(form)
        try:
            consultation = _log(
                self.request,
                data,
                visitors=[people[n] for n in numbers],
                anonymous=data["anonymous"],
                is_group=True,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Group session recorded."))
        return redirect("consultations:detail", pk=consultation.pk)


def _readable_or_404(request, pk) -> Consultation:
    try:
        return selectors.consultation_for_reading(user=request.user, pk=pk, request=request)
    except Consultation.DoesNotExist:
        raise Http404 from None


@method_decorator(never_cache, name="dispatch")
class ConsultationDetailView(PermissionRequired, TemplateView):
    """One record in full, for those who may read it; 404 for everyone else."""

    permission_required = "consultations.view_consultation"
    template_name = "consultations/consultation_detail.html"

    def has_permission(self):
        # Administrators read through break-glass access, without the model permission.
        user = self.request.user
        return super().has_permission() or user.has_perm("accounts.administer_centre")

    def get_context_data(self, **kwargs):
        consultation = _readable_or_404(self.request, self.kwargs["pk"])
        may_change = self.request.user.has_perm(
            "consultations.change_consultation"
        ) and consultation.service in selectors.services_served_by(self.request.user)
        return super().get_context_data(
            consultation=consultation,
            may_change=may_change,
            follow_up_form=FollowUpForm(initial={"follow_up_on": consultation.follow_up_on}),
            referral_form=ReferralForm(),
            statuses=Referral.Status.choices,
            **kwargs,
        )


class _ChangeOwnServiceRecord(PermissionRequired, View):
    permission_required = "consultations.change_consultation"

    def consultation(self, pk) -> Consultation:
        consultation = _readable_or_404(self.request, pk)
        if consultation.service not in selectors.services_served_by(self.request.user):
            raise PermissionDenied
        return consultation


class FollowUpView(_ChangeOwnServiceRecord):
    def post(self, request, pk):
        consultation = self.consultation(pk)
        if request.POST.get("action") == "done":
            services.follow_up_done(
                consultation=consultation, done_by=request.user, request=request
            )
            messages.success(request, _("Follow-up marked as done."))
        else:
            form = FollowUpForm(request.POST)
            try:
                if not form.is_valid():
                    raise ValidationError(form.errors["follow_up_on"])
                services.follow_up_reschedule(
                    consultation=consultation,
                    on=form.cleaned_data["follow_up_on"],
                    changed_by=request.user,
                    request=request,
                )
                messages.success(request, _("Follow-up rescheduled."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("consultations:worklist")
        return redirect(target)


class ReferralCreateView(_ChangeOwnServiceRecord):
    permission_required = "consultations.add_referral"

    def post(self, request, pk):
        consultation = self.consultation(pk)
        form = ReferralForm(request.POST)
        if form.is_valid():
            try:
                services.referral_create(
                    consultation=consultation,
                    partner=form.cleaned_data["partner"],
                    note=form.cleaned_data["note"],
                    made_by=request.user,
                    request=request,
                )
                messages.success(request, _("Referral recorded."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose the organisation the person is sent to."))
        return redirect("consultations:detail", pk=consultation.pk)


class ReferralStatusView(_ChangeOwnServiceRecord):
    permission_required = "consultations.change_referral"

    def post(self, request, pk):
        referral = get_object_or_404(Referral.objects.only("consultation_id"), pk=pk)
        consultation = self.consultation(referral.consultation_id)
        referral = consultation.referrals.get(pk=pk)
        form = ReferralStatusForm(request.POST)
        if form.is_valid():
            services.referral_status_set(
                referral=referral,
                status=form.cleaned_data["status"],
                changed_by=request.user,
                request=request,
            )
            messages.success(request, _("Referral updated."))
        return redirect("consultations:detail", pk=consultation.pk)


@method_decorator(never_cache, name="dispatch")
class ConsultationListView(PermissionRequired, TemplateView):
    """The records of my services, filtered by person, service and dates."""

    permission_required = "accounts.give_consultations"
    template_name = "consultations/consultation_list.html"
    per_page = 30

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = ListFilterForm(self.request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        visitor_ids = None
        if data.get("q"):
            visitor_ids = [v.pk for v in visitors_search(user=user, query=data["q"])]
        rows = selectors.consultations_list(
            user=user,
            service=data.get("service"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            visitor_ids=visitor_ids,
        )
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get("page"))
        records = selectors.consultation_records(
            user=user, consultations=page.object_list, request=self.request
        )
        return super().get_context_data(form=form, page=page, records=records, **kwargs)


class PartnerListView(PermissionRequired, TemplateView):
    permission_required = "consultations.view_partnerorganisation"
    template_name = "consultations/partner_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(partners=selectors.partners_active(), **kwargs)


@method_decorator(never_cache, name="dispatch")
class BreakGlassView(PermissionRequired, FormView):
    """An administrator asks for time-limited access to one person's records."""

    permission_required = "accounts.administer_centre"
    template_name = "consultations/break_glass.html"
    form_class = BreakGlassForm

    def form_valid(self, form):
        visitor = Visitor.objects.filter(
            pk=form.cleaned_data["visitor"], merged_into__isnull=True, erased_at__isnull=True
        ).first()
        if visitor is None:
            form.add_error("visitor", _("No current record has this number."))
            return self.form_invalid(form)
        try:
            services.break_glass_grant(
                user=self.request.user,
                visitor=visitor,
                reason=form.cleaned_data["reason"],
                request=self.request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        return redirect("consultations:break_glass_records", pk=visitor.pk)


@method_decorator(never_cache, name="dispatch")
class BreakGlassRecordsView(PermissionRequired, TemplateView):
    permission_required = "accounts.administer_centre"
    template_name = "consultations/break_glass_records.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        reader = selectors.reader_for(user)
        if self.kwargs["pk"] not in reader.glass:
            raise Http404
        visitor = Visitor.objects.get(pk=self.kwargs["pk"])
        rows = selectors.consultations_of_visitor(user=user, visitor=visitor, reader=reader)
        grant = BreakGlassGrant.objects.filter(user=user, visitor=visitor).first()
        return super().get_context_data(
            visitor=visitor,
            grant=grant,
            records=selectors.consultation_records(
                user=user, consultations=rows[:200], request=self.request, reader=reader
            ),
            **kwargs,
        )


class BreakGlassReportView(PermissionRequired, TemplateView):
    """The audit report of break-glass access: who, which person, why, when, how much read."""

    permission_required = "accounts.administer_centre"
    template_name = "consultations/break_glass_report.html"

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.break_glass_report(), 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)

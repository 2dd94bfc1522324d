"""Pages for the event coordinator (and the desk's walk-in registration): events, their
sessions, registrations, messages and cancellations."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from accounts.access import PermissionRequired
from core.form_errors import form_errors_from
from events import selectors, services
from events.forms import (
    EventForm,
    MessageForm,
    NewEventForm,
    SessionMoveForm,
    WalkInRegistrationForm,
)
from events.models import Event, Occurrence, Registration
from events.views.common import cancel_with_message, number_or_404, staff_event_or_404
from visitors.selectors import visitors_visible_to


@method_decorator(never_cache, name="dispatch")
class StaffHomeView(PermissionRequired, TemplateView):
    """The coordinator's start page (and the desk's way to check people in)."""

    permission_required = "events.view_event"
    template_name = "events/staff_home.html"

    def get_context_data(self, **kwargs):
        events = selectors.events_for_staff(user=self.request.user)
        page = Paginator(events, 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


@method_decorator(never_cache, name="dispatch")
class EventCreateView(PermissionRequired, FormView):
    permission_required = "events.add_event"
    template_name = "events/event_form.html"
    form_class = NewEventForm

    def form_valid(self, form):
        try:
            event = services.event_save(
                event=form.save(commit=False),
                occurrences=form.session_times(),
                saved_by=self.request.user,
                request=self.request,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Event saved as a draft. Publish it when ready."))
        return redirect("events:manage", pk=event.pk)


@method_decorator(never_cache, name="dispatch")
class EventUpdateView(PermissionRequired, FormView):
    permission_required = "events.change_event"
    template_name = "events/event_form.html"
    form_class = EventForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.event = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required):
            self.event = staff_event_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.event}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        try:
            services.event_save(
                event=form.save(commit=False), saved_by=self.request.user, request=self.request
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Event saved."))
        return redirect("events:manage", pk=self.event.pk)


@method_decorator(never_cache, name="dispatch")
class EventManageView(PermissionRequired, TemplateView):
    """One event for staff: sessions and places, registrations and the waitlist, and the
    coordinator's actions."""

    permission_required = "events.view_registration"
    template_name = "events/event_manage.html"

    def get_context_data(self, **kwargs):
        event = staff_event_or_404(self.request, self.kwargs["pk"])
        sessions = list(selectors.sessions_of(event))
        registrations = list(selectors.registrations_of_event(event=event))
        waitlists = {}
        for registration in registrations:
            if registration.status == Registration.Status.WAITLISTED:
                scope = registration.occurrence_id
                waitlists[scope] = waitlists.get(scope, 0) + 1
                registration.position = waitlists[scope]
        # Cancelled by the centre with no email to tell them by: staff call them.
        to_call = [r for r in registrations if r.cancelled_by_centre and not r.email_address]
        return super().get_context_data(
            event=event,
            sessions=sessions,
            registrations=registrations,
            to_call=to_call,
            walk_in_form=kwargs.pop("walk_in_form", None)
            or WalkInRegistrationForm(
                event=event,
                sessions=[s for s in sessions if s.starts_at > timezone.now()],
                prefix="walkin",
            ),
            message_form=MessageForm(prefix="message"),
            move_form=SessionMoveForm(prefix="move"),
            missing=event.missing_translations(),
            **kwargs,
        )


class RegistrationToldView(PermissionRequired, View):
    """A coordinator marks a phone-only registrant as told of the centre's cancellation."""

    permission_required = "events.change_registration"

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        staff_event_or_404(request, registration.event_id)
        services.registration_told(registration=registration, told_by=request.user, request=request)
        return redirect("events:manage", pk=registration.event_id)


class _EventAction(PermissionRequired, View):
    permission_required = "events.change_event"

    def event(self, pk) -> Event:
        return staff_event_or_404(self.request, pk)

    def done(self, event, text=None, error=None):
        if error is not None:
            messages.error(self.request, " ".join(error.messages))
        elif text:
            messages.success(self.request, text)
        return redirect("events:manage", pk=event.pk)


class EventPublishView(_EventAction):
    def post(self, request, pk):
        event = self.event(pk)
        try:
            services.event_publish(event=event, published_by=request.user, request=request)
        except ValidationError as error:
            return self.done(event, error=error)
        return self.done(event, _("Published."))


class EventDuplicateView(_EventAction):
    permission_required = "events.add_event"

    def post(self, request, pk):
        event = self.event(pk)
        weeks = number_or_404(request.POST.get("weeks"), default=13)
        copy = services.event_duplicate(
            event=event,
            shift=timedelta(weeks=max(1, min(weeks, 104))),
            duplicated_by=request.user,
            request=request,
        )
        messages.success(request, _("A draft copy was made. Check its dates and publish it."))
        return redirect("events:manage", pk=copy.pk)


class EventCancelView(_EventAction):
    def post(self, request, pk):
        event = self.event(pk)
        told = services.event_cancel(event=event, cancelled_by=request.user, request=request)
        return self.done(event, _("Event cancelled; %(count)s people were told.") % {"count": told})


class MessageView(_EventAction):
    permission_required = "events.add_message"

    def post(self, request, pk):
        event = self.event(pk)
        form = MessageForm(request.POST, prefix="message")
        if not form.is_valid():
            # The form's own messages: a missing subject, a message too long.
            messages = [message for errors in form.errors.values() for message in errors]
            return self.done(event, error=ValidationError(messages))
        told = services.message_send(
            event=event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            sent_by=request.user,
            request=request,
        )
        return self.done(event, _("Message sent to %(count)s people.") % {"count": told})


class SessionChangeView(_EventAction):
    def post(self, request, pk):
        occurrence = get_object_or_404(Occurrence, pk=pk)
        event = self.event(occurrence.event_id)
        try:
            if request.POST.get("action") == "cancel":
                told = services.occurrence_change(
                    occurrence=occurrence, cancel=True, changed_by=request.user, request=request
                )
            else:
                form = SessionMoveForm(request.POST, prefix="move")
                if not form.is_valid():
                    raise ValidationError(_("Enter the new start time."))
                told = services.occurrence_change(
                    occurrence=occurrence,
                    starts_at=form.cleaned_data["starts_at"],
                    changed_by=request.user,
                    request=request,
                )
        except ValidationError as error:
            return self.done(event, error=error)
        return self.done(event, _("Session changed; %(count)s people were told.") % {"count": told})


class WalkInRegisterView(EventManageView):
    """The coordinator or the desk registers someone who asked in person, linked to their
    record (on an error, the event's page again with the form's errors)."""

    permission_required = "events.add_registration"
    http_method_names = ["post"]

    def post(self, request, pk):
        event = staff_event_or_404(request, pk)
        sessions = [s for s in selectors.sessions_of(event) if s.starts_at > timezone.now()]
        form = WalkInRegistrationForm(request.POST, event=event, sessions=sessions, prefix="walkin")
        if form.is_valid():
            data = form.cleaned_data
            person = visitors_visible_to(request.user).filter(pk=data["visitor"]).first()
            if person is None:
                form.add_error("visitor", _("No current record has this number."))
            else:
                occurrence = next((s for s in sessions if s.pk == data.get("occurrence")), None)
                try:
                    registration = services.registration_create(
                        event=event,
                        occurrence=occurrence,
                        household_size=data["household_size"],
                        visitor=person,
                        language=person.preferred_language or request.LANGUAGE_CODE,
                        join_waitlist=data["join_waitlist"],
                        created_by=request.user,
                        request=request,
                    )
                except ValidationError as error:
                    form_errors_from(form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s is registered: %(status)s.")
                        % {"name": person, "status": registration.get_status_display()},
                    )
                    return redirect("events:manage", pk=event.pk)
        return self.render_to_response(self.get_context_data(walk_in_form=form))


class StaffCancelView(PermissionRequired, View):
    permission_required = "events.change_registration"

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        event = staff_event_or_404(request, registration.event_id)
        cancel_with_message(request, registration, _("Registration cancelled."))
        return redirect("events:manage", pk=event.pk)

import csv
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from accounts.access import PermissionRequired
from events import calendar, selectors, services
from events.forms import (
    EventFilterForm,
    EventForm,
    MessageForm,
    NewEventForm,
    RegistrationForm,
    SessionMoveForm,
    WalkInRegistrationForm,
)
from events.models import Event, Occurrence, Registration
from micenter.csv_safety import csv_safe
from micenter.form_errors import form_errors_from
from visitors.selectors import visitors_visible_to


def _number(text, default=None) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        if default is None:
            raise Http404 from None
        return default


# --- Public pages ----------------------------------------------------------------------------


class EventListView(TemplateView):
    """What is on: upcoming public events, filtered by date, kind, audience and language."""

    template_name = "events/event_list.html"
    per_page = 20

    def get_context_data(self, **kwargs):
        form = EventFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page = Paginator(selectors.events_public(**filters), self.per_page).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(form=form, page=page, **kwargs)


def _render_view(view_class, request, **kwargs):
    """A page view's response for a POST that failed (form errors shown, input kept)."""
    view = view_class()
    view.setup(request, pk=kwargs["pk"])
    return TemplateResponse(request, view.template_name, view.get_context_data(**kwargs))


def _public_event_or_404(pk) -> Event:
    try:
        return selectors.event_public(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        event = _public_event_or_404(self.kwargs["pk"])
        for session in event.upcoming:
            places = session.places
            session.left = None if places is None else max(0, places - session.taken)
        form = kwargs.pop("form", None) or _registration_form(self.request, event)
        cohort_left = None
        if event.is_cohort and event.capacity is not None:
            cohort_left = max(0, event.capacity - selectors.cohort_places_taken(event))
        return super().get_context_data(
            event=event,
            form=form,
            cohort_left=cohort_left,
            offer_waitlist=kwargs.pop("offer_waitlist", False),
            registration_open=event.registration_open(),
            opens_later=bool(
                event.registration_opens_at and timezone.now() < event.registration_opens_at
            ),
            **kwargs,
        )


def _registration_form(request, event, data=None):
    return RegistrationForm(
        data,
        event=event,
        sessions=event.upcoming,
        guest=not request.user.is_authenticated,
        prefix="register",
    )


class RegisterView(View):
    """Register for a public event. A full session offers the waitlist and keeps what was
    typed; a guest who gave an email confirms it by a link first."""

    def post(self, request, pk):
        event = _public_event_or_404(pk)
        form = _registration_form(request, event, request.POST)
        if request.user.is_authenticated and request.user.is_centre_staff:
            messages.error(request, _("Staff register people from the event's staff page."))
            return redirect("events:detail", pk=event.pk)
        offer_waitlist = False
        guest = not request.user.is_authenticated
        if guest and not _guest_allowed(request):
            form.add_error(
                None, _("Too many registrations from here in the last hour. Please call us.")
            )
        elif form.is_valid():
            data = form.cleaned_data
            occurrence = None
            if not event.is_cohort:
                occurrence = next(s for s in event.upcoming if s.pk == data["occurrence"])
            try:
                registration = services.registration_create(
                    event=event,
                    occurrence=occurrence,
                    household_size=data["household_size"],
                    user=None if guest else request.user,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    language=request.LANGUAGE_CODE,
                    join_waitlist=data["join_waitlist"],
                    confirm_email=guest,
                    request=request,
                )
            except ValidationError as error:
                codes = {error.code, *(e.code for e in getattr(error, "error_list", []))}
                if guest and "duplicate" in codes:
                    # A guest is not told whether someone is registered already: the same
                    # page as for a new registration.
                    return _check_email_for(event, occurrence, data["household_size"])
                offer_waitlist = "full" in codes
                form_errors_from(form, error)
            else:
                if registration.status == Registration.Status.AWAITING_EMAIL:
                    return _check_email_for(event, occurrence, data["household_size"])
                return redirect("events:registered", token=services.cancel_token(registration))
        return _render_view(
            EventDetailView, request, pk=pk, form=form, offer_waitlist=offer_waitlist
        )


def _guest_allowed(request) -> bool:
    """At most MICENTER_GUEST_REGISTRATIONS_PER_HOUR guest registrations an hour from one
    address, so that nobody fills a session with made-up names (0: no limit)."""
    limit = settings.MICENTER_GUEST_REGISTRATIONS_PER_HOUR
    if not limit:
        return True
    key = f"guest-registrations:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the cache lost the key: start again
        cache.set(key, 1, timeout=3600)
        return True
    # With Redis down the cache answers nothing: registering matters more than the limit.
    return count is None or count <= limit


def _check_email_for(event, occurrence, places: int):
    """The "check your email" page, telling the guest how many places are left for what
    they chose (public, like the event page) and so what confirming will give them."""
    query = {"event": event.pk, "places": places}
    if occurrence is not None:
        query["session"] = occurrence.pk
    return redirect(f"{reverse('events:check_email')}?{urlencode(query)}")


class CheckEmailView(TemplateView):
    """After a guest registers with an email: the same words whatever happened, so nobody
    can find out from here whether an address is registered; and how many places are left
    for the session they chose, with what happens if there are too few when they confirm."""

    template_name = "events/check_email.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = Event.objects.public().filter(pk=_number(self.request.GET.get("event"), 0))
        event = event.first()
        if event is None:
            return context
        session = None
        if not event.is_cohort:
            session = event.occurrences.filter(pk=_number(self.request.GET.get("session"), 0))
            session = session.first()
            if session is None:
                return context
        context.update(
            places_left=services.places_left(event=event, occurrence=session),
            others_waiting=services.someone_waits(event=event, occurrence=session),
            asked=max(1, _number(self.request.GET.get("places"), 1)),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class RegisteredView(TemplateView):
    """What happened, in plain words: a place, a waitlist position, or "check your email"."""

    template_name = "events/registered.html"

    def get_context_data(self, **kwargs):
        try:
            registration = services.registration_from_cancel_token(self.kwargs["token"])
        except ValidationError:
            raise Http404 from None
        return super().get_context_data(
            registration=registration,
            position=services.waitlist_position(registration),
            why_waiting=services.waiting_reason(registration),
            **kwargs,
        )


class ConfirmEmailView(View):
    def get(self, request, token):
        try:
            registration = services.registration_email_confirm(token=token)
        except ValidationError as error:
            return TemplateResponse(
                request, "events/link_problem.html", {"problem": " ".join(error.messages)}
            )
        return redirect("events:registered", token=services.cancel_token(registration))


@method_decorator(never_cache, name="dispatch")
class CancelView(View):
    """The link in every email: shows the registration and cancels it on a button press
    (a link preview or a mail scanner only GETs, and cancels nothing)."""

    def _registration(self, token):
        return services.registration_from_cancel_token(token)

    def get(self, request, token):
        try:
            registration = self._registration(token)
        except ValidationError as error:
            return TemplateResponse(
                request, "events/link_problem.html", {"problem": " ".join(error.messages)}
            )
        return TemplateResponse(request, "events/cancel.html", {"registration": registration})

    def post(self, request, token):
        try:
            registration = self._registration(token)
        except ValidationError as error:
            return TemplateResponse(
                request, "events/link_problem.html", {"problem": " ".join(error.messages)}
            )
        services.registration_cancel(registration=registration, request=request)
        messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
        return redirect("events:detail", pk=registration.event_id)


@method_decorator(never_cache, name="dispatch")
class MyRegistrationsView(LoginRequiredMixin, TemplateView):
    template_name = "events/my_registrations.html"

    def get_context_data(self, **kwargs):
        registrations = list(selectors.registrations_of_user(user=self.request.user)[:100])
        now = timezone.now()
        for registration in registrations:
            registration.position = services.waitlist_position(registration)
            sessions = registration.event.sessions
            starts = (
                registration.occurrence.starts_at
                if registration.occurrence
                else min((s.starts_at for s in sessions), default=None)
            )
            registration.begun = starts is not None and starts <= now
        return super().get_context_data(registrations=registrations, **kwargs)


def _cancel(request, registration, done_message) -> None:
    """Cancel by the signed-in person, telling them the outcome (or why not, e.g. begun)."""
    try:
        services.registration_cancel(
            registration=registration, cancelled_by=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)


class MyRegistrationCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        registration = get_object_or_404(selectors.registrations_of_user(user=request.user), pk=pk)
        _cancel(
            request, registration, _("Your registration is cancelled. Thank you for telling us.")
        )
        return redirect("events:mine")


def feed_all(request):
    """All public events' coming sessions, for a calendar application (cancelled ones
    marked so, for the applications to remove them)."""
    return _ics(calendar.feed(events=calendar.events_in_calendars()), "micenter.ics")


def feed_event(request, pk):
    """One event's sessions, past ones too; still there, marked cancelled, once cancelled."""
    event = calendar.events_in_calendars().filter(pk=pk).first()
    if event is None:
        raise Http404
    return _ics(calendar.event_file(event=event), f"event-{event.pk}.ics")


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Staff pages -----------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class StaffHomeView(PermissionRequired, TemplateView):
    """The coordinator's start page (and the desk's way to check people in)."""

    permission_required = "events.view_event"
    template_name = "events/staff_home.html"

    def get_context_data(self, **kwargs):
        events = selectors.events_for_staff(user=self.request.user)
        page = Paginator(events, 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


def _staff_event_or_404(request, pk) -> Event:
    try:
        return selectors.event_for_staff(user=request.user, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


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
            self.event = _staff_event_or_404(request, kwargs["pk"])
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
        event = _staff_event_or_404(self.request, self.kwargs["pk"])
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
        _staff_event_or_404(request, registration.event_id)
        services.registration_told(registration=registration, told_by=request.user, request=request)
        return redirect("events:manage", pk=registration.event_id)


class _EventAction(PermissionRequired, View):
    permission_required = "events.change_event"

    def event(self, pk) -> Event:
        return _staff_event_or_404(self.request, pk)

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
        weeks = _number(request.POST.get("weeks"), default=13)
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


class WalkInRegisterView(PermissionRequired, View):
    """The coordinator or the desk registers someone who asked in person, linked to their
    record."""

    permission_required = "events.add_registration"

    def post(self, request, pk):
        event = _staff_event_or_404(request, pk)
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
        return _render_view(EventManageView, request, pk=pk, walk_in_form=form)


class StaffCancelView(PermissionRequired, View):
    permission_required = "events.change_registration"

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        event = _staff_event_or_404(request, registration.event_id)
        _cancel(request, registration, _("Registration cancelled."))
        return redirect("events:manage", pk=event.pk)


def _session_for_staff(request, pk) -> Occurrence:
    occurrence = get_object_or_404(Occurrence.objects.select_related("event"), pk=pk)
    _staff_event_or_404(request, occurrence.event_id)
    return occurrence


@method_decorator(never_cache, name="dispatch")
class CheckInView(PermissionRequired, TemplateView):
    """At the door, on a phone: find a name, one tap."""

    permission_required = "events.add_attendance"
    template_name = "events/check_in.html"

    def get_context_data(self, **kwargs):
        occurrence = _session_for_staff(self.request, self.kwargs["pk"])
        query = self.request.GET.get("q", "")[:100]
        rows = selectors.check_in_list(occurrence=occurrence, query=query)
        return super().get_context_data(
            occurrence=occurrence,
            rows=rows,
            query=query,
            present=sum(r.household_size for r in rows if r.present),
            **kwargs,
        )

    def post(self, request, pk):
        occurrence = _session_for_staff(request, pk)
        registration = get_object_or_404(
            Registration, pk=_number(request.POST.get("registration")), event=occurrence.event
        )
        try:
            if request.POST.get("action") == "undo":
                services.check_in_undo(
                    registration=registration,
                    occurrence=occurrence,
                    by=request.user,
                    request=request,
                )
            else:
                services.check_in(
                    registration=registration,
                    occurrence=occurrence,
                    checked_in_by=request.user,
                    request=request,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        url = reverse("events:check_in", kwargs={"pk": occurrence.pk})
        query = request.POST.get("q", "")
        return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


class AttendanceExportView(PermissionRequired, View):
    """Attendance of every session, as CSV or XLSX (cells that look like formulas are
    neutralised in CSV)."""

    permission_required = "events.view_attendance"
    formats = ("csv", "xlsx")

    def get(self, request, pk, fmt):
        if fmt not in self.formats:
            raise Http404
        event = _staff_event_or_404(request, pk)
        header = [_("Session"), _("Name"), _("Places"), _("Present")]
        rows = [
            [
                timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                registration.person_name,
                registration.household_size,
                _("yes") if present else _("no"),
            ]
            for registration, session, present in selectors.attendance_rows(event=event)
        ]
        filename = f"attendance-{event.pk}"
        if fmt == "xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = _("Attendance")[:31]
            sheet.append(header)
            for row in rows:
                sheet.append([csv_safe(cell) for cell in row])
            out = BytesIO()
            book.save(out)
            response = HttpResponse(
                out.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_safe(cell) for cell in row])
        return response

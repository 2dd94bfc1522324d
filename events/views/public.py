"""Pages for visitors and guests: What's on, an event, registering, confirming and
cancelling, their registrations, calendar files."""

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
from django.views.generic import TemplateView

from core.form_errors import form_errors_from
from events import calendar, selectors, services
from events.forms import (
    EventFilterForm,
    RegistrationForm,
)
from events.models import Event, Registration
from events.views.common import cancel_with_message, number_or_404


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


class RegisterView(EventDetailView):
    """Register for a public event. A full session offers the waitlist and keeps what was
    typed (the event page again, with the form's errors); a guest who gave an email confirms
    it by a link first."""

    http_method_names = ["post"]

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
        return self.render_to_response(
            self.get_context_data(form=form, offer_waitlist=offer_waitlist)
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
        event = Event.objects.public().filter(pk=number_or_404(self.request.GET.get("event"), 0))
        event = event.first()
        if event is None:
            return context
        session = None
        if not event.is_cohort:
            session = event.occurrences.filter(pk=number_or_404(self.request.GET.get("session"), 0))
            session = session.first()
            if session is None:
                return context
        left, others_waiting = services.places_and_waiting(event=event, occurrence=session)
        context.update(
            places_left=left,
            others_waiting=others_waiting,
            asked=max(1, number_or_404(self.request.GET.get("places"), 1)),
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


class MyRegistrationCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        registration = get_object_or_404(selectors.registrations_of_user(user=request.user), pk=pk)
        cancel_with_message(
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

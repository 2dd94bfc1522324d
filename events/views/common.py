"""What the events' pages share: a number from the request, an event a member of staff may
manage, cancelling a registration with a message that says how it went."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from events import selectors, services
from events.models import Event


def number_or_404(text, default=None) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        if default is None:
            raise Http404 from None
        return default


def staff_event_or_404(request, pk) -> Event:
    try:
        return selectors.event_for_staff(user=request.user, pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


def cancel_with_message(request, registration, done_message) -> None:
    """Cancel by the signed-in person, telling them the outcome (or why not, e.g. begun)."""
    try:
        services.registration_cancel(
            registration=registration, cancelled_by=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)

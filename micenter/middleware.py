"""A request id for every request, carried into every log line written while serving it."""

import contextvars
import logging
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    header = "HTTP_X_REQUEST_ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(self.header, "")
        # Trust a proxy's id only if it looks like one; never echo arbitrary input.
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        request.request_id = request_id
        # Left set until the request is finished (not just until this middleware returns):
        # Django logs a 4xx/5xx response after the middleware, and that line needs the id.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _request_id_forget(**kwargs):
    _request_id.set("-")


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class NoStoreWhenSignedInMiddleware:
    """A page shown to someone signed in may hold personal data (a visitor's record, their
    registrations, a consultation): no browser or proxy may keep a copy of it. Views can
    still set their own Cache-Control (a public calendar feed, say)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response

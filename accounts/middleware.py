import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffSessionMiddleware:
    """Staff sessions end after an idle hour; visitors keep the ordinary session length.

    The hour is counted again from a request at most once a minute: saving the session on
    every click would cost the desk a database write per page."""

    seen_key = "_staff_seen"
    refresh_seconds = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_centre_staff:
            session = request.session
            now = int(time.time())
            idle = settings.MICENTER_STAFF_SESSION_IDLE_SECONDS
            if (
                session.get("_session_expiry") != idle
                or now - session.get(self.seen_key, 0) >= self.refresh_seconds
            ):
                session.set_expiry(idle)
                session[self.seen_key] = now
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """When MICENTER_STAFF_MFA_REQUIRED is on, staff without an authenticator app can do
    nothing but set one up (or sign out)."""

    # URL names a staff member without MFA may still open.
    allowed = {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "set_language",
        "healthz",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MICENTER_STAFF_MFA_REQUIRED:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_centre_staff):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.allowed:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if user.has_authenticator_app:
            return None
        messages.warning(
            request,
            _("Staff accounts need two-step sign-in. Set up an authenticator app to continue."),
        )
        return redirect("mfa_activate_totp")

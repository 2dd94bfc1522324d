from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class MicenterAdminSite(admin.AdminSite):
    """The Django admin, for administrators only, signed in through allauth (with MFA)."""

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.has_perm("accounts.administer_centre")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            # Strangers sign in through allauth; a signed-in person who is not an
            # administrator is told no, not asked to sign in again.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied
            _object_id_check(view, kwargs.get("object_id"))
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return secure_admin_login(super().login)(request, extra_context)


def _object_id_check(view, object_id) -> None:
    """An object's page (change, delete, history) for an id its model's key cannot be, such
    as /consultation/abc/change/: 404 before any ModelAdmin (or its queryset) sees it."""
    model_admin = getattr(view, "__self__", None)
    if object_id is None or not isinstance(model_admin, admin.ModelAdmin):
        return
    try:
        model_admin.model._meta.pk.to_python(unquote(object_id))
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None

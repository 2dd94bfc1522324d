"""Site-wide pages: the public home page, the language switch and the health check."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language

from accounts.services import user_language_set


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=settings.MICENTER_CONTACT, **kwargs)


@require_POST
def language_set(request):
    """Django's language switch, plus: a signed-in person's choice is kept on the account."""
    # Django translates `next` by resolving it in the active language; this request has no
    # language prefix, so make the page's own language active (else a browser asking for
    # English could never leave a Lithuanian page).
    page_language = translation.get_language_from_path(request.POST.get("next", ""))
    with translation.override(page_language or translation.get_language()):
        response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        return False


def _cache_status() -> str:
    if not settings.REDIS_URL:
        return "local"
    try:
        client = cache.client.get_client()  # django-redis; IGNORE_EXCEPTIONS must not hide it
        return "ok" if client.ping() else "error"
    except Exception:  # noqa: BLE001
        return "error"


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from micenter.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
        return "ok"
    except Exception:  # noqa: BLE001
        return "error"


def ping(request):
    """The barest Django view (no database, no template): the baseline benchmarks compare
    every other page against."""
    return HttpResponse(b"ok", content_type="text/plain")


@never_cache
def healthz(request):
    """200 while the database answers (the site can work); 503 when it does not."""
    database = _database_ok()
    body = {
        "status": "ok" if database else "error",
        "database": "ok" if database else "error",
        "cache": _cache_status(),
        "broker": _broker_status(),
    }
    return JsonResponse(body, status=200 if database else 503)

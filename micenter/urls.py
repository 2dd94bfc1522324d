from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.views import StartView
from micenter import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("i18n/setlang/", views.language_set, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("start/", StartView.as_view(), name="start"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("desk/", include("visitors.urls")),
    path("consultations/", include("consultations.urls")),
    path("events/", include("events.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

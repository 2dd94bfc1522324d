from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("exports/", views.ExportRequestView.as_view(), name="export_request"),
    path("exports/<int:pk>/", views.ExportStatusView.as_view(), name="export"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="download"),
]

from django.urls import path

from consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.WorklistView.as_view(), name="worklist"),
    path("new/", views.ConsultationCreateView.as_view(), name="create"),
    path("group/new/", views.GroupSessionCreateView.as_view(), name="group_create"),
    path("records/", views.ConsultationListView.as_view(), name="list"),
    path("records/<int:pk>/", views.ConsultationDetailView.as_view(), name="detail"),
    path("records/<int:pk>/follow-up/", views.FollowUpView.as_view(), name="follow_up"),
    path("records/<int:pk>/referrals/", views.ReferralCreateView.as_view(), name="referral_create"),
    path("referrals/<int:pk>/", views.ReferralStatusView.as_view(), name="referral_status"),
    path("partners/", views.PartnerListView.as_view(), name="partners"),
    path("break-glass/", views.BreakGlassView.as_view(), name="break_glass"),
    path(
        "break-glass/<int:pk>/",
        views.BreakGlassRecordsView.as_view(),
        name="break_glass_records",
    ),
    path("break-glass/report/", views.BreakGlassReportView.as_view(), name="break_glass_report"),
]

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("feed.ics", views.feed_all, name="feed"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/event.ics", views.feed_event, name="event_ics"),
    path("registered/<str:token>/", views.RegisteredView.as_view(), name="registered"),
    path("confirm/<str:token>/", views.ConfirmEmailView.as_view(), name="confirm_email"),
    path("check-your-email/", views.CheckEmailView.as_view(), name="check_email"),
    path("cancel/<str:token>/", views.CancelView.as_view(), name="cancel"),
    path("mine/", views.MyRegistrationsView.as_view(), name="mine"),
    path("mine/<int:pk>/cancel/", views.MyRegistrationCancelView.as_view(), name="mine_cancel"),
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
    path("staff/new/", views.EventCreateView.as_view(), name="create"),
    path("staff/<int:pk>/", views.EventManageView.as_view(), name="manage"),
    path("staff/<int:pk>/edit/", views.EventUpdateView.as_view(), name="edit"),
    path("staff/<int:pk>/publish/", views.EventPublishView.as_view(), name="publish"),
    path("staff/<int:pk>/duplicate/", views.EventDuplicateView.as_view(), name="duplicate"),
    path("staff/<int:pk>/cancel/", views.EventCancelView.as_view(), name="event_cancel"),
    path("staff/<int:pk>/message/", views.MessageView.as_view(), name="message"),
    path(
        "staff/registrations/<int:pk>/told/",
        views.RegistrationToldView.as_view(),
        name="registration_told",
    ),
    path("staff/<int:pk>/walk-in/", views.WalkInRegisterView.as_view(), name="walk_in"),
    path(
        "staff/<int:pk>/attendance.<str:fmt>",
        views.AttendanceExportView.as_view(),
        name="attendance_export",
    ),
    path("staff/sessions/<int:pk>/", views.SessionChangeView.as_view(), name="session_change"),
    path("staff/sessions/<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path(
        "staff/registrations/<int:pk>/cancel/",
        views.StaffCancelView.as_view(),
        name="staff_cancel",
    ),
]

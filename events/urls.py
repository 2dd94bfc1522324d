from django.urls import path

from events.views import checkin, public, staff

app_name = "events"
urlpatterns = [
    path("", public.EventListView.as_view(), name="list"),
    path("feed.ics", public.feed_all, name="feed"),
    path("<int:pk>/", public.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/register/", public.RegisterView.as_view(), name="register"),
    path("<int:pk>/event.ics", public.feed_event, name="event_ics"),
    path("registered/<str:token>/", public.RegisteredView.as_view(), name="registered"),
    path("confirm/<str:token>/", public.ConfirmEmailView.as_view(), name="confirm_email"),
    path("check-your-email/", public.CheckEmailView.as_view(), name="check_email"),
    path("cancel/<str:token>/", public.CancelView.as_view(), name="cancel"),
    path("mine/", public.MyRegistrationsView.as_view(), name="mine"),
    path("mine/<int:pk>/cancel/", public.MyRegistrationCancelView.as_view(), name="mine_cancel"),
    path("staff/", staff.StaffHomeView.as_view(), name="staff_home"),
    path("staff/new/", staff.EventCreateView.as_view(), name="create"),
    path("staff/<int:pk>/", staff.EventManageView.as_view(), name="manage"),
    path("staff/<int:pk>/edit/", staff.EventUpdateView.as_view(), name="edit"),
    path("staff/<int:pk>/publish/", staff.EventPublishView.as_view(), name="publish"),
    path("staff/<int:pk>/duplicate/", staff.EventDuplicateView.as_view(), name="duplicate"),
    path("staff/<int:pk>/cancel/", staff.EventCancelView.as_view(), name="event_cancel"),
    path("staff/<int:pk>/message/", staff.MessageView.as_view(), name="message"),
    path(
        "staff/registrations/<int:pk>/told/",
        staff.RegistrationToldView.as_view(),
        name="registration_told",
    ),
    path("staff/<int:pk>/walk-in/", staff.WalkInRegisterView.as_view(), name="walk_in"),
    path(
        "staff/<int:pk>/attendance.<str:fmt>",
        checkin.AttendanceExportView.as_view(),
        name="attendance_export",
    ),
    path("staff/sessions/<int:pk>/", staff.SessionChangeView.as_view(), name="session_change"),
    path("staff/sessions/<int:pk>/check-in/", checkin.CheckInView.as_view(), name="check_in"),
    path(
        "staff/registrations/<int:pk>/cancel/",
        staff.StaffCancelView.as_view(),
        name="staff_cancel",
    ),
]

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
]

from django.urls import path

from visitors import views

app_name = "visitors"
urlpatterns = [
    path("", views.DeskView.as_view(), name="desk"),
]

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.MyAccountView.as_view(), name="my_account"),
    path("administration/", views.AdministrationView.as_view(), name="administration"),
]

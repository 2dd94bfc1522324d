from django.urls import path

from visitors import views

app_name = "visitors"
urlpatterns = [
    path("", views.DeskView.as_view(), name="desk"),
    path("walk-in/", views.WalkInView.as_view(), name="walk_in"),
    path("visitors/new/", views.VisitorCreateView.as_view(), name="visitor_create"),
    path("visitors/<int:pk>/", views.VisitorDetailView.as_view(), name="visitor_detail"),
    path("visitors/<int:pk>/visit/", views.VisitLogView.as_view(), name="visit_log"),
    path("queue/<slug:code>/", views.QueueView.as_view(), name="queue"),
    path("queue/entry/<int:pk>/close/", views.QueueEntryCloseView.as_view(), name="queue_close"),
]

from django.urls import path

from visitors import kiosk_views, views

app_name = "visitors"
urlpatterns = [
    path("", views.DeskView.as_view(), name="desk"),
    path("walk-in/", views.WalkInView.as_view(), name="walk_in"),
    path("visitors/new/", views.VisitorCreateView.as_view(), name="visitor_create"),
    path("visitors/<int:pk>/", views.VisitorDetailView.as_view(), name="visitor_detail"),
    path("visitors/<int:pk>/visit/", views.VisitLogView.as_view(), name="visit_log"),
    path("visitors/<int:pk>/edit/", views.VisitorUpdateView.as_view(), name="visitor_edit"),
    path("visitors/<int:pk>/consent/", views.ConsentChangeView.as_view(), name="consent"),
    path("visitors/<int:pk>/merge/", views.VisitorMergeView.as_view(), name="visitor_merge"),
    path("visitors/<int:pk>/erasure/", views.ErasureRequestView.as_view(), name="erasure_request"),
    path("visitors/<int:pk>/data/", views.VisitorExportView.as_view(), name="visitor_export"),
    path("visitors/<int:pk>/account/", views.AccountLinkView.as_view(), name="account_link"),
    path("kiosk/", kiosk_views.KioskView.as_view(), name="kiosk"),
    path("kiosk/done/", kiosk_views.KioskDoneView.as_view(), name="kiosk_done"),
    path("kiosk/desk/", kiosk_views.KioskDeskView.as_view(), name="kiosk_desk"),
    path("my-card/", views.MyCardView.as_view(), name="my_card"),
    path("my-data/", views.MyDataView.as_view(), name="my_data"),
    path("my-erasure/", views.MyErasureRequestView.as_view(), name="my_erasure_request"),
    path("queue/<slug:code>/", views.QueueView.as_view(), name="queue"),
    path("queue/entry/<int:pk>/close/", views.QueueEntryCloseView.as_view(), name="queue_close"),
]

from django.urls import path

from . import document_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar.ics", views.meeting_calendar, name="calendar"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/status/", views.meeting_move, name="move"),
    path("<int:pk>/attendance/", views.attendance_register, name="attendance"),
    path("<int:pk>/documents/", document_views.meeting_document_add, name="document_add"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        document_views.meeting_document_download,
        name="document",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/remove/",
        document_views.meeting_document_remove,
        name="document_remove",
    ),
    path("<int:pk>/agenda/", views.agenda_edit, name="agenda"),
    path("<int:pk>/agenda/proposals/", views.agenda_add_proposals, name="agenda_proposals"),
    path("<int:pk>/agenda/items/", views.agenda_add_item, name="agenda_item_add"),
    path("<int:pk>/agenda/items/<int:item_id>/", views.agenda_item_change, name="agenda_item"),
    path("<int:pk>/decisions/", views.decisions, name="decisions"),
]

urlpatterns += [
    path(
        "<int:pk>/decision-lists/",
        document_views.decision_list_compile,
        name="decision_list_compile",
    ),
    path(
        "<int:pk>/decision-lists/<int:doc>/",
        document_views.decision_list_page,
        name="decision_list",
    ),
    path(
        "<int:pk>/decision-lists/<int:doc>/retry/",
        document_views.decision_list_retry,
        name="decision_list_retry",
    ),
    path(
        "<int:pk>/decision-lists/<int:doc>/<doc_kind:kind>/",
        document_views.decision_list_download,
        name="decision_list_file",
    ),
]

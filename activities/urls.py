from django.urls import path

from . import downloads, export_views, views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("exports/", export_views.export_confirm, name="export_start"),
    path("exports/<uuid:token>/", export_views.export_page, name="export"),
    path("exports/<uuid:token>/file/", export_views.export_file, name="export_file"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("<activity_ref:reference>/", views.activity_detail, name="detail"),
    path("<activity_ref:reference>/edit/", views.activity_edit, name="edit"),
    path("<activity_ref:reference>/status/", views.activity_status, name="status"),
    path("<activity_ref:reference>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "<activity_ref:reference>/terms-of-reference/",
        downloads.terms_of_reference,
        name="terms_of_reference",
    ),
]

annual_patterns = (
    [
        path("", views.annual_programme_list, name="list"),
        path("<int:year>/", views.annual_programme_detail, name="detail"),
        path("<int:year>/entries/", views.annual_programme_add, name="add"),
        path(
            "<int:year>/entries/<int:entry_id>/remove/",
            views.annual_programme_remove,
            name="remove",
        ),
        path("<int:year>/ceiling/", views.annual_programme_ceiling, name="ceiling"),
        path("<int:year>/adopt/", views.annual_programme_adopt, name="adopt"),
        path("<int:year>/roll-over/", views.annual_programme_roll_over, name="roll_over"),
        path("<int:year>/compile/", views.annual_programme_compile, name="compile"),
        path("<int:year>/documents/<int:pk>/", views.annual_programme_document, name="document"),
        path("<int:year>/documents/<int:pk>/retry/", views.annual_programme_retry, name="retry"),
        path(
            "<int:year>/documents/<int:pk>/<doc_kind:kind>/",
            views.annual_programme_download,
            name="download",
        ),
    ],
    "annual_programmes",
)

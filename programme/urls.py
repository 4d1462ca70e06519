from django.urls import path

from . import authoring_review_views as review
from . import authoring_views as authoring
from . import documents_views, views

# The pages of a priority and of a format list their activities: they live in the
# portal app (portal/programme_urls.py adds them under this namespace).

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail, name="current"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    # Authoring the next programme (the Secretariat's), its versions and consultation.
    path("authoring/", authoring.authoring_index, name="authoring"),
    path("authoring/new/", authoring.programme_new, name="new"),
    path("<int:pk>/edit/", authoring.programme_edit, name="edit"),
    path("<int:pk>/edit/texts/", authoring.texts_edit, name="edit_texts"),
    path("<int:pk>/edit/thresholds/", authoring.thresholds_edit, name="edit_thresholds"),
    path("<int:pk>/edit/<slug:kind>/new/", authoring.entry_edit, name="entry_add"),
    path("<int:pk>/edit/<slug:kind>/<int:item>/", authoring.entry_edit, name="entry_edit"),
    path(
        "<int:pk>/edit/<slug:kind>/<int:item>/change/",
        authoring.entry_change,
        name="entry_change",
    ),
    path("<int:pk>/move/", authoring.programme_move, name="move"),
    path("<int:pk>/versions/", review.programme_versions, name="versions"),
    path("<int:pk>/consultation/", review.consultation, name="consultation"),
    # The programme compiled as the Conference document (programme/documents_views.py).
    path("<int:pk>/documents/", documents_views.documents_section, name="documents"),
    path("<int:pk>/compile/", documents_views.compile_document, name="compile"),
    path(
        "<int:pk>/documents/<int:document>/", documents_views.document_pages.page, name="document"
    ),
    path(
        "<int:pk>/documents/<int:document>/retry/",
        documents_views.document_pages.retry,
        name="retry",
    ),
    path(
        "<int:pk>/documents/<int:document>/<doc_kind:kind>/",
        documents_views.document_pages.download,
        name="download",
    ),
]

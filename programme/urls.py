from django.urls import path

from . import documents_views, views

# The pages of a priority and of a format list their activities: they live in the
# portal app (portal/programme_urls.py adds them under this namespace).

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail, name="current"),
    path("<int:pk>/", views.programme_detail, name="detail"),
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

from django.urls import path

from . import report_views

urlpatterns = [
    path("", report_views.report_list, name="reports"),
    path("compile/", report_views.compile_report, name="compile_report"),
    path("<int:pk>/", report_views.report_detail, name="report"),
    path("<int:pk>/retry/", report_views.report_retry, name="report_retry"),
    path("<int:pk>/<doc_kind:kind>/", report_views.report_download, name="report_download"),
]

from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("template/<slug:kind>/<slug:language>/", views.import_template, name="template"),
    path("<uuid:token>/", views.import_result, name="result"),
    path("<uuid:token>/import/", views.import_confirm, name="confirm"),
]

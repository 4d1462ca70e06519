"""The cross-app pages, included at the root of the language-prefixed pages (their URL
names, ``dashboard`` and ``bureau``, have no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bureau/", views.bureau, name="bureau"),
]

"""The cross-app pages, included at the root of the language-prefixed pages (their URL
names, ``dashboard`` and ``bureau``, have no namespace)."""

from django.urls import path

from . import inbox, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bureau/", views.bureau, name="bureau"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox.notice_open, name="notice_open"),
    path("inbox/<int:pk>/read/", inbox.notice_read, name="notice_read"),
    path("inbox/read-all/", inbox.notices_read_all, name="notices_read_all"),
    path("inbox/preferences/", inbox.notice_preferences, name="notice_preferences"),
]

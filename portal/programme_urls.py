"""The programme's pages under ``programme:``: the programme app's own, and the pages of
a priority and of a format, which list activities and so live in the portal app."""

from django.urls import path

from programme.urls import urlpatterns as programme_patterns

from . import handover, views

app_name = "programme"
urlpatterns = [
    *programme_patterns,
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("formats/<int:pk>/", views.format_detail, name="format"),
    path("<int:pk>/adopt/", handover.adopt, name="adopt"),
    path("<int:pk>/hand-over/", handover.hand_over, name="hand_over"),
]

"""Calendar feeds outside the /en/ and /fr/ pages: a subscription address keeps its
language in ``?language=`` (or the client's Accept-Language)."""

from django.urls import path

from . import calendar

app_name = "calendar"
urlpatterns = [
    path("activities.ics", calendar.activities_ics, name="activities"),
]

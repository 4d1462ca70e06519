"""The portal's URLs plus the baseline the activities API is compared with."""

from django.urls import path

from pompidou.urls import urlpatterns as portal_urlpatterns

from .baseline import activities_baseline

urlpatterns = [
    path("bench/baseline/activities/", activities_baseline, name="bench-baseline"),
    *portal_urlpatterns,
]

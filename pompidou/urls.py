from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.privacy_views import privacy
from activities.urls import annual_patterns
from meetings.views import meeting_calendar

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("portal.api_urls")),
    # Feeds to subscribe to: one address whatever the language (?language=fr).
    path("calendar/", include("activities.calendar_urls")),
    path("calendar/meetings.ics", meeting_calendar, name="calendar-meetings"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves the page's start script from its own address (?script),
    # so the page needs no inline script under the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

# Pages answer in both languages: /en/… and /fr/…; an address without the
# prefix redirects to the visitor's language (cookie, then browser).
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("privacy/", privacy, name="privacy"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("programme/", include("portal.programme_urls")),
    path("activities/", include("activities.urls")),
    path("annual-programmes/", include(annual_patterns)),
    path("proposals/", include("proposals.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("meetings/", include("meetings.urls")),
    path("search/", include("search.urls")),
    path("overlap/", include("overlap.urls")),
    path("records/import/", include("records.urls")),
    path("admin/", admin.site.urls),
)

# No route serves MEDIA_URL, in DEBUG neither: every uploaded or compiled file is
# served by its object's view after the permission check (pompidou/downloads.py).

# Errors no view answered: JSON under /api/, the portal's pages elsewhere.
handler400 = "pompidou.error_views.bad_request"
handler403 = "pompidou.error_views.permission_denied"
handler404 = "pompidou.error_views.page_not_found"
handler500 = "pompidou.error_views.server_error"

from django.urls import path

from . import views

# The pages of a priority and of a format list their activities: they live in the
# portal app (portal/programme_urls.py adds them under this namespace).

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail, name="current"),
    path("<int:pk>/", views.programme_detail, name="detail"),
]

from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.programme_detail, name="current"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("formats/<int:pk>/", views.format_detail, name="format"),
]

from django.urls import path

from . import views

app_name = "overlap"
urlpatterns = [path("proposals/<int:pk>/mark/", views.mark, name="mark")]

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("feedback/answer/<str:token>/", views.answer_link, name="answer_link"),
]

from django.urls import include, path

from . import downloads, views

app_name = "evaluation"
urlpatterns = [
    path("", views.overview, name="overview"),
    # An activity's evaluation tab and the forms it posts.
    path("activities/<activity_ref:reference>/", views.activity_evaluation, name="activity"),
    path("activities/<activity_ref:reference>/reports/", views.report_file, name="report_file"),
    path(
        "activities/<activity_ref:reference>/indicators/", views.indicator_add, name="indicator_add"
    ),
    path(
        "activities/<activity_ref:reference>/measurements/",
        views.measurement_add,
        name="measurement_add",
    ),
    path(
        "activities/<activity_ref:reference>/feedback-requests/",
        views.feedback_open,
        name="feedback_open",
    ),
    path(
        "activities/<activity_ref:reference>/impact-assessments/",
        views.impact_record,
        name="impact_record",
    ),
    # The progress reports that wait for someone (the dashboard links here).
    path("progress-reports/", views.progress_reports, name="progress_reports"),
    # One progress report ("reports/" is the compiled evaluation reports').
    path("progress-reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("progress-reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("progress-reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("progress-reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path(
        "impact-assessments/<int:pk>/evidence/", downloads.impact_evidence, name="impact_evidence"
    ),
    path("feedback-requests/<int:pk>/close/", views.feedback_close, name="feedback_close"),
    # Feedback: the addressee's requests, and the signed link of the e-mails.
    path("feedback/", views.my_feedback, name="my_feedback"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("feedback/answer/<signed_token:token>/", views.answer_link, name="answer_link"),
    path("feedback/thanks/", views.answer_thanks, name="answer_thanks"),
    # The compiled evaluation reports (PDF, DOCX): evaluation/report_urls.py.
    path("reports/", include("evaluation.report_urls")),
]

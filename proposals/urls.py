from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("ranking/<int:year>/", views.ranking, name="ranking"),
    path("suggest/", views.prioritise, name="suggest"),
    path("urgent/", views.urgent_queue, name="urgent"),
    # `detail` is reversed by the e-mail notifications: keep its name and argument.
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/supports/", views.support_add, name="support"),
    path(
        "<int:pk>/supports/<int:support_id>/withdraw/",
        views.support_withdraw,
        name="support_withdraw",
    ),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path(
        "<int:pk>/comments/<int:comment_id>/withdraw/",
        views.comment_withdraw,
        name="comment_withdraw",
    ),
    path("<int:pk>/assessors/", views.assessor_assign, name="assign"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/decision/", views.decision_record, name="decide"),
    path("<int:pk>/deadline/", views.deadline_set, name="deadline"),
    path("<int:pk>/vote/", views.vote, name="vote"),
]

"""REST API v1: one router over every app's viewsets, one token endpoint.

The composition lives in the portal app (the top layer) so that the project package
imports no app: ``pompidou/urls.py`` includes this module by name."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from activities import api as activities_api
from activities import downloads as activities_downloads
from activities import export_api as activities_export_api
from evaluation import api as evaluation_api
from evaluation import downloads as evaluation_downloads
from evaluation import report_api as evaluation_report_api
from meetings import api as meetings_api
from overlap.api import SimilarApi
from pompidou.notice_api import NoticeViewSet
from pompidou.token_api import TokenApi
from programme import api as programme_api
from programme import authoring_api as programme_authoring_api
from proposals import api as proposals_api
from proposals import api_comments as proposals_comments_api
from proposals import prioritise_api as proposals_prioritise_api
from search.api import SearchApi

from . import handover_api

router = DefaultRouter()
router.register("work-programmes", programme_api.WorkProgrammeViewSet, basename="work-programme")
router.register(
    "thematic-priorities", programme_api.ThematicPriorityViewSet, basename="thematic-priority"
)
router.register(
    "permanent-formats", programme_api.PermanentFormatViewSet, basename="permanent-format"
)
router.register("criteria", programme_api.AdoptionCriterionViewSet, basename="criterion")
router.register("member-states", programme_api.MemberStateViewSet, basename="member-state")
router.register("activities", activities_api.ActivityViewSet, basename="activity")
router.register(
    "annual-programmes", activities_api.AnnualProgrammeViewSet, basename="annual-programme"
)
router.register("proposals", proposals_api.ProposalViewSet, basename="proposal")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register(
    "progress-reports", evaluation_api.ProgressReportViewSet, basename="progress-report"
)
router.register("indicators", evaluation_api.IndicatorViewSet, basename="indicator")
router.register(
    "feedback-requests", evaluation_api.FeedbackRequestViewSet, basename="feedback-request"
)
router.register(
    "impact-assessments", evaluation_api.ImpactAssessmentViewSet, basename="impact-assessment"
)
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns = [
    path("me/personal-data/", accounts_api.PersonalDataApi.as_view(), name="api-personal-data"),
    path(
        "accounts/<int:pk>/erase/",
        accounts_api.AccountEraseApi.as_view(),
        name="api-account-erase",
    ),
    path(
        "evaluation-reports/",
        evaluation_report_api.EvaluationReportsApi.as_view(),
        name="api-evaluation-reports",
    ),
    path(
        "evaluation-reports/<int:pk>/",
        evaluation_report_api.EvaluationReportApi.as_view(),
        name="api-evaluation-report",
    ),
    path(
        "evaluation-reports/<int:pk>/pdf/",
        evaluation_report_api.EvaluationReportPdfApi.as_view(),
        name="api-evaluation-report-pdf",
    ),
    path(
        "evaluation-reports/<int:pk>/docx/",
        evaluation_report_api.EvaluationReportDocxApi.as_view(),
        name="api-evaluation-report-docx",
    ),
    path(
        "activity-exports/<uuid:token>/",
        activities_export_api.ActivityExportApi.as_view(),
        name="api-activity-export",
    ),
    path(
        "activity-exports/<uuid:token>/file/",
        activities_export_api.ActivityExportFileApi.as_view(),
        name="api-activity-export-file",
    ),
    path(
        "annual-programmes/<int:year>/compile/",
        activities_api.AnnualProgrammeCompileApi.as_view(),
        name="api-annual-programme-compile",
    ),
    path(
        "annual-programme-documents/<int:pk>/",
        activities_api.AnnualProgrammeDocumentApi.as_view(),
        name="api-annual-programme-document",
    ),
    path(
        "annual-programme-documents/<int:pk>/pdf/",
        activities_api.AnnualProgrammeDocumentPdfApi.as_view(),
        name="api-annual-programme-document-pdf",
    ),
    path(
        "annual-programme-documents/<int:pk>/docx/",
        activities_api.AnnualProgrammeDocumentDocxApi.as_view(),
        name="api-annual-programme-document-docx",
    ),
    path(
        "decision-lists/<int:pk>/",
        meetings_api.DecisionListApi.as_view(),
        name="api-decision-list",
    ),
    path(
        "decision-lists/<int:pk>/pdf/",
        meetings_api.DecisionListPdfApi.as_view(),
        name="api-decision-list-pdf",
    ),
    path(
        "decision-lists/<int:pk>/docx/",
        meetings_api.DecisionListDocxApi.as_view(),
        name="api-decision-list-docx",
    ),
    path(
        "work-programmes/<int:pk>/adopt/",
        handover_api.ProgrammeAdoptApi.as_view(),
        name="work-programme-adopt",
    ),
    path(
        "work-programmes/<int:pk>/put-in-force/",
        handover_api.ProgrammePutInForceApi.as_view(),
        name="work-programme-put-in-force",
    ),
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("search/", SearchApi.as_view(), name="api-search"),
    # Uploaded files: each behind the permission check of its object (no /media/).
    path(
        "activities/<activity_ref:reference>/terms-of-reference/",
        activities_downloads.TermsOfReferenceApi.as_view(),
        name="activity-terms-of-reference",
    ),
    path(
        "impact-assessments/<int:pk>/evidence/",
        evaluation_downloads.ImpactEvidenceApi.as_view(),
        name="impact-assessment-evidence",
    ),
    path(
        "proposals/prioritise/",
        proposals_prioritise_api.PrioritiseApi.as_view(),
        name="proposal-prioritise",
    ),
    path(
        "proposals/<int:pk>/submit/",
        proposals_api.ProposalSubmitApi.as_view(),
        name="proposal-submit",
    ),
    path(
        "proposals/<int:pk>/withdraw/",
        proposals_api.ProposalWithdrawApi.as_view(),
        name="proposal-withdraw",
    ),
    path(
        "proposals/<int:pk>/supports/",
        proposals_api.SupportAddApi.as_view(),
        name="proposal-supports",
    ),
    path(
        "proposals/<int:pk>/supports/<state_code:code>/",
        proposals_api.SupportWithdrawApi.as_view(),
        name="proposal-support",
    ),
    path(
        "proposals/<int:pk>/attachments/",
        proposals_api.AttachmentsApi.as_view(),
        name="proposal-attachments",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_id>/",
        proposals_api.AttachmentApi.as_view(),
        name="proposal-attachment",
    ),
    # A draft work programme's versions and consultation comments.
    path(
        "work-programmes/<int:pk>/versions/",
        programme_authoring_api.ProgrammeVersionsApi.as_view(),
        name="work-programme-versions",
    ),
    path(
        "work-programmes/<int:pk>/versions/<int:number>/",
        programme_authoring_api.ProgrammeVersionApi.as_view(),
        name="work-programme-version",
    ),
    path(
        "work-programmes/<int:pk>/comments/",
        programme_authoring_api.ProgrammeCommentsApi.as_view(),
        name="work-programme-comments",
    ),
    path(
        "proposals/<int:pk>/comments/",
        proposals_comments_api.CommentsApi.as_view(),
        name="proposal-comments",
    ),
    path(
        "proposals/<int:pk>/assessors/",
        proposals_api.AssessorAssignApi.as_view(),
        name="proposal-assessors",
    ),
    path(
        "proposals/<int:pk>/assessments/",
        proposals_api.AssessmentsApi.as_view(),
        name="proposal-assessments",
    ),
    path("proposals/<int:pk>/score/", proposals_api.ScoreApi.as_view(), name="proposal-score"),
    path(
        "proposals/<int:pk>/decision/",
        proposals_api.DecisionApi.as_view(),
        name="proposal-decision",
    ),
    path(
        "proposals/<int:pk>/bureau-votes/",
        proposals_api.BureauVoteApi.as_view(),
        name="proposal-bureau-votes",
    ),
    path("proposals/<int:pk>/similar/", SimilarApi.as_view(), name="proposal-similar"),
    *router.urls,
]

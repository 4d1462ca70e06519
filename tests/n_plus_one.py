"""N+1 detection for the whole test suite, with django-zeal (a development dependency:
production neither installs nor loads it).

Every test runs inside ``zeal_context()`` (``tests/conftest.py``), and every request
(test client and the browser tests' live server alike) inside one of its own, through
zeal's middleware put outermost: a relation or a deferred field loaded once per row of
a list, or the same ``.get()`` repeated from one line, raises ``NPlusOneError`` in the
page, endpoint, service or task that does it, and so fails the test that runs it.

The fix is in the selector (``select_related``, ``prefetch_related``, an annotation).
``ALLOWLIST`` (zeal's ``ZEAL_ALLOWLIST`` setting, so that the live server's threads
read it too) is for the few true false positives only, each with the reason.
"""

import os
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.signals import got_request_exception
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from zeal import NPlusOneError, zeal_context
from zeal import util as zeal_util
from zeal.constants import initialize_app_registry
from zeal.listeners import _nplusone_context, n_plus_one_listener
from zeal.patch import patch
from zeal.signals import nplusone_detected

MIDDLEWARE = "zeal.middleware.zeal_middleware"
ROOT = f"{settings.BASE_DIR}/"

# {"model": "app.Model", "field": "name"} (fnmatch patterns), each with why it is not
# an N+1 that a selector could remove.
ALLOWLIST: list[dict[str, str]] = [
    # ContentType.objects.get_for_model() reads each model's row once per process and
    # keeps it: two models in one call read two rows from one line, once.
    {"model": "contenttypes.ContentType", "field": "get()"},
]

# The N+1s the detector found in the suite when it was turned on, by (model, field,
# module, function): still to be fixed in their selectors or services, or judged false
# positives and moved to ALLOWLIST with the reason. Each entry is a debt; remove it when
# it is fixed (a new N+1 anywhere else, even on the same relation, fails its test).
# ``N_PLUS_ONE_REPORT=path`` writes what the detector finds there, with the call stack,
# instead of failing (to survey the suite).
KNOWN: set[tuple[str, str, str, str]] = {
    # Once per language of the document (two), not per row.
    ("programme.WorkProgramme", "priorities", "activities/documents.py", "gather"),
    ("programme.WorkProgramme", "aims", "activities/documents.py", "gather"),
    ("programme.WorkProgramme", "formats", "activities/documents.py", "gather"),
    # A hand-over moves each record with its own event in its history, one record at a
    # time by design (a few hundred at most, once per programme cycle).
    ("activities.Activity", "thematic_priorities", "programme/handover.py", "remap"),
    ("proposals.Proposal", "thematic_priorities", "programme/handover.py", "remap"),
    # Twice, not once per row: the two sides of a comparison of versions, the
    # programme before and after a change.
    ("programme.WorkProgramme", "get()", "programme/versions.py", "snapshot"),
    (
        "programme.ProgrammeVersion",
        "work_programme",
        "programme/authoring_review_views.py",
        "_snapshot",
    ),
    ("programme.PriorityAim", "get()", "programme/admin.py", "change_view"),
    # Once per language of the compiled document (English and French).
    ("programme.WorkProgramme", "get()", "programme/documents.py", "build"),
    # The vote page reads the proposal again after the vote (twice per request).
    ("proposals.Proposal", "get()", "proposals/selectors.py", "get_proposal_for_user"),
    # A list of usernames or codes in a request body, resolved one by one.
    ("auth.User", "get()", "pompidou/api.py", "to_internal_value"),
    ("auth.User", "get()", "accounts/erasure.py", "account_erase"),
    ("activities.AnnualProgramme", "get()", "activities/documents.py", "gather"),
    (
        "activities.Activity",
        "participating_states",
        "activities/services/activities.py",
        "_activity_create",
    ),
    (
        "activities.Activity",
        "thematic_priorities",
        "activities/services/activities.py",
        "_activity_create",
    ),
    (
        "activities.AnnualProgramme",
        "get()",
        "activities/services/annual_programmes.py",
        "_lock_draft",
    ),
    ("evaluation.EvaluationReport", "get()", "evaluation/documents.py", "gather"),
    ("evaluation.FeedbackRequest", "invitations", "evaluation/reminders.py", "send_reminders"),
    ("activities.Activity", "feedback_requests", "evaluation/selectors.py", "activity_evaluation"),
    ("activities.Activity", "impact_assessments", "evaluation/selectors.py", "activity_evaluation"),
    ("activities.Activity", "indicators", "evaluation/selectors.py", "activity_evaluation"),
    ("activities.Activity", "progress_reports", "evaluation/selectors.py", "activity_evaluation"),
    (
        "evaluation.FeedbackRequest",
        "get()",
        "evaluation/services/feedback.py",
        "feedback_request_close",
    ),
    (
        "evaluation.FeedbackRequest",
        "recipients",
        "evaluation/services/feedback.py",
        "feedback_request_open",
    ),
    ("evaluation.FeedbackRequest", "get()", "evaluation/services/feedback.py", "feedback_respond"),
    (
        "evaluation.FeedbackInvitation",
        "get()",
        "evaluation/services/feedback.py",
        "invitation_from_token",
    ),
    (
        "evaluation.ProgressReport",
        "get()",
        "evaluation/services/progress.py",
        "progress_report_accept",
    ),
    (
        "evaluation.ProgressReport",
        "get()",
        "evaluation/services/progress.py",
        "progress_report_review",
    ),
    (
        "evaluation.ProgressReport",
        "get()",
        "evaluation/services/progress.py",
        "progress_report_update",
    ),
    ("programme.Meeting", "get()", "meetings/selectors.py", "get_meeting"),
    ("programme.Meeting", "get()", "meetings/services.py", "_locked"),
    ("meetings.Attendance", "get()", "meetings/services.py", "attendance_register"),
    ("proposals.Proposal", "get()", "overlap/services.py", "mark_similar"),
    ("proposals.Proposal", "get()", "overlap/services.py", "refresh_similar"),
    ("activities.Activity", "get()", "pompidou/api.py", "to_internal_value"),
    ("programme.MemberState", "get()", "pompidou/api.py", "to_internal_value"),
    ("activities.AnnualProgrammeDocument", "docx_fr", "pompidou/models.py", "file"),
    ("activities.AnnualProgrammeDocument", "pdf_fr", "pompidou/models.py", "file"),
    ("evaluation.FeedbackRequest", "recipients", "pompidou/notices.py", "notify"),
    ("pompidou.NoticePreference", "get()", "pompidou/notices.py", "preferences_set"),
    ("pompidou.Sequence", "get()", "pompidou/sequences.py", "next_number"),
    ("auth.User", "groups", "programme/roles.py", "roles_of"),
    ("proposals.Proposal", "get()", "proposals/notifications.py", "notify_proposal"),
    ("proposals.Proposal", "assessments", "proposals/permissions.py", "own_assessment"),
    ("proposals.Assessment", "get()", "proposals/services/assessment.py", "assessment_save"),
    ("proposals.CriterionScore", "get()", "proposals/services/assessment.py", "assessment_save"),
    ("proposals.Proposal", "get()", "proposals/services/base.py", "locked"),
    ("proposals.Comment", "mentions", "proposals/services/comments.py", "_resolve_mentions"),
    (
        "proposals.Proposal",
        "thematic_priorities",
        "proposals/services/drafting.py",
        "proposal_create",
    ),
    ("programme.MemberState", "get()", "proposals/services/supports.py", "support_add"),
    ("activities.Activity", "get()", "records/kinds/activities.py", "_update"),
    ("proposals.Proposal", "thematic_priorities", "records/kinds/proposals.py", "_create"),
    ("proposals.Proposal", "get()", "records/kinds/proposals.py", "_decide_existing"),
    ("pompidou.Sequence", "get()", "records/kinds/shared.py", "continue_sequence"),
    ("records.RecordImport", "get()", "records/services.py", "import_confirm"),
}

# What the live server's threads raised: there the error becomes a 500 page, which a
# browser test does not always look at; the test fails on it at its end instead.
caught_in_server: list[BaseException] = []


def install() -> None:
    """Patch Django's relation descriptors and querysets (what zeal's AppConfig does
    when it is in INSTALLED_APPS) and put zeal's middleware outermost, once per
    process, after Django's setup."""
    if MIDDLEWARE in settings.MIDDLEWARE:
        return
    initialize_app_registry()
    patch()
    # A related manager class built before the patch would escape it: forget them so
    # that the patched factory builds them again.
    for model in apps.get_models():
        for attribute in vars(model).values():
            if isinstance(attribute, ReverseManyToOneDescriptor | ManyToManyDescriptor):
                attribute.__dict__.pop("related_manager_cls", None)
    n_plus_one_listener.notify = _notify_per_call(n_plus_one_listener.notify)
    # zeal names (and counts by) the first frame outside itself and the installed
    # packages: this module's wrapper is not that frame.
    internal = zeal_util._is_internal_frame
    zeal_util._is_internal_frame = lambda filename: filename == __file__ or internal(filename)
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    settings.ZEAL_ALLOWLIST = ALLOWLIST
    got_request_exception.connect(_remember_server_error, dispatch_uid="tests.n_plus_one")
    if os.environ.get("N_PLUS_ONE_REPORT"):
        settings.ZEAL_RAISE = False
        nplusone_detected.connect(_report, dispatch_uid="tests.n_plus_one.report")


def _report(sender, exception, **kwargs) -> None:
    stack = [
        f"  {frame.filename.removeprefix(ROOT)}:{frame.lineno} in {frame.name}"
        for frame in reversed(traceback.extract_stack())
        if frame.filename.startswith(ROOT) and frame.filename != __file__
    ]
    with open(os.environ["N_PLUS_ONE_REPORT"], "a") as out:
        out.write(f"=== {os.environ.get('PYTEST_CURRENT_TEST')}\n{exception}\n")
        out.write("\n".join(stack) + "\n")


def _is_caller(filename: str) -> bool:
    """Code that calls the portal's code one item at a time by design: the tests (their
    loops and fixtures), the demo loaders and the management commands (one service
    call per row, each in its own transaction with its own audit event), and the data
    migrations (run once)."""
    return filename.startswith(f"{ROOT}tests/") or (
        filename.startswith(ROOT)
        and (
            filename.endswith("/demo.py")
            or "/management/commands/" in filename
            or "/portal/benchdata/" in filename
            or "/migrations/" in filename
        )
    )


def _entry_call():
    """The frame through which the current query's code was entered from a caller
    (``_is_caller``): the request's outermost middleware, the service a test called,
    the task a command ran. ``None`` when the caller itself runs the query."""
    frame = sys._getframe(2)
    entry = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if _is_caller(filename):
            return entry
        if filename.startswith(ROOT) and "/site-packages/" not in filename:
            entry = frame
        frame = frame.f_back
    return entry


def _notify_per_call(notify):
    """zeal counts the loads of one relation from one line over its whole context
    (here: the test). A test, a loader or a command that calls a service once per item
    would count as an N+1 inside that service: count per call instead. Each call from
    a caller starts a new count; a request is one call (its middleware frame)."""

    def per_call(model, field, instance_key):
        context = _nplusone_context.get()
        if not context.enabled:
            return
        entry = _entry_call()
        if entry is None:
            return
        filename, _, function = zeal_util.get_caller()
        label = f"{model._meta.app_label}.{model.__name__}"
        if (label, field, filename.removeprefix(ROOT), function) in KNOWN:
            return
        if context.__dict__.get("entry") is not entry:
            # The frame is kept (not its id): a finished frame's id can be reused.
            context.__dict__["entry"] = entry
            context.calls.clear()
        notify(model, field, instance_key)

    return per_call


def _remember_server_error(sender, request=None, **kwargs) -> None:
    # The test client re-raises in the test's own thread; only the live server's
    # request threads need remembering.
    error = sys.exc_info()[1]
    if (
        isinstance(error, NPlusOneError)
        and threading.current_thread() is not threading.main_thread()
    ):
        caught_in_server.append(error)


@contextmanager
def detecting() -> Iterator[None]:
    """N+1 detection on for the block; an N+1 that a live-server request ran in the
    meantime fails it at its end."""
    caught_in_server.clear()
    with zeal_context():
        yield
    if caught_in_server:
        errors = "; ".join(str(error) for error in caught_in_server)
        caught_in_server.clear()
        raise NPlusOneError(f"a request of this test ran an N+1: {errors}")

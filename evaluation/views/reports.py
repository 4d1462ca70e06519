"""One progress report (read, change, review, accept) and the lists of reports that
wait for someone (the dashboard's counts link there)."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import selectors as activity_selectors
from pompidou import audit
from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.listing import CountedPaginator
from programme import roles
from programme.models import PermanentFormat, ThematicPriority

from .. import permissions, selectors, services
from ..forms import ProgressReportEditForm, ReviewForm
from ..models import ProgressReport
from ..workflow import REPORT_REVIEW
from ._common import back_to, gate


def _report_for(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "activity__lead_member_state",
            "activity__supervisor",
            "submitted_by",
            "reviewed_by",
            "accepted_by",
        ),
        pk=pk,
    )
    visible = activity_selectors.activities_visible_to(request.user)
    if not visible.filter(pk=report.activity_id).exists():
        raise Http404("No such report.")
    gate(permissions.can_view_activity_evaluation(request.user, report.activity))
    return report


def _report_page(
    request: HttpRequest, report: ProgressReport, status: int = 200, **bound
) -> HttpResponse:
    user = request.user
    moves = {m.name for m in REPORT_REVIEW.available(user, report)}
    can_edit = permissions.can_edit_progress_report(user, report)
    edit_form = bound.get("edit_form")
    if edit_form is None and can_edit:
        edit_form = ProgressReportEditForm(
            initial={f: getattr(report, f) for f in services.REPORT_FIELDS}
        )
    review_form = bound.get("review_form")
    if review_form is None and "review" in moves:
        review_form = ReviewForm(initial={"comment": report.reviewer_comment}, auto_id="rv_%s")
    return render(
        request,
        "evaluation/progress_report.html",
        {
            "report": report,
            "activity": report.activity,
            "edit_form": edit_form,
            "review_form": review_form,
            "can_accept": "accept" in moves,
            "history": audit.events_of(report),
        },
        status=status,
    )


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, _report_for(request, pk))


@require_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    gate(permissions.can_edit_progress_report(request.user, report))
    form = ProgressReportEditForm(request.POST)
    if form.is_valid() and call_service(
        form,
        services.progress_report_update,
        report=report,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(
            request, _("Progress report %(period)s saved.") % {"period": report.period}
        )
        return back_to(report.activity, "reports")
    return _report_page(request, report, status=400, edit_form=form)


@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    gate(permissions.can_review_progress_report(request.user, report))
    form = ReviewForm(request.POST, auto_id="rv_%s")
    if form.is_valid() and call_service(
        form,
        services.progress_report_review,
        report=report,
        actor=request.user,
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("Review of %(period)s saved.") % {"period": report.period})
        return back_to(report.activity, "reports")
    return _report_page(request, report, status=400, review_form=form)


@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    gate(permissions.can_accept_progress_report(request.user, report))
    try:
        call_service(None, services.progress_report_accept, report=report, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Progress report %(period)s accepted.") % {"period": report.period}
        )
    return back_to(report.activity, "reports")


# Rows per page of the lists of reports.
PER_PAGE = 50


def overdue_list_url(query: dict) -> str:
    """The paginated list of the overdue reports of a year and scope (the overview's
    "see all"): ``query`` as the overview reads it (year, scope, priority, format)."""
    return f"{reverse('evaluation:progress_reports')}?{urlencode({'show': 'overdue', **query})}"


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or None
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise BadRequest(_("%(name)s must be a number.") % {"name": name}) from exc


def _overdue_rows(request: HttpRequest, member_state_id: int | None):
    """The overdue reports of ``?year=`` and scope (``priority`` or ``permanent_format``)
    when given, as the overview counts them; otherwise every half-year due. With their
    number, counted in one pass and kept until the next write (as the dashboard and the
    overview count them), and the label of the narrowing."""
    year = _int_param(request, "year")
    priority_id = _int_param(request, "priority")
    format_id = _int_param(request, "permanent_format")
    if year is None and priority_id is None and format_id is None:
        return (
            selectors.overdue_reports_due(member_state_id),
            selectors.overdue_count_due(member_state_id),
            "",
        )
    scope = selectors.Scope(
        priority=get_object_or_404(ThematicPriority, pk=priority_id) if priority_id else None,
        format=get_object_or_404(PermanentFormat, pk=format_id) if format_id else None,
    )
    acts = selectors.activities_in(year, scope)
    if member_state_id is not None:
        acts = acts.filter(lead_member_state_id=member_state_id)
    label = " — ".join(str(part) for part in (year, scope.label) if part)
    return selectors.overdue_reports(acts, year), selectors.overdue_count(acts, year), label


def progress_reports(request: HttpRequest) -> HttpResponse:
    """Overdue reports, reports awaiting acceptance, reports to review, a page at a
    time: each list is the selector whose count the dashboard shows. A PC sees its
    delegation's overdue ones. The overdue list narrows to the overview's year and
    scope when they are given (its "see all")."""
    user = request.user
    show = request.GET.get("show") or "overdue"
    r = roles.roles_of(user)
    mine = request.GET.get("mine") == "1" or not permissions.can_view_overview(user)
    narrowed = ""
    count = None
    if show == "overdue":
        if mine:
            gate(permissions.can_follow_delegation_reports(user))
        rows, count, narrowed = _overdue_rows(request, r.member_state_id if mine else None)
    elif show == "awaiting_acceptance":
        gate(permissions.can_accept_progress_report(user))
        rows = selectors.reports_awaiting_acceptance()
    elif show == "to_review":
        gate(permissions.can_review_progress_reports(user))
        rows = selectors.reports_to_review(user)
    else:
        raise BadRequest(_("Show overdue, awaiting_acceptance or to_review."))
    titles = {
        "overdue": _("Progress reports overdue"),
        "awaiting_acceptance": _("Progress reports awaiting acceptance"),
        "to_review": _("Progress reports to review"),
    }
    paginator = (
        Paginator(rows, PER_PAGE) if count is None else CountedPaginator(rows, PER_PAGE, count)
    )
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "evaluation/progress_report_list.html",
        {
            "show": show,
            "title": titles[show],
            "narrowed": narrowed,
            "mine": mine,
            "page": page,
            "query": params.urlencode(),
            "member_state": r.member_state_code if mine else None,
        },
    )

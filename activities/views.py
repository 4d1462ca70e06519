from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.job_views import JobPages
from pompidou.listing import ListPaginator
from pompidou.rules import gate
from pompidou.textsearch import listed_unranked

from . import export_views, permissions, selectors, services
from .forms import (
    ActivityForm,
    AdoptForm,
    AnnualProgrammeCreateForm,
    CeilingForm,
    EntryFilterForm,
    EntryForm,
    MilestoneForm,
    StatusForm,
)
from .jobs import ANNUAL_PROGRAMME
from .models import AnnualProgrammeEntry, Milestone

SORTABLE = ["reference", "title", "start_date", "end_date", "status", "planned_budget"]


@login_not_required
def activity_list(request):
    """Filterable, sortable list of the activities the visitor may see; CSV/XLSX export."""
    if request.GET.get("fmt"):
        return export_views.export_list(request, request.GET)
    filterset, qs = selectors.filter_activities(request.user, request.GET)
    page = ListPaginator(selectors.activities_for_list(qs), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ordering = request.GET.get("ordering", "")
    columns = []
    for key in SORTABLE:
        sort = params.copy()
        sort["ordering"] = f"-{key}" if ordering == key else key
        columns.append(
            {
                "key": key,
                "url": f"?{sort.urlencode()}",
                "active": ordering.lstrip("-") == key,
                "descending": ordering == f"-{key}",
            }
        )
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": params.urlencode(),
            "columns": columns,
            "status": 200 if filterset.is_valid() else 400,
            # Too many matches to sort by relevance (and no other order asked).
            "unranked": not ordering and listed_unranked(qs),
            "rank_limit": settings.SEARCH_RANK_MAX_ROWS,
        },
        status=200 if filterset.is_valid() else 400,
    )


@login_not_required
def activity_detail(request, reference: str):
    activity = selectors.get_activity_for_user(request.user, reference)
    may_change_status = permissions.can_change_activity_status(request.user)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "status_form": StatusForm(activity=activity, user=request.user)
            if may_change_status
            else None,
            "milestone_form": MilestoneForm()
            if permissions.can_edit_activity(request.user, activity)
            else None,
            "today": services.today(),
        },
    )


def activity_create(request):
    gate(permissions.can_edit_activity(request.user))
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        activity = call_service(
            form, services.activity_create, actor=request.user, **form.service_fields()
        )
        if activity:
            messages.success(request, _("Activity %(ref)s recorded.") % {"ref": activity.reference})
            return redirect("activities:detail", reference=activity.reference)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": None},
        status=400 if form.errors else 200,
    )


def activity_edit(request, reference: str):
    gate(permissions.can_edit_activity(request.user))
    activity = selectors.get_activity_for_user(request.user, reference)
    gate(permissions.can_edit_activity(request.user, activity))
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.service_fields().items() if k in form.changed_data}
        if call_service(
            form, services.activity_update, activity=activity, actor=request.user, **fields
        ):
            messages.success(request, _("Changes saved."))
            return redirect("activities:detail", reference=activity.reference)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity},
        status=400 if form.errors else 200,
    )


@require_POST
def activity_status(request, reference: str):
    gate(permissions.can_change_activity_status(request.user))
    activity = selectors.get_activity_for_user(request.user, reference)
    form = StatusForm(request.POST, activity=activity, user=request.user)
    if form.is_valid() and call_service(
        form,
        services.activity_change_status,
        activity=activity,
        actor=request.user,
        **form.cleaned_data,
    ):
        messages.success(request, _("Status changed."))
    else:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))  # already a str: ErrorList yields messages
    return redirect("activities:detail", reference=activity.reference)


@require_POST
def milestone_add(request, reference: str):
    gate(permissions.can_edit_activity(request.user))
    activity = selectors.get_activity_for_user(request.user, reference)
    form = MilestoneForm(request.POST)
    if form.is_valid() and call_service(
        form, services.milestone_add, activity=activity, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Milestone added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {error}"
                )
    return redirect("activities:detail", reference=activity.reference)


@require_POST
def milestone_done(request, pk: int):
    gate(permissions.can_edit_activity(request.user))
    milestone = get_object_or_404(Milestone.objects.select_related("activity"), pk=pk)
    call_service(
        None,
        services.milestone_set_done,
        milestone=milestone,
        actor=request.user,
        done=request.POST.get("done") == "1",
    )
    return redirect("activities:detail", reference=milestone.activity.reference)


# --- annual programmes --------------------------------------------------------


@login_not_required
def annual_programme_list(request):
    programmes = selectors.annual_programmes_with_totals(
        selectors.annual_programmes_visible_to(request.user)
    ).order_by("-year")
    can_manage = permissions.can_manage_annual_programmes(request.user)
    form = AnnualProgrammeCreateForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        gate(can_manage)
        if form.is_valid():
            ap = call_service(
                form, services.annual_programme_create, actor=request.user, **form.cleaned_data
            )
            if ap:
                messages.success(
                    request, _("Draft annual programme %(year)s started.") % {"year": ap.year}
                )
                return redirect("annual_programmes:detail", year=ap.year)
    return render(
        request,
        "activities/annual_programme_list.html",
        {"programmes": programmes, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_not_required
def annual_programme_detail(request, year: int):
    ap = selectors.get_annual_programme_for_user(request.user, year)
    can_manage = permissions.can_change_annual_programme(request.user, ap)
    forms = {}
    if can_manage:
        forms = {
            "entry_form": EntryForm(annual_programme=ap),
            "adopt_form": AdoptForm(),
            "ceiling_form": CeilingForm(initial={"budget_ceiling": ap.budget_ceiling}),
        }
    if request.headers.get("HX-Request") and request.GET.get("section") == "documents":
        # The documents section polls itself while a compilation runs, so the new
        # PDF and DOCX appear as "latest" the moment the job is done.
        documents = _documents_context(request.user, ap)
        gate(documents["can_view_documents"])
        return render(
            request,
            "activities/partials/annual_programme_documents.html",
            {"ap": ap, **documents},
        )
    entries_section, status = _entries_section(request, ap, bool(can_manage))
    return render(
        request,
        "activities/annual_programme_detail.html",
        {
            "entries_section": entries_section,
            "history": (
                selectors.annual_programme_history(ap)
                if permissions.can_view_history(request.user)
                else []
            ),
            "ap": ap,
            "can_manage": can_manage,
            **_documents_context(request.user, ap),
            **forms,
        },
        status=status,
    )


def _entries_section(request, ap, can_manage: bool) -> tuple[str, int]:
    """The page's totals (the whole programme's, in SQL) and a page of its entries,
    filtered by ``?priority=`` and ``?format=`` (a group's key), as HTML."""
    priority, fmt = request.GET.get("priority", ""), request.GET.get("format", "")
    view = selectors.annual_programme_totals(ap)
    form = EntryFilterForm(request.GET, priorities=view.by_priority, formats=view.by_format)
    status = 200
    if not form.is_valid():
        priority, fmt, status = "", "", 400
    view = selectors.annual_programme_page(view, priority, fmt, request.GET.get("page", 1))
    html = render_to_string(
        "activities/partials/annual_programme_entries.html",
        {
            "view": view,
            "ap": ap,
            "can_manage": can_manage,
            "filter_form": form,
            "page_query": _without_page(request.GET),
        },
        request=request,
    )
    return mark_safe(html), status  # noqa: S308 (our own template's output)


def _without_page(query) -> str:
    """The query string of the page's filters, for the links to other pages."""
    params = query.copy()
    params.pop("page", None)
    return params.urlencode()


def _documents_context(user, ap) -> dict:
    """The page's documents section: the compile control, the running job (polled),
    the latest PDF and DOCX, earlier versions."""
    from .jobs import ANNUAL_PROGRAMME

    if not permissions.can_view_annual_programme_documents(user, ap):
        return {"can_view_documents": False, "can_compile": False}
    ANNUAL_PROGRAMME.sweep()
    documents = selectors.annual_programme_documents(ap)
    active = documents.active
    return {
        "can_view_documents": True,
        "can_compile": permissions.can_compile_annual_programme(user, ap),
        "documents": documents,
        # The running job's card, polled through its own page (documents/job.html).
        "job": active,
        "urls": document_pages.urls(active) if active else None,
        # "Send again" on a job the job queue did not take (the retry service).
        "can_retry": bool(permissions.can_compile_annual_programme(user, ap)),
    }


def _annual_action(request, year: int, form_class, service, success: str, **extra):
    gate(permissions.can_manage_annual_programmes(request.user))
    ap = selectors.get_annual_programme_for_user(request.user, year)
    kwargs = {"annual_programme": ap} if form_class is EntryForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        result = call_service(
            form, service, annual_programme=ap, actor=request.user, **form.cleaned_data, **extra
        )
        if result:
            messages.success(request, success)
            return result
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return None


@require_POST
def annual_programme_add(request, year: int):
    _annual_action(
        request,
        year,
        EntryForm,
        services.annual_programme_add_activity,
        _("Activity added to the annual programme."),
    )
    return redirect("annual_programmes:detail", year=year)


@require_POST
def annual_programme_ceiling(request, year: int):
    _annual_action(
        request,
        year,
        CeilingForm,
        services.annual_programme_set_ceiling,
        _("Budget ceiling changed."),
    )
    return redirect("annual_programmes:detail", year=year)


@require_POST
def annual_programme_adopt(request, year: int):
    _annual_action(
        request,
        year,
        AdoptForm,
        services.annual_programme_adopt,
        _("Adoption recorded: the annual programme is now frozen."),
    )
    return redirect("annual_programmes:detail", year=year)


@require_POST
def annual_programme_remove(request, year: int, entry_id: int):
    gate(permissions.can_manage_annual_programmes(request.user))
    entry = get_object_or_404(
        AnnualProgrammeEntry.objects.select_related("annual_programme", "activity"),
        pk=entry_id,
        annual_programme__year=year,
    )
    try:
        call_service(
            None, services.annual_programme_remove_activity, entry=entry, actor=request.user
        )
        messages.success(request, _("%(ref)s removed.") % {"ref": entry.activity.reference})
    except services.DomainError as exc:
        messages.error(request, exc.message)
    return redirect("annual_programmes:detail", year=year)


@require_POST
def annual_programme_roll_over(request, year: int):
    gate(permissions.can_manage_annual_programmes(request.user))
    ap = selectors.get_annual_programme_for_user(request.user, year)
    try:
        nxt = call_service(
            None, services.annual_programme_roll_over, annual_programme=ap, actor=request.user
        )
    except services.DomainError as exc:
        messages.error(request, exc.message)
        return redirect("annual_programmes:detail", year=year)
    messages.success(
        request,
        _("Draft %(year)s started with the running permanent formats.") % {"year": nxt.year},
    )
    return redirect("annual_programmes:detail", year=nxt.year)


# --- compiled documents -----------------------------------------------------------------


@require_POST
def annual_programme_compile(request, year: int):
    """Queue the compilation and come back to the programme's page, which follows it."""
    gate(permissions.can_compile_annual_programme(request.user))
    ap = selectors.get_annual_programme_for_user(request.user, year)
    gate(permissions.can_compile_annual_programme(request.user, ap))
    document, created = call_service(
        None, services.annual_programme_compile, annual_programme=ap, actor=request.user
    )
    if created:
        messages.success(
            request,
            _("Compilation of %(ref)s started.") % {"ref": document.reference},
        )
    else:
        messages.info(request, _("A compilation was already under way; here it is."))
    return redirect(reverse("annual_programmes:detail", args=[year]) + "#ap-documents")


class AnnualProgrammeDocumentPages(JobPages):
    """The compiled annual programme's page, files and retry (pompidou.job_views)."""

    kind = ANNUAL_PROGRAMME

    def get_job(self, request, *, year: int, pk: int):
        gate(permissions.can_view_annual_programme_documents(request.user))
        ap = selectors.get_annual_programme_for_user(request.user, year)
        gate(permissions.can_view_annual_programme_documents(request.user, ap))
        return get_object_or_404(
            ap.documents.select_related("requested_by", "annual_programme"), pk=pk
        )

    def can_retry(self, user, job) -> bool:
        return permissions.can_compile_annual_programme(user, job.annual_programme)

    def retry_service(self, *, job, actor):
        return services.annual_programme_compile_retry(document=job, actor=actor)

    def title(self, job) -> str:
        return str(job.annual_programme)

    def urls(self, job) -> dict:
        year = job.annual_programme.year
        args = [year, job.pk]
        return {
            "self": reverse("annual_programmes:document", args=args),
            "pdf": reverse("annual_programmes:download", args=[*args, "pdf"]),
            "docx": reverse("annual_programmes:download", args=[*args, "docx"]),
            "retry": reverse("annual_programmes:retry", args=args),
            "back": reverse("annual_programmes:detail", args=[year]),
            "back_label": _("Annual programme %(year)s") % {"year": year},
        }

    def earlier(self, job) -> list[dict]:
        year = job.annual_programme.year
        return [
            {"job": d, "url": reverse("annual_programmes:document", args=[year, d.pk])}
            for d in job.annual_programme.documents.exclude(pk=job.pk).order_by("-created_at")[:20]
        ]


document_pages = AnnualProgrammeDocumentPages()
annual_programme_document = document_pages.page
annual_programme_download = document_pages.download
annual_programme_retry = document_pages.retry

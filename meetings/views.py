"""Pages of meetings: the public calendar, a meeting with its agenda, the agenda
builder and the decisions screen (the Secretariat's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import DomainError, PermissionDenied
from pompidou.forms import HttpForbidden, call_service
from pompidou.lib.ical import Feed, bad_request, calendar_response, feed_language
from pompidou.rules import gate
from programme.models import Meeting, WorkProgramme
from proposals.models import Proposal

from . import permissions, selectors, services
from .forms import AgendaItemForm, AttendanceForm, DecisionEntryForm, MeetingDocumentForm
from .ical import calendar
from .models import AgendaItem
from .workflow import MEETING_WORKFLOW


@login_not_required
def meeting_list(request):
    meetings = list(selectors.meetings_for_list())
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@login_not_required
def meeting_calendar(request):
    """Every meeting as an iCalendar feed, to subscribe to from any calendar (in the
    page's language, or ``?language=``)."""
    language = feed_language(request)
    if language is None:
        return bad_request({"language": [_("Use en or fr.")]})
    with translation.override(language):
        feed = calendar(
            selectors.meetings_for_calendar(),
            Feed.of(request, _("Pompidou Group meetings")),
            lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk])),
        )
        return calendar_response(feed, filename="pompidou-meetings.ics", language=language)


@login_not_required
def meeting_detail(request, pk: int, attendance_form=None, document_form=None, status: int = 200):
    meeting = selectors.get_meeting(pk)
    user = request.user
    can_attend = permissions.can_register_attendance(user, meeting)
    if can_attend and attendance_form is None:
        mine = selectors.attendance_of(meeting, user)
        attendance_form = AttendanceForm(initial={"attendees": mine.attendees if mine else ""})
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "attendance_form": attendance_form if can_attend else None,
            # Proposals are read by the members: the others see their references.
            "members": bool(permissions.can_view_meeting_documents(user, meeting)),
            "documents": (
                list(meeting.documents.all())
                if permissions.can_view_meeting_documents(user, meeting)
                else None
            ),
            "document_form": (
                (document_form or MeetingDocumentForm())
                if permissions.can_manage_meeting_documents(user, meeting)
                else None
            ),
            "attendances": (
                selectors.attendances(meeting)
                if permissions.can_view_attendance(user, meeting)
                else None
            ),
            "meeting": meeting,
            "items": selectors.agenda(meeting),
            "moves": MEETING_WORKFLOW.available(request.user, meeting),
            "can_edit_agenda": bool(permissions.can_edit_agenda(request.user, meeting)),
            "can_record": bool(permissions.can_record_meeting_decisions(request.user, meeting)),
            "can_compile": bool(permissions.can_compile_decision_list(request.user, meeting)),
            "decision_lists": (
                list(meeting.decision_lists.order_by("-created_at")[:10])
                if permissions.can_view_decision_lists(request.user, meeting)
                else None
            ),
        },
        status=status,
    )


@require_POST
def attendance_register(request, pk: int):
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_register_attendance(request.user, meeting))
    form = AttendanceForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            services.attendance_register,
            meeting=meeting,
            actor=request.user,
            attendees=form.cleaned_data["attendees"],
        )
        if done:
            messages.success(request, _("Your delegation's attendance is registered."))
            return redirect("meetings:detail", pk=pk)
    return meeting_detail(request, pk, attendance_form=form, status=400)


@require_POST
def meeting_move(request, pk: int):
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_manage_meeting(request.user, meeting))
    try:
        services.meeting_move(meeting=meeting, to=request.POST.get("to", ""), actor=request.user)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The meeting is %(status)s.") % {"status": meeting.get_status_display()}
        )
    return redirect("meetings:detail", pk=pk)


def _agenda_context(request, meeting: Meeting, year: int, **extra):
    wp = WorkProgramme.objects.in_force().only("first_year", "last_year").first()
    return {
        "meeting": meeting,
        "items": selectors.agenda(meeting),
        "year": year,
        "years": list(wp.years) if wp else [],
        "rows": selectors.ranking_to_add(meeting, year, request.user),
        "item_form": extra.pop("item_form", None) or AgendaItemForm(),
        **extra,
    }


def _year(request, meeting: Meeting) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or meeting.date.year)
    except ValueError:
        return meeting.date.year


def agenda_edit(request, pk: int):
    """The agenda builder: the items in order, the ranking to pick from, other items."""
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_edit_agenda(request.user, meeting))
    year = _year(request, meeting)
    return render(request, "meetings/agenda_edit.html", _agenda_context(request, meeting, year))


@require_POST
def agenda_add_proposals(request, pk: int):
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_edit_agenda(request.user, meeting))
    year = _year(request, meeting)
    ids = [int(v) for v in request.POST.getlist("proposal") if v.isdigit()]
    by_id = Proposal.objects.in_bulk(ids)
    chosen = [by_id[i] for i in ids if i in by_id]
    try:
        items = services.agenda_add_proposals(meeting=meeting, proposals=chosen, actor=request.user)
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        context = _agenda_context(request, meeting, year, pick_errors=exc.errors)
        return render(request, "meetings/agenda_edit.html", context, status=400)
    messages.success(
        request,
        _("%(count)s proposals put on the agenda.") % {"count": len(items)},
    )
    return redirect(f"{reverse('meetings:agenda', args=[pk])}?year={year}")


@require_POST
def agenda_add_item(request, pk: int):
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_edit_agenda(request.user, meeting))
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        item = call_service(
            form,
            services.agenda_add_item,
            meeting=meeting,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            annual_programme=form.cleaned_data["annual_programme"],
            evaluation_report=form.cleaned_data["evaluation_report"],
        )
        if item:
            messages.success(request, _("Item added to the agenda."))
            return redirect("meetings:agenda", pk=pk)
    context = _agenda_context(request, meeting, _year(request, meeting), item_form=form)
    return render(request, "meetings/agenda_edit.html", context, status=400)


@require_POST
def agenda_item_change(request, pk: int, item_id: int):
    """Move an item up or down, or take it off the agenda."""
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_edit_agenda(request.user, meeting))
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_id, meeting=meeting
    )
    action = request.POST.get("action")
    try:
        if action == "up":
            services.agenda_item_move(item=item, offset=-1, actor=request.user)
        elif action == "down":
            services.agenda_item_move(item=item, offset=1, actor=request.user)
        elif action == "remove":
            services.agenda_item_remove(item=item, actor=request.user)
            messages.success(request, _("Item taken off the agenda."))
        else:
            messages.error(request, _("Move the item up or down, or take it off."))
    except PermissionDenied as exc:
        raise HttpForbidden(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("meetings:agenda", pk=pk)


def decisions(request, pk: int):
    """One screen to record the decisions item by item: all saved, or none."""
    meeting = selectors.get_meeting(pk)
    gate(permissions.can_record_meeting_decisions(request.user, meeting))
    items = selectors.agenda(meeting)
    pending = [it for it in items if not it.outcome]
    over = selectors.over_ceiling_items(pending)
    data = request.POST if request.method == "POST" else None
    forms = [DecisionEntryForm(data, item=it, needs_confirmation=it.pk in over) for it in pending]
    status = 200
    if request.method == "POST":
        status = 400
        if all(f.is_valid() for f in forms):
            entries = [
                services.Entry(
                    item_id=f.item.pk,
                    outcome=f.cleaned_data["outcome"],
                    conclusion=f.cleaned_data["conclusion"],
                    confirm_over_ceiling=bool(f.cleaned_data.get("confirm_over_ceiling")),
                )
                for f in forms
            ]
            try:
                decided = services.decisions_record(
                    meeting=meeting, actor=request.user, entries=entries
                )
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except DomainError as exc:
                forms, general = _with_errors(exc, pending, over, data)
                for message in general:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("%(count)s decisions recorded.") % {"count": len(decided)},
                )
                return redirect("meetings:detail", pk=pk)
    decided_items = [it for it in items if it.outcome]
    return render(
        request,
        "meetings/decisions.html",
        {"meeting": meeting, "forms": forms, "decided": decided_items},
        status=status,
    )


def _with_errors(exc: DomainError, pending: list[AgendaItem], over: set[int], data):
    """The screen's forms again, each with its own item's problems; an item refused
    for want of the budget confirmation now shows the confirmation. Returns the
    forms and the problems that belong to no item."""
    confirm = {
        int(key.split(".")[0].removeprefix("item-"))
        for key in exc.errors
        if key.endswith(".confirm_over_ceiling")
    }
    forms = []
    for item in pending:
        form = DecisionEntryForm(data, item=item, needs_confirmation=item.pk in over | confirm)
        form.is_valid()
        for key in (f"item-{item.pk}", f"item-{item.pk}.confirm_over_ceiling"):
            for message in exc.errors.get(key, []):
                if key.endswith(".confirm_over_ceiling"):
                    form.add_error("confirm_over_ceiling", message)
                else:
                    form.add_error(None, message)
        forms.append(form)
    general = [m for key, msgs in exc.errors.items() if not key.startswith("item-") for m in msgs]
    return forms, general

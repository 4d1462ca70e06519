"""The list and the drafting pages: create, edit, submit, withdraw."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.listing import ListPaginator
from pompidou.rules import gate
from programme.models import WorkProgramme

from .. import permissions, selectors, services
from ..forms import (
    ProposalForm,
    WithdrawForm,
)
from ..models import Proposal
from .base import PAGE_SIZE, _act, _error_messages

# --- list ---------------------------------------------------------------------------


def proposal_list(request):
    """The proposals the user may see, filtered; 3 queries for the rows whatever their
    number (rows, priorities, the page's counts)."""
    filterset, qs = selectors.filter_proposals(request.user, request.GET)
    page = ListPaginator(selectors.proposals_for_list(qs), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_counts(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    can_rank = permissions.can_view_score(request.user)
    wp = (
        WorkProgramme.objects.in_force().only("first_year", "last_year").first()
        if can_rank
        else None
    )
    status = 200 if filterset.is_valid() else 400
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": params.urlencode(),
            "can_rank": can_rank,
            "ranking_years": list(wp.years) if wp else [],
        },
        status=status,
    )


# --- drafting -----------------------------------------------------------------------


def _form_page(request, form, proposal, status: int = 200, missing=None):
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "proposal": proposal, "missing": missing},
        status=status,
    )


def _after_save(request, proposal: Proposal):
    """The "Save draft" button ends here; "Save and submit" submits the saved draft and, when
    something is missing, shows every missing item next to its field."""
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft %(ref)s saved.") % {"ref": proposal.reference})
        return redirect("proposals:detail", pk=proposal.pk)
    form = ProposalForm(request.POST, instance=proposal, user=request.user)
    form.is_valid()  # already valid once; binds cleaned_data for the errors below
    if call_service(form, services.proposal_submit, proposal=proposal, actor=request.user):
        messages.success(request, _("Proposal %(ref)s submitted.") % {"ref": proposal.reference})
        return redirect("proposals:detail", pk=proposal.pk)
    messages.warning(
        request,
        _("Draft %(ref)s saved, but it cannot be submitted yet: complete what is marked below.")
        % {"ref": proposal.reference},
    )
    return _form_page(request, form, proposal, status=400)


def proposal_create(request):
    gate(permissions.can_draft_proposal(request.user))
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        proposal = call_service(
            form,
            services.proposal_create,
            actor=request.user,
            as_bureau=form.cleaned_data.get("as_bureau") or False,
            **form.service_fields(),
        )
        if proposal:
            return _after_save(request, proposal)
    return _form_page(request, form, None, status=400 if form.errors else 200)


def proposal_edit(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_edit_proposal(request.user, proposal))
    form = ProposalForm(request.POST or None, instance=proposal, user=request.user)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form,
            services.proposal_update,
            proposal=proposal,
            actor=request.user,
            **form.service_fields(),
        )
        if updated:
            return _after_save(request, updated)
    missing = None if form.is_bound else services.missing_for_submission(proposal)
    return _form_page(request, form, proposal, status=400 if form.errors else 200, missing=missing)


@require_POST
def proposal_submit(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    try:
        call_service(None, services.proposal_submit, proposal=proposal, actor=request.user)
    except DomainError as exc:
        messages.error(request, _("The proposal cannot be submitted yet:"))
        _error_messages(request, exc)
        return redirect("proposals:detail", pk=pk)
    messages.success(request, _("Proposal %(ref)s submitted.") % {"ref": proposal.reference})
    return redirect("proposals:detail", pk=pk)


@require_POST
def proposal_withdraw(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()  # the comment is optional: nothing can be invalid
    _act(
        request,
        services.proposal_withdraw,
        _("Proposal %(ref)s withdrawn.") % {"ref": proposal.reference},
        proposal=proposal,
        comment=(form.cleaned_data.get("comment") or "").strip(),
    )
    return redirect("proposals:detail", pk=pk)

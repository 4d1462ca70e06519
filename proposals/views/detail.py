"""The proposal page and the steps taken from it: supports, documents, assessors,
decisions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.downloads import file_response
from pompidou.forms import call_service
from pompidou.rules import gate
from programme import roles

from .. import permissions, selectors, services, year_ranking
from ..forms import (
    AssessorForm,
    AttachmentForm,
    DeadlineForm,
    DecisionForm,
    SupportForm,
    WithdrawForm,
)
from ..models import Proposal, Support
from ..workflow import PROPOSAL_WORKFLOW
from .base import S, _act
from .comments import discussion_context
from .votes import _current_bureau, _vote_card

# --- detail ---------------------------------------------------------------------------


def _score_table(score: selectors.Score) -> list[dict]:
    """Criteria × assessors as rows of cells (templates cannot index a dict by a variable)."""
    rows = []
    for row in score.criteria:
        rows.append(
            {
                "row": row,
                "cells": [
                    {"score": row.scores.get(a.pk), "comment": row.comments.get(a.pk, "")}
                    for a in score.assessors
                ],
            }
        )
    return rows


def _deadline_form(user, proposal: Proposal, bound: DeadlineForm | None, field: str):
    """The Secretariat's form for one deadline: the one just posted (with its errors)
    or a new one, where the deadline may be set."""
    if not permissions.can_set_deadline(user, proposal, field):
        return None
    if bound is not None and bound.data.get("field") == field:
        return bound
    return DeadlineForm(field=field, initial={"field": field, "day": getattr(proposal, field)})


def _detail(request, proposal: Proposal, status: int = 200, **forms):
    user = request.user
    r = roles.roles_of(user)
    moves = PROPOSAL_WORKFLOW.available(user, proposal)
    names = {m.name for m in moves}
    supports = list(proposal.supports.all())
    my_state_supports = any(s.member_state_id == r.member_state_id for s in supports)
    assessments = list(proposal.assessments.all())
    my_assessment = permissions.own_assessment(user, proposal)
    scored = proposal.status != S.DRAFT and proposal.route != Proposal.Route.URGENT
    score_verdict = permissions.can_view_score(user, proposal)
    can_view_assessors = bool(permissions.can_view_assessors(user, proposal))
    can_edit = bool(permissions.can_edit_proposal(user, proposal))
    can_submit = "submit" in names
    can_assign = bool(permissions.can_assign_assessors(user, proposal))
    can_decide = bool(permissions.can_record_decision(user, proposal))
    can_support = bool(permissions.can_support(user, proposal))
    deadline_form = forms.get("deadline_form")
    budget = year_ranking.adoption_budget(proposal) if can_decide else None
    over_ceiling = bool(budget and budget.over_ceiling)
    today = timezone.localdate()
    score = selectors.score_for(proposal) if (score_verdict and scored) else None
    # Why the scores are hidden, for those who would read them but for the conflict of
    # interest or their own assessment still in draft (a PC never reads them: no note).
    score_hidden = (
        str(score_verdict.reason)
        if scored
        and not score_verdict
        and (permissions.reads_scores(user) or my_assessment is not None)
        else ""
    )
    card = None
    if (
        proposal.route == Proposal.Route.URGENT
        and proposal.status != S.DRAFT
        and permissions.can_follow_votes(user)
    ):
        card = _vote_card(proposal, user, _current_bureau())
    context = {
        "proposal": proposal,
        "events": selectors.history_of(proposal, user),
        "moves": moves,
        "supports": [
            {"support": s, "can_withdraw": bool(permissions.can_withdraw_support(user, s))}
            for s in supports
        ],
        "my_state_code": r.member_state_code,
        # A PC's one button; the Secretariat records a support by letter in a form.
        "can_support": can_support and not r.is_secretariat and not my_state_supports,
        "support_form": forms.get("support_form")
        or (SupportForm(proposal=proposal) if can_support and r.is_secretariat else None),
        "can_edit": can_edit,
        "can_submit": can_submit,
        "missing": services.missing_for_submission(proposal) if can_submit else None,
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s") if "withdraw" in names else None,
        "assessments": [
            {"assessment": a, "overdue": a.is_overdue(today)}
            for a in (assessments if can_view_assessors else [])
        ],
        "my_assessment": my_assessment,
        "assessor_form": forms.get("assessor_form")
        or (AssessorForm(proposal=proposal) if can_assign else None),
        "decision_form": forms.get("decision_form")
        or (DecisionForm(over_ceiling=over_ceiling) if can_decide else None),
        "adoption_budget": budget,
        "attachments": list(proposal.attachments.all()),
        "attachment_form": forms.get("attachment_form") or (AttachmentForm() if can_edit else None),
        "score": score,
        "score_hidden": score_hidden,
        "score_rows": _score_table(score) if score else [],
        "card": card,
        "decisions": list(proposal.decisions.all()),
        "support_closed": permissions.support_closed(proposal, today),
        "support_deadline_form": _deadline_form(user, proposal, deadline_form, "support_deadline"),
        "vote_deadline_form": _deadline_form(user, proposal, deadline_form, "vote_deadline"),
        **discussion_context(user, proposal, forms.get("comment_form")),
    }
    return render(request, "proposals/proposal_detail.html", context, status=status)


def proposal_detail(request, pk: int):
    return _detail(request, selectors.get_proposal_for_user(request.user, pk))


# --- supports, assessors, decisions ------------------------------------------------------


@require_POST
def support_add(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    if not roles.is_secretariat(request.user):
        _act(
            request,
            services.support_add,
            _("Your delegation now supports %(ref)s.") % {"ref": proposal.reference},
            proposal=proposal,
        )
        return redirect("proposals:detail", pk=pk)
    # The Secretariat records a support received by letter: which delegation, and a note.
    form = SupportForm(request.POST, proposal=proposal)
    if form.is_valid() and call_service(
        form, services.support_add, proposal=proposal, actor=request.user, **form.cleaned_data
    ):
        messages.success(
            request,
            _("The support of %(state)s is recorded.")
            % {"state": form.cleaned_data["member_state"].name},
        )
        return redirect("proposals:detail", pk=pk)
    return _detail(request, proposal, status=400, support_form=form)


@require_POST
def support_withdraw(request, pk: int, support_id: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    support = get_object_or_404(
        Support.objects.select_related("member_state", "proposal"), pk=support_id, proposal=proposal
    )
    _act(
        request,
        services.support_withdraw,
        _("The support of %(state)s is withdrawn.") % {"state": support.member_state.name},
        support=support,
    )
    return redirect("proposals:detail", pk=pk)


@require_POST
def attachment_add(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_edit_proposal(request.user, proposal))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and call_service(
        form,
        services.attachment_add,
        proposal=proposal,
        actor=request.user,
        file=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
    ):
        messages.success(request, _("The document is attached."))
        return redirect(reverse("proposals:detail", args=[pk]) + "#attachments")
    return _detail(request, proposal, status=400, attachment_form=form)


@require_POST
def attachment_remove(request, pk: int, attachment_id: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
    _act(
        request,
        services.attachment_remove,
        _("The document %(title)s is removed.") % {"title": attachment.title},
        attachment=attachment,
    )
    return redirect(reverse("proposals:detail", args=[pk]) + "#attachments")


def attachment_download(request, pk: int, attachment_id: int):
    """Served through the permission check, never as a bare /media/ address: those who
    may see the proposal, or the activity it became."""
    attachment = selectors.get_attachment_for_user(request.user, pk, attachment_id)
    return file_response(attachment.file, attachment.filename)


@require_POST
def assessor_assign(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_assign_assessors(request.user))
    form = AssessorForm(request.POST, proposal=proposal)
    if form.is_valid():
        assessor = form.cleaned_data["username"]
        if call_service(
            form,
            services.assessor_assign,
            proposal=proposal,
            assessor=assessor,
            actor=request.user,
            due_date=form.cleaned_data["due_date"],
        ):
            messages.success(
                request,
                _("%(name)s now assesses %(ref)s.")
                % {
                    "name": assessor.get_full_name() or assessor.username,
                    "ref": proposal.reference,
                },
            )
            return redirect("proposals:detail", pk=pk)
    return _detail(request, proposal, status=400, assessor_form=form)


@require_POST
def decision_record(request, pk: int):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_record_decision(request.user))
    budget = year_ranking.adoption_budget(proposal)
    form = DecisionForm(request.POST, over_ceiling=bool(budget and budget.over_ceiling))
    if form.is_valid():
        decision = call_service(
            form,
            services.decision_record,
            proposal=proposal,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            meeting=form.cleaned_data["meeting"],
            rationale=form.cleaned_data["rationale"],
            confirm_over_ceiling=form.cleaned_data.get("confirm_over_ceiling") or False,
        )
        if decision:
            messages.success(
                request,
                _("Decision recorded: %(outcome)s.") % {"outcome": decision.get_outcome_display()},
            )
            return redirect("proposals:detail", pk=pk)
    return _detail(request, proposal, status=400, decision_form=form)


@require_POST
def deadline_set(request, pk: int):
    """The Secretariat sets the support deadline (or an urgent proposal's voting
    deadline)."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_set_deadline(request.user))
    field = request.POST.get("field", "")
    if field not in services.DEADLINE_FIELDS:
        messages.error(request, _("Say which deadline you set."))
        return _detail(request, proposal, status=400)
    form = DeadlineForm(request.POST, field=field)
    if form.is_valid():
        done = call_service(
            form,
            services.deadline_set,
            proposal=proposal,
            actor=request.user,
            field=form.cleaned_data["field"],
            day=form.cleaned_data["day"],
        )
        if done:
            messages.success(
                request,
                _("The deadline is now %(day)s.")
                % {"day": date_format(form.cleaned_data["day"], "DATE_FORMAT")},
            )
            return redirect("proposals:detail", pk=pk)
    return _detail(request, proposal, status=400, deadline_form=form)

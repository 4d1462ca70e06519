"""Pages of the proposal workflow (section 2.2): thin views over the services,
selectors and permissions of this app."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import AnnualProgramme
from pompidou.downloads import file_response
from pompidou.errors import DomainError
from pompidou.forms import call_service
from programme import roles
from programme.models import BureauMandate, WorkProgramme

from . import permissions, selectors, services
from .forms import (
    AssessmentForm,
    AssessorForm,
    AttachmentForm,
    DecisionForm,
    ProposalForm,
    SupportForm,
    WithdrawForm,
)
from .models import Assessment, Proposal, Support
from .workflow import PROPOSAL_WORKFLOW

S = Proposal.Status
PAGE_SIZE = 50


def _require(verdict) -> None:
    """A refusal by role is a 403 here; one by the proposal's state is left to the
    service, which words it as a message on the page."""
    if not verdict and not getattr(verdict, "state", False):
        raise PermissionDenied(str(getattr(verdict, "reason", "")))


def _error_messages(request, exc: DomainError) -> None:
    for text in (m for msgs in exc.errors.values() for m in msgs):
        messages.error(request, text)


def _act(request, service, success: str, **kwargs) -> bool:
    """Run a service that needs no form: a refusal is a 403, a broken rule a message."""
    try:
        call_service(None, service, actor=request.user, **kwargs)
    except DomainError as exc:
        _error_messages(request, exc)
        return False
    messages.success(request, success)
    return True


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- list ---------------------------------------------------------------------------


def proposal_list(request):
    """The proposals the user may see, filtered; 2 queries for the rows whatever their number."""
    filterset, qs = selectors.filter_proposals(request.user, request.GET)
    page = Paginator(selectors.proposals_for_list(qs), PAGE_SIZE).get_page(request.GET.get("page"))
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
            "can_draft": permissions.can_draft_proposal(request.user),
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
    _require(permissions.can_draft_proposal(request.user))
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
    _require(permissions.can_edit_proposal(request.user, proposal))
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


def _current_bureau_ids() -> list[int]:
    return list(BureauMandate.objects.current().values_list("user", flat=True).distinct())


@dataclass
class VoteCard:
    proposal: Proposal
    approve: int
    reject: int
    abstain: int
    not_voted: int
    size: int
    needed: int
    my_vote: str | None
    can_vote: bool
    decision: object | None
    votes: list = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.proposal.status == S.BUREAU_VOTE


def _vote_card(proposal: Proposal, user, bureau_ids: list[int]) -> VoteCard:
    """The tally of the current Bureau's votes (from the prefetched votes)."""
    members = set(bureau_ids)
    votes = list(proposal.votes.all())
    tally = services.tally_votes(((v.voter_id, v.vote) for v in votes), members)
    mine = next((v.vote for v in votes if v.voter_id == user.pk), None)
    decision = None
    if proposal.status != S.BUREAU_VOTE and "decisions" in getattr(
        proposal, "_prefetched_objects_cache", {}
    ):
        decisions = list(proposal.decisions.all())
        decision = decisions[-1] if decisions else None
    return VoteCard(
        proposal=proposal,
        approve=tally.approve,
        reject=tally.reject,
        abstain=tally.abstain,
        not_voted=tally.not_voted,
        size=tally.size,
        needed=tally.needed,
        my_vote=mine,
        can_vote=bool(permissions.can_vote(user)),
        decision=decision,
        votes=votes,
    )


def _detail(request, proposal: Proposal, status: int = 200, **forms):
    user = request.user
    r = roles.roles_of(user)
    moves = PROPOSAL_WORKFLOW.available(user, proposal)
    names = {m.name for m in moves}
    supports = list(proposal.supports.all())
    my_state_supports = any(s.member_state_id == r.member_state_id for s in supports)
    can_view_score = bool(permissions.can_view_score(user))
    assessments = list(proposal.assessments.all())
    my_assessment = next((a for a in assessments if a.assessor_id == user.pk), None)
    can_edit = bool(permissions.can_edit_proposal(user, proposal))
    can_submit = "submit" in names
    can_assign = bool(permissions.can_assign_assessors(user, proposal))
    can_decide = bool(permissions.can_record_decision(user, proposal))
    can_support = bool(permissions.can_support(user, proposal))
    budget = selectors.adoption_budget(proposal) if can_decide else None
    over_ceiling = bool(budget and budget.over_ceiling)
    today = timezone.localdate()
    score = None
    if can_view_score and proposal.status != S.DRAFT and proposal.route != Proposal.Route.URGENT:
        score = selectors.score_for(proposal)
    card = None
    if (
        proposal.route == Proposal.Route.URGENT
        and proposal.status != S.DRAFT
        and permissions.can_follow_votes(user)
    ):
        card = _vote_card(proposal, user, _current_bureau_ids())
    context = {
        "proposal": proposal,
        "events": selectors.history_of(proposal),
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
            for a in (assessments if (can_view_score or r.is_secretariat) else [])
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
        "score_rows": _score_table(score) if score else [],
        "card": card,
        "decisions": list(proposal.decisions.all()),
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
    _require(permissions.can_edit_proposal(request.user, proposal))
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
    _require(permissions.can_assign_assessors(request.user))
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
    _require(permissions.can_record_decision(request.user))
    budget = selectors.adoption_budget(proposal)
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


# --- assessment -------------------------------------------------------------------------


def assessment(request, pk: int):
    """The assigned assessor's scores: a draft until submitted, then read-only."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    mine = next((a for a in proposal.assessments.all() if a.assessor_id == request.user.pk), None)
    _require(permissions.can_assess(request.user, proposal))
    criteria = list(selectors.scored_criteria(proposal))
    existing = {s.criterion_id: (s.score, s.comment) for s in mine.scores.all()}
    editable = mine.status == Assessment.Status.DRAFT and proposal.status == S.UNDER_ASSESSMENT
    form = None
    status = 200
    if editable:
        form = AssessmentForm(request.POST or None, criteria=criteria, existing=existing)
        if request.method == "POST" and form.is_valid():
            submit = request.POST.get("action") == "submit"
            items, targets = form.scores()
            try:
                call_service(
                    None,
                    services.assessment_save,
                    assessment=mine,
                    actor=request.user,
                    scores=items,
                    submit=submit,
                )
            except DomainError as exc:
                for key, msgs in exc.errors.items():
                    # The service names items "scores[i]", in the order they were sent.
                    target = None
                    if key.startswith("scores[") and key.endswith("]"):
                        index = int(key[len("scores[") : -1])
                        target = targets[index] if index < len(targets) else None
                    for message in msgs:
                        form.add_error(target, message)
            else:
                if submit:
                    messages.success(request, _("Assessment submitted. Thank you."))
                    return redirect("proposals:detail", pk=pk)
                messages.success(request, _("Draft assessment saved."))
                return redirect("proposals:assessment", pk=pk)
        if form.errors:
            status = 400
    elif request.method == "POST":
        messages.error(request, _("This assessment can no longer change."))
        return redirect("proposals:assessment", pk=pk)
    readonly = [
        {
            "criterion": c,
            "score": existing.get(c.pk, (None, ""))[0],
            "comment": existing.get(c.pk, (None, ""))[1],
        }
        for c in criteria
    ]
    return render(
        request,
        "proposals/assessment_form.html",
        {
            "proposal": proposal,
            "assessment": mine,
            "form": form,
            "readonly": readonly,
            "supported": bool(list(proposal.supports.all())),
            "overdue": mine.is_overdue(timezone.localdate()),
        },
        status=status,
    )


# --- ranking ---------------------------------------------------------------------------


def ranking(request, year: int):
    """Proposals for the year's annual programme by score (or by cost), each placed
    after what the programme already commits, against its ceiling."""
    _require(permissions.can_view_score(request.user))
    ap = AnnualProgramme.objects.filter(year=year).only("year", "budget_ceiling", "status").first()
    budget = selectors.year_budget(year, ap)
    rows = selectors.ranking(year, budget)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    sort = request.GET.get("sort", "score")
    if sort == "cost":
        rows = selectors.cumulate(
            sorted(rows, key=lambda r: (r.proposal.estimated_cost or 0, r.rank)), budget
        )
    wp = WorkProgramme.objects.in_force().only("first_year", "last_year").first()
    return render(
        request,
        "proposals/ranking.html",
        {
            "year": year,
            "annual_programme": ap,
            "budget": budget,
            "ceiling": budget.ceiling,
            "rows": rows,
            "sort": "cost" if sort == "cost" else "score",
            "years": list(wp.years) if wp else [],
            "total": sum((r.proposal.estimated_cost or 0 for r in rows), 0),
            "beyond": sum(1 for r in rows if not r.within_ceiling),
        },
    )


# --- urgent activities: the Bureau's vote ----------------------------------------------------


def _pending_votes(user) -> int:
    """The "awaits your vote" count: the dashboard's selector."""
    return selectors.todo_count(user, "awaiting_vote") if permissions.can_vote(user) else 0


def urgent_queue(request):
    """The open votes (``?todo=awaiting_vote``: those awaiting mine only) and the
    decided ones with their tally."""
    user = request.user
    _require(permissions.can_follow_votes(user))
    bureau_ids = _current_bureau_ids()
    queue = selectors.urgent_queue()
    only_mine = request.GET.get("todo") == "awaiting_vote"
    if only_mine:
        queue = selectors.todo(queue, user, "awaiting_vote")
    cards = [_vote_card(p, user, bureau_ids) for p in queue]
    decided = [_vote_card(p, user, bureau_ids) for p in selectors.urgent_decided()[:50]]
    return render(
        request,
        "proposals/urgent_queue.html",
        {
            "cards": cards,
            "decided": decided,
            "only_mine": only_mine,
            "pending": _pending_votes(user),
        },
    )


@require_POST
def vote(request, pk: int):
    """One click from the urgent queue: htmx gets the card back (and the badge of votes
    awaited, out of band), a plain form a redirect."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    error = None
    try:
        call_service(
            None,
            services.bureau_vote_cast,
            proposal=proposal,
            actor=request.user,
            vote=request.POST.get("vote", ""),
            comment=request.POST.get("comment", "").strip(),
        )
    except DomainError as exc:
        error = exc.message
    if _is_htmx(request):
        proposal = selectors.get_proposal_for_user(request.user, pk)
        card = _vote_card(proposal, request.user, _current_bureau_ids())
        return render(
            request,
            "proposals/partials/vote_card.html",
            {
                "card": card,
                "error": error,
                "just_voted": error is None,
                "compact": request.POST.get("compact") == "1",
                "next_url": _safe_next(request),
                "pending": _pending_votes(request.user),
                "oob_badge": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Your vote on %(ref)s is recorded.") % {"ref": proposal.reference}
        )
    return redirect(_safe_next(request))


def _safe_next(request) -> str:
    """Where the vote came from (the queue or the proposal), never another site."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("proposals:urgent")

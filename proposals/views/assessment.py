"""The assessor's form and the ranking against the year's budget."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from activities.models import AnnualProgramme
from pompidou.errors import DomainError
from pompidou.forms import call_service
from pompidou.listing import cached_result
from pompidou.rules import gate
from programme.models import WorkProgramme

from .. import permissions, selectors, services, year_ranking
from ..forms import (
    AssessmentForm,
)

# --- assessment -------------------------------------------------------------------------


def assessment(request, pk: int):
    """The assigned assessor's scores: a draft until submitted, then read-only."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    gate(permissions.can_assess(request.user, proposal))
    # can_assess found the user among the assessors: this is their assessment.
    mine = next(a for a in proposal.assessments.all() if a.assessor_id == request.user.pk)
    criteria = list(selectors.scored_criteria(proposal))
    existing = {s.criterion_id: (s.score, s.comment) for s in mine.scores.all()}
    # The rule the service requires: its assessor, a draft, the proposal under assessment.
    editable = bool(permissions.can_fill_assessment(request.user, mine))
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
    gate(permissions.can_view_score(request.user))
    ap = AnnualProgramme.objects.filter(year=year).only("year", "budget_ceiling", "status").first()
    budget = year_ranking.year_budget(year, ap)
    sort = "cost" if request.GET.get("sort") == "cost" else "score"
    # The table and its figures, rendered once until the next write: the rows are the
    # user's (their scope is in the rows' SQL), the budget and the order are the key's.
    qs, extra = year_ranking.ranking_inputs(year, request.user, request.user.pk, sort, budget)
    shown = cached_result(
        "ranking-table", qs, lambda: _ranking_table(request, year, budget, sort), extra
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
            "sort": sort,
            "years": list(wp.years) if wp else [],
            "withheld": year_ranking.ranking_withheld(year, request.user),
            **shown,
        },
    )


def _ranking_table(request, year: int, budget, sort: str) -> dict:
    rows = year_ranking.ranking(year, budget, request.user)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    if sort == "cost":
        rows = year_ranking.cumulate(
            sorted(rows, key=lambda r: (r.proposal.estimated_cost or 0, r.rank)), budget
        )
    table = render_to_string(
        "proposals/partials/ranking_table.html",
        {"year": year, "rows": rows, "sort": sort},
        request=request,
    )
    return {
        "table": mark_safe(table),  # noqa: S308 - rendered by the template engine
        "total": sum((r.proposal.estimated_cost or 0 for r in rows), 0),
        "beyond": sum(1 for r in rows if not r.within_ceiling),
    }

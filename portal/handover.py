"""The Secretariat's pages of a programme's adoption and entry into force (issue 18):
"Record adoption" and "Put in force and hand over". Thin: each calls one service
(programme.handover.programme_adopt, proposals.handover.programme_put_in_force)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from activities.handover import running_activities
from activities.models import Activity
from pompidou.errors import DomainError, PermissionDenied
from pompidou.forms import call_service
from pompidou.rules import gate
from programme.handover import programme_adopt, programme_in_force
from programme.models import WorkProgramme
from programme.permissions import can_move_programme
from proposals.handover import open_proposals, programme_put_in_force
from proposals.models import Proposal

from .handover_forms import ActivityRowForm, AdoptionForm, Choices, ProposalRowForm

W = WorkProgramme.Status


def _programme(request: HttpRequest, pk: int) -> WorkProgramme:
    programme = get_object_or_404(WorkProgramme, pk=pk)
    gate(can_move_programme(request.user, programme))
    return programme


def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the Ministerial Conference adopted: the Conference and the reference."""
    programme = _programme(request, pk)
    initial = {
        # modeltranslation's columns, which the model class does not declare.
        "adopted_by_en": getattr(programme, "adopted_by_en", ""),
        "adopted_by_fr": getattr(programme, "adopted_by_fr", ""),
        "conference_number": programme.conference_number,
        "adopted_place": programme.adopted_place,
        "conference_start": programme.conference_start,
        "adopted_on": programme.adopted_on,
        "reference": programme.reference,
    }
    form = AdoptionForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and call_service(
            form, programme_adopt, programme=programme, by=request.user, **form.cleaned_data
        ):
            messages.success(request, _("The adoption of the programme is recorded."))
            return redirect("programme:detail", pk=programme.pk)
    return render(
        request,
        "programme/handover/adopt.html",
        {"wp": programme, "form": form, "adoptable": programme.status == W.CONSULTATION},
        status=status,
    )


def _posted_ids(data: Any, kind: str) -> set[int]:
    """The rows the page showed (each posts its hidden ``shown`` field)."""
    pattern = re.compile(rf"^{kind}-(\d+)-shown$")
    return {int(m.group(1)) for key in (data or {}) if (m := pattern.match(key))}


def _rows(current: QuerySet[Any], model: Any, posted: set[int]) -> list[Any]:
    """The rows now, and those the page showed that are no longer among them (the
    service then says they changed meanwhile)."""
    rows = list(current)
    gone = posted - {r.pk for r in rows}
    if gone:
        rows += list(
            model.objects.filter(pk__in=gone)
            .select_related("permanent_format")
            .prefetch_related("thematic_priorities")
        )
    return rows


def _spread(exc: DomainError, forms: dict[str, Any], request: HttpRequest) -> None:
    """Each problem next to its row and field; the others at the top of the page."""
    for key, problems in exc.errors.items():
        prefix, _dot, name = key.partition(".")
        form = forms.get(prefix)
        for problem in problems:
            if form is None:
                messages.error(request, problem)
            else:
                form.add_error(name if name in form.fields else None, problem)


def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Put an adopted programme in force: confirm the running activities carried over
    (mapped to its priorities and formats) and move or close the open proposals."""
    new = _programme(request, pk)
    old = programme_in_force()
    data = request.POST if request.method == "POST" else None
    activities = _rows(
        running_activities(old) if old else Activity.objects.none(),
        Activity,
        _posted_ids(data, "activity"),
    )
    proposals = _rows(
        open_proposals(old) if old else Proposal.objects.none(),
        Proposal,
        _posted_ids(data, "proposal"),
    )
    choices = Choices.of(new)
    activity_forms = [ActivityRowForm(data, activity=a, choices=choices) for a in activities]
    proposal_forms = [
        ProposalRowForm(data, proposal=p, new=new, choices=choices) for p in proposals
    ]
    status = 200
    if request.method == "POST":
        status = 400
        forms = [*activity_forms, *proposal_forms]
        if all(f.is_valid() for f in forms):
            try:
                programme_put_in_force(
                    new,
                    by=request.user,
                    activities=[f.row() for f in activity_forms if f.was_shown],
                    proposals=[f.row() for f in proposal_forms if f.was_shown],
                )
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except DomainError as exc:
                messages.error(
                    request,
                    _("Nothing was saved: correct the rows marked below, then confirm again."),
                )
                _spread(exc, {str(f.prefix): f for f in forms}, request)
            else:
                messages.success(
                    request,
                    _("%(new)s is in force; the hand-over is recorded.") % {"new": new.reference},
                )
                return redirect("programme:current")
        else:
            messages.error(
                request, _("Nothing was saved: correct the rows marked below, then confirm again.")
            )
    return render(
        request,
        "programme/handover/hand_over.html",
        {
            "wp": new,
            "old": old,
            "ready": new.status == W.ADOPTED,
            "activity_forms": activity_forms,
            "proposal_forms": proposal_forms,
        },
        status=status,
    )

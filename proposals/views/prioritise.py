"""Suggest a programme within budget: the form on top, the optimal selection beside
the greedy one below. A read: the form is sent with GET, so a suggestion has an
address the Secretariat can bookmark or send."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from pompidou.forms import call_service
from pompidou.listing import cached_result
from pompidou.rules import gate
from programme.models import WorkProgramme

from .. import permissions, services, year_ranking
from ..prioritise_forms import PrioritiseForm
from ..services.prioritise import structure_of, work_programme_of, year_candidates


def _asked_year(request) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


def prioritise(request):
    gate(permissions.can_view_score(request.user))
    asked = _asked_year(request)
    year = asked if asked is not None else timezone.localdate().year
    # A year no programme covers: the years of the programme in force to choose from,
    # and, when none was asked, this year brought within them.
    wp = work_programme_of(year) or WorkProgramme.objects.in_force().first()
    years = list(wp.years) if wp else []
    if wp and year not in years:
        if asked is None:
            year = min(max(year, years[0]), years[-1])
        else:
            wp = None  # no priorities, formats or proposals of another programme's year
    budget = year_ranking.year_budget(year)
    priorities, formats = structure_of(wp)
    candidates = year_candidates(year, budget, request.user) if wp else []
    form = PrioritiseForm(
        request.GET if "run" in request.GET else None,
        initial={"year": year},
        years=years,
        priorities=priorities,
        formats=formats,
        candidates=candidates,
    )
    suggestion = None
    if form.is_bound and form.is_valid():
        suggestion = call_service(
            form, services.prioritise, actor=request.user, **form.service_kwargs()
        )
    return render(
        request,
        "proposals/prioritise.html",
        {
            "year": year,
            "years": years,
            "budget": suggestion.budget if suggestion else budget,
            "form": form,
            "suggestion": suggestion,
            "outcome": suggestion.outcome if suggestion else None,
            "candidates": candidates,
            "choices": _choices(request, year, form) if candidates else {},
        },
    )


def _choices(request, year: int, form: PrioritiseForm) -> dict:
    """The include and exclude boxes, one per candidate: rendered once per user and
    year until the next write while nothing is ticked (a form sent renders its own)."""
    names = ("include", "exclude")
    if form.is_bound:
        return {}
    qs, extra = year_ranking.ranking_inputs(year, request.user, request.user.pk, *names)
    return cached_result(
        "suggest-choices",
        qs,
        lambda: {
            name: mark_safe(  # noqa: S308 - rendered by the template engine
                render_to_string("includes/field.html", {"field": form[name]}, request=request)
            )
            for name in names
        },
        extra,
    )

"""The results page of the navigation's search box."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from .documents import SOURCES
from .engine import MAX_PER_KIND, search
from .forms import SearchForm

PAGE_SIZE = 20


@login_not_required
def results(request: HttpRequest) -> HttpResponse:
    """Anyone may search; each finds what they may see. An empty box shows what to do,
    a refused one its reason, and neither searches."""
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "nav": "search", "q": request.GET.get("q", "").strip()}
    if form.is_bound and form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
        found = search(user=request.user, q=q, kind=kind)
        page: Any = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
        context |= {
            "page": page,
            "kind": kind,
            "query": urlencode({"q": q, **({"kind": kind} if kind else {})}),
            "kinds": [
                {
                    "kind": source.kind,
                    "label": source.label,
                    "count": found.counts[source.kind],
                    "query": urlencode({"q": q, "kind": source.kind}),
                }
                for source in SOURCES
            ],
            "total": sum(found.counts.values()),
            "capped": found.capped,
            "max_per_kind": MAX_PER_KIND,
            "all_query": urlencode({"q": q}),
        }
    return render(request, "search/results.html", context)

"""What the bench measures: each page and endpoint with the role that asks for it,
resolved against one database (references, ids and years taken from its data)."""

from dataclasses import asdict, dataclass, field

# The account of each role (generate_bench_data creates the demo accounts).
ROLES = {
    "secretariat": "secretariat",
    "correspondent": "pc_fr",
    "bureau": "bureau_chair",
    "expert": "expert_health",
}
SEARCH = "naloxone"


@dataclass
class Endpoint:
    name: str
    path: str
    role: str | None = None  # None: anonymous
    method: str = "GET"
    body: dict | None = None
    group: str = "page"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def resolve() -> list[Endpoint]:
    """The endpoints against the current database (Django set up)."""
    from collections import Counter

    from activities.models import Activity, AnnualProgramme
    from programme.models import ThematicPriority, WorkProgramme
    from proposals.models import Proposal

    wp = WorkProgramme.objects.in_force().first()
    year = wp.last_year if wp else 2026
    priority = (
        ThematicPriority.objects.filter(work_programme=wp)
        .order_by("number")
        .values_list("number", flat=True)[1:2]
        .first()
        or "3.3"
    )
    public = Activity.objects.public().order_by("-start_date", "reference")
    count = public.count()
    detail = public.values_list("reference", flat=True)[count // 2 : count // 2 + 1].first()
    open_annual = Proposal.objects.filter(
        route="annual", status__in=["submitted", "under_assessment", "deferred"]
    ).values_list("year", flat=True)
    ranking_year = (Counter(y for y in open_annual if y).most_common(1) or [(year, 0)])[0][0]
    similar = (
        Proposal.objects.filter(status="under_assessment")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        or Proposal.objects.order_by("pk").values_list("pk", flat=True).first()
    )
    adopted = AnnualProgramme.objects.filter(status="adopted")
    ap_year = _largest_year(adopted) or year
    out = [
        Endpoint("activity list", "/en/activities/"),
        Endpoint(
            "activity list, filtered",
            f"/en/activities/?status=ongoing&thematic_priority={priority}&year={year}",
        ),
        Endpoint("activity list, searched", f"/en/activities/?search={SEARCH}"),
        Endpoint("activity list, last page", ""),  # resolved from the first page
        Endpoint("activity list, middle page", ""),  # likewise
        Endpoint("activity detail", f"/en/activities/{detail}/", "secretariat"),
        Endpoint("programme", "/en/programme/"),
        *(Endpoint(f"dashboard ({role})", "/en/", role) for role in ROLES),
        Endpoint("proposals list", "/en/proposals/", "secretariat"),
        Endpoint("ranking", f"/en/proposals/ranking/{ranking_year}/", "secretariat"),
        Endpoint("evaluation overview", "/en/evaluation/", "secretariat"),
        Endpoint("annual programme page", f"/en/annual-programmes/{ap_year}/", "secretariat"),
        Endpoint("API activities", "/api/v1/activities/?page_size=100", group="api"),
        Endpoint(
            "API activities, searched",
            f"/api/v1/activities/?page_size=100&search={SEARCH}",
            group="api",
        ),
        Endpoint("API activities, deep", "", group="api"),  # resolved by following `next`
        Endpoint("API proposals", "/api/v1/proposals/", "secretariat", group="api"),
        Endpoint("suggest (page)", "/en/proposals/suggest/", "secretariat", group="beyond"),
        Endpoint(
            "prioritise API",
            "/api/v1/proposals/prioritise/",
            "secretariat",
            method="POST",
            body={"year": ranking_year},
            group="beyond",
        ),
        Endpoint(
            "similar proposals API",
            f"/api/v1/proposals/{similar}/similar/",
            "secretariat",
            group="beyond",
        ),
        Endpoint("IATI export", "/api/v1/activities/iati/", group="beyond"),
        Endpoint("calendar (ics)", "/calendar/activities.ics", group="beyond"),
    ]
    return out


def _largest_year(programmes) -> int | None:
    from django.db.models import Count

    row = programmes.annotate(n=Count("entries")).order_by("-n").values_list("year", flat=True)
    return row.first()


COMPILE_TARGET_ROWS = 5000  # issue 17: "the annual programme of a year with 5,000 rows"


def compile_rows() -> dict[int, int]:
    """Per annual programme's year, the rows its document lists: its entries and the
    ad hoc and urgent activities of its year."""
    from activities.models import Activity, AnnualProgramme

    return {
        ap.year: ap.entries.count()
        + Activity.objects.filter(adoption_route__in=["ad_hoc", "urgent"])
        .running_in(ap.year)
        .count()
        for ap in AnnualProgramme.objects.all()
    }


def compile_year(target: int = COMPILE_TARGET_ROWS) -> int | None:
    """The year whose compile the bench times: the smallest annual programme with at
    least ``target`` rows (the target's size), or the largest where none reaches it."""
    rows = compile_rows()
    if not rows:
        return None
    reaching = [(n, year) for year, n in rows.items() if n >= target]
    return min(reaching)[1] if reaching else max((n, year) for year, n in rows.items())[1]

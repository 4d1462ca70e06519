"""Every list page and list endpoint, and the exact number of queries each answers in,
as each persona who sees it (``tests/query_counts/test_lists.py`` measures them at two
sizes of data).

A new list page or endpoint is one row in ``LISTS`` and its numbers in ``QUERIES``.
When a change adds or removes a query on purpose, change the number here and say in
the commit which query it is.

Each row: a name, the address (a function of the world: some addresses need a key),
the text that appears once per row shown (checked to grow with the data, so that
the list measured is the list with the rows), and the personas to measure."""

from collections.abc import Callable
from dataclasses import dataclass

from tests.query_counts.world import World

ROW = "Drug policy training"  # every activity's title
PROPOSAL = "Proposal "  # every proposal's title (tests/proposals/factories.py)
ANY = ("anonymous", "secretariat", "pc_fr", "bureau_chair", "expert")
MEMBERS = ("secretariat", "pc_fr", "bureau_chair", "expert")


@dataclass(frozen=True)
class Listing:
    name: str
    address: Callable[[World], str]
    shows: str
    personas: tuple[str, ...]


def _priority(world: World) -> int:
    return world.programme.priorities.order_by("number")[0].pk


def _format(world: World) -> int:
    return world.programme.formats.order_by("number")[0].pk


PAGES = [
    Listing("activities", lambda w: "/en/activities/", ROW, ("anonymous", "secretariat")),
    Listing(
        "activities filtered",
        lambda w: f"/en/activities/?status=ongoing&permanent_format={_format(w)}",
        ROW,
        ("anonymous", "secretariat"),
    ),
    Listing(
        "activities searched",
        lambda w: "/en/activities/?search=training",
        ROW,
        ("anonymous", "secretariat"),
    ),
    # One annual programme at both sizes: its totals (annotations) grow, not its rows.
    Listing("annual programmes", lambda w: "/en/annual-programmes/", "", ("anonymous",)),
    Listing(
        "annual programme",
        lambda w: "/en/annual-programmes/2016/",
        ROW,
        ("anonymous", "secretariat"),
    ),
    # The programme's structure (the session's data) does not grow with the world.
    Listing("programme", lambda w: "/en/programme/", "", ("anonymous",)),
    Listing(
        "priority",
        lambda w: f"/en/programme/priorities/{_priority(w)}/",
        ROW,
        ("anonymous", "secretariat"),
    ),
    Listing("format", lambda w: f"/en/programme/formats/{_format(w)}/", ROW, ("anonymous",)),
    Listing("proposals", lambda w: "/en/proposals/", PROPOSAL, MEMBERS),
    Listing("assessment queue", lambda w: "/en/proposals/?todo=to_assess", PROPOSAL, ("expert",)),
    Listing(
        "ranking",
        lambda w: "/en/proposals/ranking/2017/",
        PROPOSAL,
        ("secretariat", "bureau_chair"),
    ),
    Listing("prioritise", lambda w: "/en/proposals/suggest/?year=2017", PROPOSAL, ("secretariat",)),
    Listing(
        "urgent queue", lambda w: "/en/proposals/urgent/", PROPOSAL, ("secretariat", "bureau_chair")
    ),
    Listing("evaluation overview", lambda w: "/en/evaluation/", ROW, ("secretariat",)),
    # Lists the reports waiting for someone: the world's reports are not late.
    Listing(
        "progress reports",
        lambda w: "/en/evaluation/progress-reports/",
        "",
        ("secretariat", "pc_fr"),
    ),
    Listing("my feedback", lambda w: "/en/evaluation/feedback/", ROW, ("expert", "pc_fr")),
    Listing(
        "evaluation reports", lambda w: "/en/evaluation/reports/", "P-PG (2099)", ("secretariat",)
    ),
    Listing("meetings", lambda w: "/en/meetings/", "Strasbourg", ("anonymous", "secretariat")),
    Listing("inbox", lambda w: "/en/inbox/", "A proposal was submitted", ("pc_fr",)),
    # The world's rows are written straight to the tables, past the search index.
    Listing("search", lambda w: "/en/search/?q=training", "", ("anonymous", "secretariat")),
    Listing("dashboard", lambda w: "/en/", "", MEMBERS),
    Listing("bureau", lambda w: "/en/bureau/", "", ("bureau_chair",)),
]

API = [
    Listing("api work programmes", lambda w: "/api/v1/work-programmes/", "", ("anonymous",)),
    Listing(
        "api thematic priorities", lambda w: "/api/v1/thematic-priorities/", "", ("anonymous",)
    ),
    Listing("api permanent formats", lambda w: "/api/v1/permanent-formats/", "", ("anonymous",)),
    Listing("api criteria", lambda w: "/api/v1/criteria/", "", ("anonymous",)),
    Listing("api member states", lambda w: "/api/v1/member-states/", "", ("anonymous",)),
    Listing(
        "api activities",
        lambda w: "/api/v1/activities/?page_size=100",
        ROW,
        ("anonymous", "secretariat"),
    ),
    Listing(
        "api activities searched",
        lambda w: "/api/v1/activities/?page_size=100&search=training",
        ROW,
        ("anonymous",),
    ),
    Listing("api annual programmes", lambda w: "/api/v1/annual-programmes/", "", ("anonymous",)),
    Listing(
        "api proposals",
        lambda w: "/api/v1/proposals/",
        PROPOSAL,
        ("secretariat", "pc_fr", "expert"),
    ),
    Listing(
        "api meetings", lambda w: "/api/v1/meetings/", "Strasbourg", ("anonymous", "secretariat")
    ),
    Listing(
        "api progress reports",
        lambda w: "/api/v1/progress-reports/",
        "Going well.",
        ("secretariat", "pc_fr"),
    ),
    Listing("api indicators", lambda w: "/api/v1/indicators/", "People trained", ("secretariat",)),
    Listing(
        "api feedback requests",
        lambda w: "/api/v1/feedback-requests/",
        "Was it useful?",
        ("secretariat", "expert"),
    ),
    Listing(
        "api impact assessments",
        lambda w: "/api/v1/impact-assessments/",
        "Survey",
        ("secretariat",),
    ),
    Listing("api notices", lambda w: "/api/v1/notices/", "proposal_submitted", ("pc_fr",)),
    Listing("api search", lambda w: "/api/v1/search/?q=training", "", ("anonymous",)),
]

LISTS = PAGES + API

# (list, persona) -> the exact number of queries, the same at both sizes.
# Logged in, every request also reads the session, the user, their groups, profile and
# Bureau mandates, and saves the session again (idle timeout: savepoint, update,
# release): about 9 queries more than anonymous.
# Counted on a repeated request: the summary figures (dashboard counts, overview
# aggregates, the ranking's table) come from the cache until the next write
# (pompidou.listing); right after a write the same request must also cost the same at
# both sizes (test_lists checks it).
QUERIES: dict[tuple[str, str], int] = {
    ("activities filtered", "anonymous"): 7,
    ("activities filtered", "secretariat"): 16,
    ("activities searched", "anonymous"): 6,
    ("activities searched", "secretariat"): 15,
    ("activities", "anonymous"): 6,
    ("activities", "secretariat"): 15,
    # The programme; a page of entries and their priorities (the totals and the
    # entries' order are kept until the next write).
    ("annual programme", "anonymous"): 3,
    ("annual programme", "secretariat"): 15,
    # The rows of the request before, from the cache (listing.cached_representations),
    # and the list's count and newest change (pompidou.sync.version_of): the clock and
    # the page's keys; a cold page reads 4 more (its rows and selectors.api_relations,
    # tests/activities/test_api_queries.py).
    ("api activities searched", "anonymous"): 2,
    ("api activities", "anonymous"): 2,
    ("api activities", "secretariat"): 10,
    ("api annual programmes", "anonymous"): 3,
    ("api criteria", "anonymous"): 2,
    ("api feedback requests", "expert"): 10,
    ("api feedback requests", "secretariat"): 11,
    ("api impact assessments", "secretariat"): 10,
    ("api indicators", "secretariat"): 11,
    ("api meetings", "anonymous"): 3,
    ("api meetings", "secretariat"): 8,
    ("api member states", "anonymous"): 2,
    ("api notices", "pc_fr"): 7,
    ("api permanent formats", "anonymous"): 5,
    ("api progress reports", "pc_fr"): 10,
    ("api progress reports", "secretariat"): 10,
    ("api proposals", "expert"): 12,
    ("api proposals", "pc_fr"): 12,
    ("api proposals", "secretariat"): 12,
    ("api search", "anonymous"): 7,
    ("api thematic priorities", "anonymous"): 3,
    ("api work programmes", "anonymous"): 10,
    ("assessment queue", "expert"): 15,
    ("bureau", "bureau_chair"): 12,
    # The overdue count's half-years due are kept until the next write, as the count.
    ("dashboard", "bureau_chair"): 13,
    ("dashboard", "expert"): 11,
    ("dashboard", "pc_fr"): 12,
    ("dashboard", "secretariat"): 13,
    ("evaluation overview", "secretariat"): 13,
    ("evaluation reports", "secretariat"): 13,
    ("format", "anonymous"): 6,
    ("inbox", "pc_fr"): 11,
    ("meetings", "anonymous"): 1,
    ("meetings", "secretariat"): 10,
    ("my feedback", "expert"): 10,
    ("my feedback", "pc_fr"): 10,
    ("prioritise", "secretariat"): 14,
    ("priority", "anonymous"): 4,
    ("priority", "secretariat"): 13,
    ("proposals", "bureau_chair"): 16,
    ("proposals", "expert"): 15,
    ("proposals", "pc_fr"): 15,
    ("proposals", "secretariat"): 16,
    ("ranking", "bureau_chair"): 12,
    ("ranking", "secretariat"): 12,
    ("urgent queue", "bureau_chair"): 14,
    ("urgent queue", "secretariat"): 14,
    ("annual programmes", "anonymous"): 1,
    ("programme", "anonymous"): 10,
    # The overdue rows' page (its count, and the half-years due, kept until the next
    # write).
    ("progress reports", "pc_fr"): 9,
    ("progress reports", "secretariat"): 9,
    ("search", "anonymous"): 7,
    ("search", "secretariat"): 18,
}

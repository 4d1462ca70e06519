"""Bad input never reaches a 500: a table of hostile values against the pages and the API.

Each row is a request an attacker or an unlucky client might send — a NUL in a path
segment or a filter, a huge, negative or non-numeric number, a body nested 50,000
deep — run as anonymous and as the Secretariat (and as the proposer where only the
proposer gets past the permission check). Every answer is a 4xx; under /api/ it is
JSON in the API's one error shape. The suite runs on SQLite and on PostgreSQL,
which refuses a NUL byte in a query with a DataError where SQLite does not.
"""

import datetime as dt
import json

import pytest
from django.test import Client

from pompidou.parsers import MAX_DEPTH
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for
from tests.proposals.factories import draft

NUL = "%00"
HUGE = "99999999999999999999"
BAD_NUMBERS = [NUL, HUGE, "-5", "abc", "1e-7"]
DEEP = "[" * 50_000 + "]" * 50_000

# What a refused request may answer: its own 400/404, or — for a visitor who is not
# logged in and asked for a member's address — the one answer of their channel: the
# login redirect on a page, 401 in the API (never a 403: nobody is known to refuse).
REFUSED = {400, 404}


def _anonymous_refusal(path: str) -> int:
    return 401 if path.startswith("/api/") else 302


@pytest.fixture
def world(programme, states, secretariat, pc_fr):
    activity = ActivityFactory(
        work_programme=programme,
        lead_member_state=states["FR"],
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2017, 12, 31),
    )
    proposal = draft(pc_fr, programme)
    return {"activity": activity, "proposal": proposal}


def _client(user) -> Client:
    return client_for(user, raise_request_exception=False)


def _refusal_problems(response, *, anonymous: bool, expected=REFUSED) -> list[str]:
    """What is wrong with an answer that should refuse: not a 4xx of the expected kind,
    or, under /api/, not JSON in the one error shape."""
    request = response.request
    label = (
        f"{request['REQUEST_METHOD']} {request['PATH_INFO']!r}?{request.get('QUERY_STRING', '')}"
    )
    allowed = expected | ({_anonymous_refusal(request["PATH_INFO"])} if anonymous else set())
    if response.status_code not in allowed:
        return [f"{label} answered {response.status_code}"]
    if request["PATH_INFO"].startswith("/api/") and response.status_code != 302:
        if not response["Content-Type"].startswith("application/json"):
            return [f"{label} answered {response['Content-Type']}"]
        try:
            assert_error_shape(response.json())
        except AssertionError:
            return [f"{label} answered {response.content[:200]!r}"]
    return []


def _assert_refused(response, *, anonymous: bool, expected=REFUSED):
    problems = _refusal_problems(response, anonymous=anonymous, expected=expected)
    assert not problems, problems


def assert_error_shape(body):
    """``{"detail": "…"}`` or ``{"field": ["…"], …}``."""
    assert isinstance(body, dict) and body
    if "detail" in body:
        assert isinstance(body["detail"], str) and body["detail"]
    else:
        for messages in body.values():
            assert isinstance(messages, list | dict)


# --- path segments -----------------------------------------------------------------
# Every converter of the urlconfs with each bad value: activity_ref, state_code,
# signed_token, doc_kind, and int (pk, year, attachment and support ids). One row per
# address; the row tries each value as anonymous and as the Secretariat.

BAD_REFERENCES = [*BAD_NUMBERS, "PG-2017-001%00"]
INT_VALUES = [NUL, HUGE, "-5", "abc"]

PATH_CASES = [
    # The cases.
    ("get", "/en/activities/{}/", ["%00", "PG-2017-001%00"]),
    ("get", "/en/activities/{}/edit/", ["%00"]),
    ("get", "/en/evaluation/activities/{}/", ["%00"]),
    ("delete", "/api/v1/proposals/{proposal}/supports/{}/", ["%00"]),
    ("get", "/api/v1/proposals/{}/", ["abc"]),
    # activity_ref on the pages and in the API.
    ("get", "/en/activities/{}/", BAD_REFERENCES),
    ("get", "/en/activities/{}/edit/", BAD_REFERENCES),
    ("post", "/en/activities/{}/status/", BAD_REFERENCES),
    ("post", "/en/activities/{}/milestones/", BAD_REFERENCES),
    ("get", "/en/evaluation/activities/{}/", BAD_REFERENCES),
    ("post", "/en/evaluation/activities/{}/reports/", BAD_REFERENCES),
    ("post", "/en/evaluation/activities/{}/indicators/", BAD_REFERENCES),
    ("post", "/en/evaluation/activities/{}/measurements/", BAD_REFERENCES),
    ("post", "/en/evaluation/activities/{}/feedback-requests/", BAD_REFERENCES),
    ("post", "/en/evaluation/activities/{}/impact-assessments/", BAD_REFERENCES),
    ("get", "/api/v1/activities/{}/", BAD_REFERENCES),
    ("patch", "/api/v1/activities/{}/", BAD_REFERENCES),
    ("post", "/api/v1/activities/{}/status/", BAD_REFERENCES),
    # state_code.
    ("delete", "/api/v1/proposals/{proposal}/supports/{}/", [*BAD_NUMBERS, "F%00"]),
    ("get", "/api/v1/member-states/{}/", [*BAD_NUMBERS, "F%00"]),
    # signed_token.
    ("get", "/en/evaluation/feedback/answer/{}/", [NUL, "a%00b:c", "a\\b"]),
    # doc_kind.
    ("get", "/en/annual-programmes/2017/documents/1/{}/", [NUL, "pdf%00", "exe"]),
    ("get", "/en/evaluation/reports/1/{}/", [NUL, "pdf%00", "exe"]),
    # int: proposals, annual programmes, progress reports, documents, attachments.
    ("get", "/en/proposals/{}/", INT_VALUES),
    ("get", "/en/proposals/{}/edit/", INT_VALUES),
    ("post", "/en/proposals/{}/submit/", INT_VALUES),
    ("get", "/en/annual-programmes/{}/", INT_VALUES),
    ("get", "/en/evaluation/progress-reports/{}/", INT_VALUES),
    ("get", "/en/programme/{}/", INT_VALUES),
    ("get", "/api/v1/proposals/{}/", INT_VALUES),
    ("patch", "/api/v1/proposals/{}/", INT_VALUES),
    ("get", "/api/v1/annual-programmes/{}/", INT_VALUES),
    ("post", "/api/v1/annual-programmes/{}/compile/", INT_VALUES),
    ("get", "/api/v1/progress-reports/{}/", INT_VALUES),
    ("get", "/api/v1/indicators/{}/", INT_VALUES),
    ("get", "/api/v1/feedback-requests/{}/", INT_VALUES),
    ("get", "/api/v1/impact-assessments/{}/", INT_VALUES),
    ("get", "/api/v1/work-programmes/{}/", INT_VALUES),
    ("get", "/api/v1/evaluation-reports/{}/", INT_VALUES),
    ("get", "/api/v1/annual-programme-documents/{}/", INT_VALUES),
    ("get", "/api/v1/proposals/{proposal}/attachments/{}/", INT_VALUES),
]


def _path(template: str, world, value: str = "") -> str:
    return template.replace("{proposal}", str(world["proposal"].pk)).replace("{}", value)


@pytest.mark.parametrize(("method", "template", "values"), PATH_CASES)
def test_a_bad_path_segment_answers_404_never_500(world, secretariat, method, template, values):
    problems = []
    for user in [None, secretariat]:
        client = _client(user)
        for value in values:
            response = getattr(client, method)(_path(template, world, value))
            problems += _refusal_problems(response, anonymous=user is None, expected={404, 405})
    assert not problems, "\n".join(problems)


# --- query-string filters ------------------------------------------------------------
# The cases, with the answer they must give.

YEAR_CASES = ["0", "-5", "10000", "1e-7", "abc", HUGE, NUL]


@pytest.mark.parametrize("year", YEAR_CASES)
@pytest.mark.parametrize("base", ["/en/activities/", "/api/v1/activities/"])
def test_a_year_out_of_range_is_a_400_naming_the_year(world, secretariat, year, base):
    for client in [_client(None), _client(secretariat)]:
        response = client.get(f"{base}?year={year}")
        assert response.status_code == 400
        if base.startswith("/api/"):
            assert "year" in response.json()
        else:
            assert "year" in response.context["filter"].form.errors


def test_the_activity_list_page_shows_why_the_year_was_refused(world, secretariat):
    response = _client(secretariat).get("/en/activities/?year=0")
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1900." in response.content.decode()


def test_a_year_in_range_still_filters_the_activities(world, secretariat):
    api = _client(secretariat)
    running = api.get("/api/v1/activities/?year=2017").json()["results"]
    assert [a["reference"] for a in running] == [world["activity"].reference]
    assert api.get("/api/v1/activities/?year=2019").json()["results"] == []


# Every filter of every FilterSet, with each bad value: a 200 (the value is a valid
# one that matches nothing, e.g. a search for "abc") or a 400, never a 500.
FILTERS = {
    "/en/activities/": [
        "year",
        "work_programme",
        "thematic_priority",
        "permanent_format",
        "status",
        "adoption_route",
        "member_state",
        "search",
        "milestones_overdue",
        "ordering",
        "page",
        "fmt",
    ],
    "/api/v1/activities/": [
        "year",
        "work_programme",
        "thematic_priority",
        "permanent_format",
        "status",
        "adoption_route",
        "member_state",
        "search",
        "milestones_overdue",
        "ordering",
        "page",
        "page_size",
    ],
    "/en/proposals/": [
        "scope",
        "todo",
        "status",
        "route",
        "thematic_priority",
        "permanent_format",
        "member_state",
        "year",
        "search",
        "page",
    ],
    "/api/v1/proposals/": [
        "scope",
        "todo",
        "status",
        "route",
        "thematic_priority",
        "permanent_format",
        "member_state",
        "year",
        "search",
        "page",
    ],
    "/api/v1/progress-reports/": ["activity", "period", "status", "review", "page"],
    "/api/v1/indicators/": ["activity", "page"],
    "/api/v1/feedback-requests/": ["activity", "status", "page"],
    "/api/v1/impact-assessments/": ["activity", "page"],
    "/api/v1/member-states/": ["page"],
    "/api/v1/work-programmes/": ["page"],
}
FILTER_CASES = [(base, name) for base, names in FILTERS.items() for name in names]


@pytest.mark.parametrize(("base", "name"), FILTER_CASES)
def test_a_bad_filter_value_is_a_400_or_no_match_never_500(world, secretariat, base, name):
    problems = []
    for user in [None, secretariat]:
        client = _client(user)
        for value in BAD_NUMBERS:
            response = client.get(f"{base}?{name}={value}")
            if response.status_code != 200:  # 200: a valid value that matches nothing
                problems += _refusal_problems(response, anonymous=user is None)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("base", "name"),
    [
        ("/api/v1/activities/", "member_state"),
        ("/api/v1/activities/", "work_programme"),
        ("/api/v1/activities/", "search"),
        ("/api/v1/proposals/", "member_state"),
        ("/api/v1/proposals/", "search"),
        ("/api/v1/progress-reports/", "activity"),
        ("/api/v1/progress-reports/", "period"),
        ("/api/v1/indicators/", "activity"),
    ],
)
def test_a_nul_in_a_filter_is_a_400_naming_the_filter(world, secretariat, base, name):
    response = _client(secretariat).get(f"{base}?{name}=FR{NUL}")
    assert response.status_code == 400
    assert name in response.json()


# --- bodies ----------------------------------------------------------------------------


def test_a_deeply_nested_body_on_the_token_endpoint_is_a_400(db):
    response = _client(None).post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nests deeper" in response.json()["detail"]


def test_a_deeply_nested_body_on_a_proposal_patch_is_a_400(world, pc_fr):
    proposal = world["proposal"]
    response = _client(pc_fr).patch(
        f"/api/v1/proposals/{proposal.pk}/", DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nests deeper" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.title == "Darknet drug markets: training for customs"


def test_a_body_nested_within_the_bound_is_still_read(world, pc_fr):
    # A title nested in lists is a type error, not a parse error: the body was read.
    body = {"title": json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))}
    response = _client(pc_fr).patch(
        f"/api/v1/proposals/{world['proposal'].pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in response.json()


ACTIVITY = "/api/v1/activities/{activity}/"
PROPOSAL = "/api/v1/proposals/{proposal}/"
BODY_CASES = [
    # (persona, method, path, body, the field the 400 names)
    *[
        (persona, "post", path, {"activity": value}, "activity")
        for persona in ["secretariat", "pc_fr"]
        for path in ["/api/v1/indicators/", "/api/v1/progress-reports/"]
        for value in ["\x00", "PG-2017-001\x00", HUGE, -5, "abc", ["PG-2017-001"], {"a": 1}]
    ],
    # Related objects by code or username: a NUL never reaches the query.
    ("secretariat", "patch", ACTIVITY, {"lead_member_state": "\x00"}, "lead_member_state"),
    ("secretariat", "patch", ACTIVITY, {"supervisor": "\x00"}, "supervisor"),
    ("secretariat", "patch", ACTIVITY, {"participating_states": ["F\x00"]}, "participating_states"),
    ("secretariat", "post", PROPOSAL + "supports/", {"member_state": "\x00"}, "member_state"),
    ("secretariat", "post", PROPOSAL + "assessors/", {"username": "\x00"}, "username"),
    (
        "secretariat",
        "post",
        "/api/v1/feedback-requests/",
        {
            "activity": "{activity}",
            "audience": "named",
            "questions": "How did it go?",
            "deadline": "2030-01-31",
            "recipients": ["\x00"],
        },
        "recipients",
    ),
    # Related objects by id, and numbers: huge, negative.
    ("secretariat", "patch", ACTIVITY, {"thematic_priorities": [int(HUGE)]}, "thematic_priorities"),
    ("secretariat", "patch", ACTIVITY, {"permanent_format": int(HUGE)}, "permanent_format"),
    ("secretariat", "patch", ACTIVITY, {"work_programme": -5}, "work_programme"),
    ("secretariat", "patch", ACTIVITY, {"planned_budget": 1e300}, "planned_budget"),
    ("pc_fr", "patch", PROPOSAL, {"year": int(HUGE)}, "year"),
    ("pc_fr", "patch", PROPOSAL, {"estimated_cost": 1e300}, "estimated_cost"),
    ("pc_fr", "patch", PROPOSAL, {"thematic_priorities": [int(HUGE)]}, "thematic_priorities"),
    ("pc_fr", "patch", PROPOSAL, {"permanent_format": "\x00"}, "permanent_format"),
    (None, "post", "/api/v1/auth/token/", {"username": "\x00", "password": "x"}, "username"),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "field"), BODY_CASES)
def test_a_bad_value_in_a_body_is_a_400_naming_the_field(
    world, secretariat, pc_fr, persona, method, path, body, field
):
    user = {"secretariat": secretariat, "pc_fr": pc_fr, None: None}[persona]
    reference = world["activity"].reference
    path = _path(path.replace("{activity}", reference), world)
    body = {k: reference if v == "{activity}" else v for k, v in body.items()}
    response = getattr(_client(user), method)(path, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()


def test_a_nul_activity_is_refused_before_the_permission_check(world, pc_fr):
    response = _client(pc_fr).post(
        "/api/v1/indicators/", {"activity": "PG-2017-001\x00"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"activity": ["Give an activity reference, e.g. PG-2016-001."]}


def test_an_activity_reference_still_finds_its_activity(world, secretariat):
    activity = world["activity"]
    response = _client(secretariat).get(f"/api/v1/indicators/?activity={activity.reference}")
    assert response.status_code == 200
    response = _client(secretariat).get(f"/en/activities/{activity.reference}/")
    assert response.status_code == 200

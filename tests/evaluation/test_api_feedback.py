"""Feedback requests and answers through REST API v1: who reads which requests and
results, who opens and answers them, what a bad request answers, and the query
budgets."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.models import (
    FeedbackInvitation,
    FeedbackRequest,
    FeedbackResponse,
)
from tests.conftest import answer, client_as

from .factories import FEEDBACK, RATINGS, open_request, refused, today

D = Decimal


# --- feedback requests --------------------------------------------------------------


@pytest.fixture
def requests_answered(activity, secretariat, expert, pc_fr, pc_de):
    """One request to experts (answered by the expert), one to PCs (answered by France)."""
    to_experts = open_request(activity, secretariat, "experts")
    to_pcs = open_request(activity, secretariat, "correspondents")
    services.feedback_respond(request=to_experts, actor=expert, comments="Useful.", **RATINGS)
    services.feedback_respond(
        request=to_pcs,
        actor=pc_fr,
        comments="Good.",
        relevance=5,
        quality=4,
        usefulness=4,
        impact=2,
    )
    return {"experts": to_experts, "correspondents": to_pcs}


@pytest.mark.parametrize("persona", ["secretariat", "bureau_chair"])
def test_the_secretariat_and_the_bureau_read_every_request_with_its_results(
    personas, requests_answered, persona
):
    client = client_as(personas[persona])
    rows = {row["audience"]: row for row in answer(client.get(FEEDBACK))["results"]}
    assert set(rows) == {"experts", "correspondents"}
    pcs = rows["correspondents"]
    assert pcs["responses_count"] == 1
    assert (pcs["relevance"], pcs["quality"], pcs["usefulness"], pcs["impact"]) == (
        "5.00",
        "4.00",
        "4.00",
        "2.00",
    )
    detail = answer(client.get(f"{FEEDBACK}{pcs['id']}/"))
    assert [(r["respondent"], r["comments"]) for r in detail["responses"]] == [("pc_fr", "Good.")]


def test_mean_ratings_are_over_every_answer(requests_answered, pc_de, secretariat):
    to_pcs = requests_answered["correspondents"]
    services.feedback_respond(
        request=to_pcs, actor=pc_de, relevance=4, quality=3, usefulness=3, impact=3
    )
    row = answer(client_as(secretariat).get(f"{FEEDBACK}{to_pcs.pk}/"))
    assert (row["responses_count"], row["relevance"], row["impact"]) == (2, "4.50", "2.50")


@pytest.mark.parametrize(
    ("persona", "audience"),
    [("expert", "experts"), ("pc_fr", "correspondents"), ("pc_de", "correspondents")],
)
def test_experts_and_pcs_read_only_the_requests_addressed_to_them_without_the_answers(
    personas, requests_answered, persona, audience
):
    client = client_as(personas[persona])
    rows = answer(client.get(FEEDBACK))["results"]
    assert [row["audience"] for row in rows] == [audience]
    assert rows[0]["answered"] is (persona != "pc_de")
    for hidden in ("responses_count", "relevance", "recipients", "responses"):
        assert hidden not in rows[0]
    detail = answer(client.get(f"{FEEDBACK}{rows[0]['id']}/"))
    assert "responses" not in detail and "relevance" not in detail
    other = requests_answered["correspondents" if audience == "experts" else "experts"]
    assert client.get(f"{FEEDBACK}{other.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_feedback_requests_are_closed_to_users_without_a_portal_role(
    personas, requests_answered, persona
):
    client = client_as(personas[persona])
    assert refused(client.get(FEEDBACK), persona)
    assert refused(client.get(f"{FEEDBACK}{requests_answered['experts'].pk}/"), persona)


def test_a_named_person_reads_the_request_addressed_to_them(activity, secretariat, pc_de, expert):
    named = open_request(activity, secretariat, "named", recipients=[pc_de])
    assert [r["id"] for r in answer(client_as(pc_de).get(FEEDBACK))["results"]] == [named.pk]
    assert answer(client_as(expert).get(FEEDBACK))["results"] == []


def test_feedback_requests_filter_by_activity_and_status(activity, german_activity, secretariat):
    ours = open_request(activity, secretariat)
    theirs = open_request(german_activity, secretariat)
    services.feedback_request_close(request=theirs, actor=secretariat)
    client = client_as(secretariat)

    def ids(**params):
        return [row["id"] for row in answer(client.get(FEEDBACK, params))["results"]]

    assert sorted(ids()) == sorted([ours.pk, theirs.pk])
    assert ids(activity=activity.reference) == [ours.pk]
    assert ids(status="closed") == [theirs.pk]
    assert "status" in answer(client.get(FEEDBACK, {"status": "pending"}), 400)


def request_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "audience": "named",
        "questions": "Did the seminar change your practice?",
        "deadline": str(today() + dt.timedelta(days=14)),
        "recipients": ["expert", "pc_de"],
        "invitees": [{"name": "Ana Costa", "email": "ana@example.org"}],
        **fields,
    }


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_opens_feedback_requests(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(FEEDBACK, request_body(activity), format="json")
    if allowed:
        body = answer(response, 201)
        assert (body["audience"], body["status"], body["responses_count"]) == ("named", "open", 0)
        assert sorted(body["recipients"]) == ["expert", "pc_de"]
        assert FeedbackInvitation.objects.get().email == "ana@example.org"
    else:
        assert refused(response, persona)
        assert not FeedbackRequest.objects.exists()


def test_invitees_of_a_new_request_get_their_link_by_e_mail(
    activity, secretariat, expert, pc_de, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer(client_as(secretariat).post(FEEDBACK, request_body(activity), format="json"), 201)
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"deadline": "2016-01-01"}, "deadline"),  # in the past
        ({"questions": " "}, "questions"),
        ({"audience": "everyone"}, "audience"),
        ({"recipients": [], "invitees": []}, "recipients"),  # named, but nobody
        ({"recipients": ["nobody"]}, "recipients"),
        ({"invitees": [{"name": "Ana", "email": "not-an-address"}]}, "invitees"),
        ({"invitees": [{"name": " ", "email": "ana@example.org"}]}, "invitees"),
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_feedback_request_is_a_400_naming_the_field_and_opens_nothing(
    activity, secretariat, expert, pc_de, fields, field
):
    response = client_as(secretariat).post(
        FEEDBACK, request_body(activity, **fields), format="json"
    )
    assert field in answer(response, 400)
    assert not FeedbackRequest.objects.exists()
    assert not FeedbackInvitation.objects.exists()


def test_an_identical_open_request_is_a_400_on_recipients_and_opens_nothing_more(
    activity, secretariat, expert, pc_de, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        answer(client.post(FEEDBACK, request_body(activity), format="json"), 201)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FEEDBACK,
            request_body(
                activity,
                questions="did the seminar change your practice? ",
                recipients=["pc_de", "expert"],  # the same people in another order
                invitees=[{"name": "Ana Costa", "email": "ANA@example.org"}],
            ),
            format="json",
        )
    body = answer(response, 400)
    assert "already open on this activity" in str(body["recipients"])
    assert FeedbackRequest.objects.count() == 1
    assert FeedbackInvitation.objects.count() == 1
    assert len(mailoutbox) == sent


# --- feedback answers ---------------------------------------------------------------


@pytest.fixture
def to_experts(activity, secretariat):
    return open_request(activity, secretariat, "experts")


def respond_url(feedback_request) -> str:
    return f"{FEEDBACK}{feedback_request.pk}/responses/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("expert", 201),  # addressed to experts
        ("secretariat", 403),  # reads it, is not asked
        ("bureau_chair", 403),  # reads it (results), is not an expert
        ("pc_fr", 404),  # not addressed to PCs: not theirs to see
        ("pc_de", 404),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_an_addressee_answers_a_feedback_request(personas, to_experts, persona, status):
    response = client_as(personas[persona]).post(
        respond_url(to_experts), {**RATINGS, "comments": "Very useful."}, format="json"
    )
    if status == 201:
        body = answer(response, 201)
        assert (body["respondent"], body["relevance"], body["comments"]) == (
            "expert",
            4,
            "Very useful.",
        )
        assert FeedbackResponse.objects.get().respondent == personas["expert"]
    else:
        assert response.status_code == status
        assert not FeedbackResponse.objects.exists()


def test_pcs_answer_a_request_addressed_to_the_pcs(activity, secretariat, pc_de, bureau_chair):
    to_pcs = open_request(activity, secretariat, "correspondents")
    for pc in (pc_de, bureau_chair):  # a Bureau member is a PC too
        answer(client_as(pc).post(respond_url(to_pcs), RATINGS, format="json"), 201)
    assert to_pcs.responses.count() == 2


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"relevance": 6}, "relevance"),
        ({"quality": 0}, "quality"),
        ({"impact": "very"}, "impact"),
        ({"usefulness": None}, "usefulness"),
    ],
)
def test_a_rating_outside_1_to_5_is_a_400_naming_it_and_records_nothing(
    to_experts, expert, bad, field
):
    response = client_as(expert).post(respond_url(to_experts), {**RATINGS, **bad}, format="json")
    assert field in answer(response, 400)
    assert not FeedbackResponse.objects.exists()


def test_an_addressee_answers_once(to_experts, expert):
    client = client_as(expert)
    answer(client.post(respond_url(to_experts), RATINGS, format="json"), 201)
    again = client.post(respond_url(to_experts), {**RATINGS, "relevance": 1}, format="json")
    assert "already answered" in answer(again, 400)["non_field_errors"][0]
    assert FeedbackResponse.objects.get().relevance == 4


def test_an_answer_after_the_deadline_is_a_400_and_records_nothing(to_experts, expert):
    FeedbackRequest.objects.filter(pk=to_experts.pk).update(deadline=today() - dt.timedelta(days=1))
    response = client_as(expert).post(respond_url(to_experts), RATINGS, format="json")
    assert "no longer taken" in answer(response, 400)["non_field_errors"][0]
    assert not FeedbackResponse.objects.exists()


def test_a_closed_request_is_no_longer_an_addressees_to_answer(to_experts, expert, secretariat):
    services.feedback_request_close(request=to_experts, actor=secretariat)
    response = client_as(expert).post(respond_url(to_experts), RATINGS, format="json")
    assert response.status_code == 404  # addressees see the open requests only
    assert not FeedbackResponse.objects.exists()


def _grow_requests(activity, secretariat, expert, total):
    while FeedbackRequest.objects.count() < total:
        n = FeedbackRequest.objects.count()
        fr = open_request(
            activity, secretariat, "named", recipients=[expert], questions=f"Question {n}?"
        )
        services.feedback_respond(request=fr, actor=expert, **RATINGS)


@pytest.mark.parametrize("total", [3, 30])
def test_the_feedback_results_list_answers_in_a_constant_number_of_queries(
    activity, secretariat, expert, total, django_assert_num_queries
):
    _grow_requests(activity, secretariat, expert, total)
    client = client_as(secretariat)
    # 1 session, 2 user, 3–5 roles, 6 the sync watermark with the last deletion, 7 the
    # newest change and count (ETag), 8 count, 9 the page's requests with activity,
    # creator, answer counts, mean ratings and whether you answered, 10 their named
    # recipients, 11–13 the session renewed
    with django_assert_num_queries(13):
        body = answer(client.get(FEEDBACK, {"page_size": 500}))
    assert body["count"] == total
    assert all(row["recipients"] == ["expert"] for row in body["results"])
    assert all(row["responses_count"] == 1 for row in body["results"])


@pytest.mark.parametrize("total", [3, 30])
def test_an_addressees_feedback_list_answers_in_a_constant_number_of_queries(
    activity, secretariat, expert, total, django_assert_num_queries
):
    _grow_requests(activity, secretariat, expert, total)
    client = client_as(expert)
    # 1 session, 2 user, 3–5 roles, 6 the sync watermark with the last deletion, 7 the
    # newest change and count (ETag), 8 count, 9 the page's requests addressed to you
    # with activity and whether you answered, 10–12 the session renewed
    with django_assert_num_queries(12):
        body = answer(client.get(FEEDBACK, {"page_size": 500}))
    assert body["count"] == total
    assert all(row["answered"] for row in body["results"])


def test_a_feedback_answer_keeps_a_pasted_line_break_and_refuses_a_control_character(
    to_experts, expert
):
    client = client_as(expert)
    bad = client.post(respond_url(to_experts), {**RATINGS, "comments": "x\x08"}, format="json")
    assert "U+0008" in answer(bad, 400)["comments"][0]
    assert not FeedbackResponse.objects.exists()
    good = client.post(respond_url(to_experts), {**RATINGS, "comments": "A\x0cB"}, format="json")
    answer(good, 201)
    assert FeedbackResponse.objects.get().comments == "A\nB"

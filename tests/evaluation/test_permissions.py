"""Who may do what in the evaluation, and why not: every persona × every action × the
states that matter, asked of the registered predicates (the ones the services, the
API and the ``{% can %}`` tag ask). A refusal by role carries its sentence; a refusal
by the record's state is marked so (400, not 403)."""

import datetime as dt

import pytest

from evaluation.models import FeedbackRequest, ProgressReport
from pompidou.rules import ask

from .factories import PERSONAS, FeedbackRequestFactory

ALL = set(PERSONAS)
PORTAL = {"secretariat", "pc_fr", "pc_de", "bureau_chair", "expert"}

# rule: (the personas it allows); about the activity (French-led, supervised by the Chair)
ON_ACTIVITY = {
    "evaluation.view": PORTAL,
    "evaluation.file_report": {"secretariat", "pc_fr"},
    "evaluation.manage_indicators": {"secretariat", "pc_fr"},
    "evaluation.record_impact": {"secretariat"},
    "evaluation.open_feedback": {"secretariat"},
}
# rule: the personas it allows, with no record
WITHOUT_RECORD = {
    "evaluation.compile_report": {"secretariat"},
    "evaluation.accept_report": {"secretariat"},
    "evaluation.review_reports": {"bureau_chair"},
    "evaluation.follow_delegation_reports": {"pc_fr", "pc_de", "bureau_chair"},
    "evaluation.view_overview": {"secretariat", "bureau_chair"},
    "evaluation.view_feedback_results": {"secretariat", "bureau_chair"},
}
R = ProgressReport.Review
# (rule, review state): the personas allowed; the others refused by role, except those
# in the last set, refused by the state (right person, wrong moment).
ON_REPORT = [
    ("evaluation.edit_report", R.SUBMITTED, {"secretariat", "pc_fr"}, set()),
    ("evaluation.edit_report", R.REVIEWED, {"secretariat", "pc_fr"}, set()),
    ("evaluation.edit_report", R.ACCEPTED, set(), {"secretariat", "pc_fr"}),
    ("evaluation.review_report", R.SUBMITTED, {"bureau_chair"}, set()),
    ("evaluation.review_report", R.REVIEWED, {"bureau_chair"}, set()),
    ("evaluation.review_report", R.ACCEPTED, set(), {"bureau_chair"}),
    ("evaluation.accept_report", R.SUBMITTED, {"secretariat"}, set()),
    ("evaluation.accept_report", R.REVIEWED, {"secretariat"}, set()),
    ("evaluation.accept_report", R.ACCEPTED, set(), {"secretariat"}),
]
F = FeedbackRequest.Status
ON_REQUEST = [
    ("evaluation.close_feedback", F.OPEN, {"secretariat"}, set()),
    ("evaluation.close_feedback", F.CLOSED, set(), {"secretariat"}),
    ("evaluation.answer_feedback", F.OPEN, {"expert"}, set()),
    ("evaluation.answer_feedback", F.CLOSED, set(), {"expert"}),
]


def _assert_verdicts(rule, obj, personas, allowed, by_state):
    for persona in PERSONAS:
        verdict = ask(rule, personas[persona], obj)
        expected = persona in allowed
        assert bool(verdict) is expected, (rule, persona)
        if not expected:
            assert verdict.reason, (rule, persona)  # every refusal says why
            assert verdict.state is (persona in by_state), (rule, persona)


@pytest.mark.parametrize("rule", sorted(ON_ACTIVITY))
def test_who_may_act_on_an_activitys_evaluation(rule, personas, activity):
    _assert_verdicts(rule, activity, personas, ON_ACTIVITY[rule], set())


@pytest.mark.parametrize("rule", sorted(WITHOUT_RECORD))
def test_who_may_read_and_act_on_the_evaluation_at_large(rule, personas):
    _assert_verdicts(rule, None, personas, WITHOUT_RECORD[rule], set())


@pytest.mark.parametrize(("rule", "review", "allowed", "by_state"), ON_REPORT)
def test_who_may_change_review_and_accept_a_report_in_each_state(
    rule, review, allowed, by_state, personas, report
):
    ProgressReport.objects.filter(pk=report.pk).update(review=review)
    report.refresh_from_db()
    _assert_verdicts(rule, report, personas, allowed, by_state)


@pytest.mark.parametrize(("rule", "status", "allowed", "by_state"), ON_REQUEST)
def test_who_may_close_and_answer_a_request_in_each_state(
    rule, status, allowed, by_state, personas, activity
):
    request = FeedbackRequestFactory(activity=activity, status=status)
    _assert_verdicts(rule, request, personas, allowed, by_state)


def test_a_request_past_its_deadline_takes_no_answer_and_says_since_when(personas, activity):
    request = FeedbackRequestFactory(activity=activity, deadline=dt.date(2016, 3, 1))
    verdict = ask("evaluation.answer_feedback", personas["expert"], request)
    assert not verdict and verdict.state
    assert "1 March 2016" in verdict.reason

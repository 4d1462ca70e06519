"""The demo reads as history: its record lies inside the 2015–2018 programme."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from evaluation.models import FeedbackRequest, FeedbackResponse, ProgressReport
from pompidou.models import AuditEvent
from proposals.models import Assessment, BureauVote, Decision, Proposal, Support

PERIOD = (dt.date(2014, 1, 1), dt.date(2018, 12, 31))


def _inside(day) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return PERIOD[0] <= day <= PERIOD[1]


def _snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list(*fields)))
        for model, fields in [
            (Proposal, ("reference", "status", "created_at", "submitted_at", "vote_deadline")),
            (Decision, ("proposal_id", "decided_on", "outcome")),
            (Assessment, ("proposal_id", "assessor_id", "due_date", "status")),
            (FeedbackRequest, ("activity_id", "deadline", "status")),
            (ProgressReport, ("activity_id", "period")),
        ]
    }


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_after_load_demo_every_proposal_date_and_reference_lies_in_the_period(demo):
    proposals = list(Proposal.objects.all())
    assert proposals
    for p in proposals:
        year = int(p.reference.split("-")[1])
        assert 2015 <= year <= 2018, p.reference
        assert year == p.created_at.year
        assert _inside(p.created_at)
        assert p.submitted_at is None or _inside(p.submitted_at)
        assert p.vote_deadline is None or _inside(p.vote_deadline)
    assert Proposal.objects.filter(reference__startswith="PR-2017-").exists()
    for model, fields in [
        (Decision, ("decided_on", "created_at")),
        (Support, ("created_at",)),
        (Assessment, ("created_at", "due_date", "submitted_at")),
        (BureauVote, ("updated_at",)),
        (AuditEvent, ("at",)),
        (FeedbackRequest, ("created_at", "deadline")),
        (FeedbackResponse, ("created_at",)),
        (ProgressReport, ("created_at", "submitted_at", "accepted_at")),
    ]:
        rows = list(model.objects.values_list(*fields))
        assert rows, model.__name__
        for row in rows:
            for value in row:
                assert value is None or _inside(value), (model.__name__, row)


def test_the_demo_has_a_proposal_in_every_state(demo):
    states = set(Proposal.objects.values_list("status", flat=True))
    assert states == set(Proposal.Status.values)


def test_a_second_load_demo_changes_nothing(demo):
    before = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == before


def test_load_demo_on_a_database_with_the_old_undated_demo_keeps_it_and_says_so(demo):
    from django.utils import timezone

    Proposal.objects.update(created_at=timezone.now())  # as the old demo left them
    before = _snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot() == before
    assert "older version" in out.getvalue()


def test_a_fresh_demo_raises_no_old_demo_warning(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "older version" not in out.getvalue()

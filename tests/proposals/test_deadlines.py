"""Deadlines of supports, assessments and votes: set and checked, shown on the pages,
listed as what is due this week, and reminded once a week."""

import datetime as dt

import pytest
from django.utils import timezone

from pompidou.errors import DomainError, PermissionDenied
from pompidou.listing import lists_changed
from pompidou.models import AuditEvent, Notice
from proposals import services
from proposals.deadlines import send_deadline_reminders
from proposals.models import DeadlineReminder, Proposal
from proposals.selectors import due_this_week
from tests.conftest import client_for
from tests.proposals.conftest import assign
from tests.proposals.factories import submitted


def _today():
    return timezone.localdate()


def _in(days):
    return _today() + dt.timedelta(days=days)


def _set(proposal, **fields):
    Proposal.objects.filter(pk=proposal.pk).update(**fields)
    lists_changed()  # update() sends no signal: the cached figures are stale, as a service says
    proposal.refresh_from_db()
    return proposal


# --- the support deadline and its validation ------------------------------------------


def test_a_submitted_proposal_is_open_for_supports_the_configured_number_of_days(
    personas, programme, settings
):
    settings.PROPOSAL_SUPPORT_DAYS = 12
    proposal = submitted(personas["pc_fr"], programme)
    assert proposal.support_deadline == _in(12)
    urgent = submitted(
        personas["pc_de"], programme, route="urgent", year=None, urgency_justification="Now."
    )
    # Urgent: the Bureau votes at once, nobody supports.
    assert urgent.support_deadline is None
    assert urgent.vote_deadline == _in(services.BUREAU_VOTE_DAYS)


def test_the_secretariat_sets_a_support_deadline_and_the_change_is_in_the_history(personas, world):
    proposal = world["fr_submitted"]
    old = proposal.support_deadline
    services.deadline_set(
        proposal=proposal, actor=personas["secretariat"], field="support_deadline", day=_in(2)
    )
    proposal.refresh_from_db()
    assert proposal.support_deadline == _in(2)
    event = AuditEvent.objects.filter(object_id=proposal.pk, kind="updated").latest("at")
    assert event.actor == personas["secretariat"]
    assert event.changes == {"support_deadline": [old.isoformat(), _in(2).isoformat()]}
    page = client_for(personas["pc_fr"]).get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Support deadline" in page  # the history says what changed


def test_a_deadline_in_the_past_is_refused_with_a_message_and_changes_nothing(personas, world):
    proposal = world["fr_submitted"]
    before = proposal.support_deadline
    with pytest.raises(DomainError, match="The deadline cannot be in the past."):
        services.deadline_set(
            proposal=proposal,
            actor=personas["secretariat"],
            field="support_deadline",
            day=_in(-1),
        )
    client = client_for(personas["secretariat"])
    url = f"/en/proposals/{proposal.pk}/deadline/"
    yesterday = _in(-1).strftime("%d/%m/%Y")
    response = client.post(url, {"field": "support_deadline", "day": yesterday})
    assert response.status_code == 400
    assert "The deadline cannot be in the past." in response.content.decode()
    response = client.post(url, {"field": "support_deadline", "day": "31/02/2030"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    response = client.post(url, {"field": "status", "day": _in(3).strftime("%d/%m/%Y")})
    assert response.status_code == 400
    assert "Say which deadline you set." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_deadline == before
    assert not AuditEvent.objects.filter(object_id=proposal.pk, kind="updated").exists()


@pytest.mark.parametrize("who", ["pc_fr", "pc_de", "bureau_chair", "expert", "outsider"])
def test_only_the_secretariat_sets_a_deadline(personas, world, who):
    proposal = world["fr_submitted"]
    before = proposal.support_deadline
    with pytest.raises(PermissionDenied):
        services.deadline_set(
            proposal=proposal, actor=personas[who], field="support_deadline", day=_in(3)
        )
    response = client_for(personas[who]).post(
        f"/en/proposals/{proposal.pk}/deadline/",
        {"field": "support_deadline", "day": _in(3).strftime("%d/%m/%Y")},
    )
    assert response.status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.support_deadline == before


def test_the_voting_deadline_is_moved_only_while_the_bureau_votes(personas, world):
    secretariat = personas["secretariat"]
    services.deadline_set(
        proposal=world["urgent"], actor=secretariat, field="vote_deadline", day=_in(4)
    )
    world["urgent"].refresh_from_db()
    assert world["urgent"].vote_deadline == _in(4)
    with pytest.raises(DomainError, match="while the Bureau votes"):
        services.deadline_set(
            proposal=world["fr_submitted"], actor=secretariat, field="vote_deadline", day=_in(4)
        )
    with pytest.raises(DomainError, match="support deadline is set while"):
        services.deadline_set(
            proposal=world["urgent"], actor=secretariat, field="support_deadline", day=_in(4)
        )


def test_the_secretariat_moves_the_voting_deadline_from_the_proposals_page(personas, world):
    urgent = world["urgent"]
    client = client_for(personas["secretariat"])
    page = client.get(f"/en/proposals/{urgent.pk}/").content.decode()
    assert "Move the voting deadline" in page
    assert "Set the support deadline" not in page  # urgent: no supports
    response = client.post(
        f"/en/proposals/{urgent.pk}/deadline/",
        {"field": "vote_deadline", "day": _in(5).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.vote_deadline == _in(5)
    chair = client_for(personas["bureau_chair"]).get(f"/en/proposals/{urgent.pk}/")
    assert "Move the voting deadline" not in chair.content.decode()


def test_after_the_support_deadline_supports_are_closed_and_the_page_says_when(personas, world):
    proposal = _set(world["fr_submitted"], support_deadline=dt.date(2026, 5, 3))
    with pytest.raises(DomainError, match="Supports closed on 3 May 2026."):
        services.support_add(proposal=proposal, actor=personas["pc_de"])
    page = client_for(personas["pc_de"]).get(f"/en/proposals/{proposal.pk}/").content.decode()
    assert "Supports closed on 3 May 2026." in page
    assert "Support on behalf of DE" not in page
    french = client_for(personas["pc_de"]).get(f"/fr/proposals/{proposal.pk}/").content.decode()
    assert "3 mai 2026" in french
    # The Secretariat reopens it with a later day.
    services.deadline_set(
        proposal=proposal, actor=personas["secretariat"], field="support_deadline", day=_in(5)
    )
    services.support_add(proposal=proposal, actor=personas["pc_de"])
    assert proposal.supports.filter(member_state__code="DE").exists()


# --- due this week, per role ----------------------------------------------------------


def _kinds(user):
    return [(item.kind, item.title) for item in due_this_week(user)]


def test_due_this_week_lists_the_supports_a_delegation_may_still_give(personas, world):
    proposal = _set(world["fr_submitted"], support_deadline=_in(3))
    [item] = due_this_week(personas["pc_de"])
    assert (item.kind, item.title, item.due) == ("support", proposal.title, _in(3))
    assert item.url == f"/en/proposals/{proposal.pk}/"
    assert item.reference == proposal.reference
    assert _kinds(personas["pc_fr"]) == []  # its own delegation's proposal
    assert _kinds(personas["secretariat"]) == []
    assert _kinds(personas["outsider"]) == []
    _set(proposal, support_deadline=_in(7))  # next week
    assert _kinds(personas["pc_de"]) == []
    _set(proposal, support_deadline=_in(6))
    services.support_add(proposal=proposal, actor=personas["pc_de"])
    assert _kinds(personas["pc_de"]) == []  # given


def test_due_this_week_lists_an_assessors_draft_due(personas, world):
    assessment = assign(world, personas)
    assert _kinds(personas["expert"]) == []  # due in three weeks
    assessment.due_date = _in(1)
    assessment.save()
    assert due_this_week(personas["expert"])[0].kind == "assessment"
    assert due_this_week(personas["expert"])[0].url == (
        f"/en/proposals/{world['fr_submitted'].pk}/assessment/"
    )
    assert "assessment" not in [k for k, _ in _kinds(personas["secretariat"])]


def test_due_this_week_lists_the_votes_a_bureau_member_has_not_cast(personas, world):
    urgent = _set(world["urgent"], vote_deadline=_in(2))
    assert _kinds(personas["bureau_chair"]) == [("vote", urgent.title)]
    assert ("vote", urgent.title) not in _kinds(personas["pc_fr"])  # not in the Bureau
    services.bureau_vote_cast(proposal=urgent, actor=personas["bureau_chair"], vote="abstain")
    assert _kinds(personas["bureau_chair"]) == []


def test_due_this_week_comes_soonest_first(personas, world, programme):
    later = _set(world["fr_submitted"], support_deadline=_in(5))
    sooner = _set(submitted(personas["pc_fr"], programme, title="Sooner"), support_deadline=_in(1))
    assert [i.title for i in due_this_week(personas["pc_de"])] == [sooner.title, later.title]


# --- reminders --------------------------------------------------------------------------


def _notices(kind):
    return list(Notice.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_a_reminder_goes_to_those_concerned_through_a_notice_once_a_week(personas, world):
    proposal = _set(world["fr_submitted"], support_deadline=_in(3))
    # The PCs of the other delegations (the Norwegian chair is one), not France's, and
    # nobody without a delegation.
    assert send_deadline_reminders() == 2
    assert sorted(_notices("deadline_support")) == ["bureau_chair", "pc_de"]
    notice = Notice.objects.get(kind="deadline_support", user=personas["pc_de"])
    assert notice.url == f"/en/proposals/{proposal.pk}/"
    assert proposal.title in notice.title_text
    assert _in(3).strftime("%d/%m/%Y") in notice.title_text
    # Again the same day, and the next: nothing more.
    assert send_deadline_reminders() == 0
    assert send_deadline_reminders(_in(1)) == 0
    assert Notice.objects.filter(kind="deadline_support").count() == 2
    # A week later it is said again.
    DeadlineReminder.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
    assert send_deadline_reminders() == 2
    assert Notice.objects.filter(kind="deadline_support", user=personas["pc_de"]).count() == 2


def test_no_reminder_before_three_days_nor_after_the_support_is_given(personas, world):
    proposal = _set(world["fr_submitted"], support_deadline=_in(4))
    assert send_deadline_reminders() == 0
    _set(proposal, support_deadline=_in(2))
    services.support_add(proposal=proposal, actor=personas["pc_de"])
    assert send_deadline_reminders() == 1
    assert _notices("deadline_support") == ["bureau_chair"]  # Germany has supported


def test_assessors_and_bureau_members_are_reminded_of_their_own_items(personas, world):
    assessment = assign(world, personas)
    assessment.due_date = _in(2)
    assessment.save()
    _set(world["urgent"], vote_deadline=_in(1))
    assert send_deadline_reminders() == 2
    assert _notices("deadline_assessment") == ["expert"]
    assert _notices("deadline_vote") == ["bureau_chair"]
    assert send_deadline_reminders() == 0


def test_the_daily_task_is_on_the_beat_schedule():
    from pompidou.celery import app

    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "proposals.tasks.send_deadline_reminders" in entries


# --- the dashboard's panel --------------------------------------------------------------


def test_due_this_week_reads_one_query_per_kind_whatever_the_number_of_items(
    personas, world, programme, django_assert_num_queries
):
    chair = personas["bureau_chair"]  # a PC (Norway) in the Bureau: all three kinds
    due_this_week(chair)  # the roles, read once and kept on the user
    _set(world["urgent"], vote_deadline=_in(2))
    for size in (1, 10):
        for i in range(size):
            _set(
                submitted(personas["pc_fr"], programme, title=f"P{size}-{i}"),
                support_deadline=_in(3),
            )
        # supports to give, assessments due, votes not cast
        with django_assert_num_queries(3):
            items = due_this_week(chair)
        assert len([i for i in items if i.kind == "support"]) == {1: 1, 10: 11}[size]
        assert [i.kind for i in items].count("vote") == 1


def test_the_dashboard_shows_the_panel_in_a_constant_number_of_queries(
    personas, world, programme, django_assert_num_queries
):
    client = client_for(personas["pc_de"])
    counts = []
    for size in (1, 10):
        for i in range(size):
            _set(
                submitted(personas["pc_fr"], programme, title=f"Due {size}-{i}"),
                support_deadline=_in(2),
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/")
        assert response.status_code == 200
        counts.append(len(queries))
        html = response.content.decode()
        # The first ten on the dashboard; all eleven in the inbox, its "see all".
        assert html.count('data-kind="support"') == {1: 1, 10: 10}[size]
        assert ('data-testid="due-see-all"' in html) is (size == 10)
    assert "See all 11 items due this week" in html
    inbox = client.get("/en/inbox/").content.decode()
    assert inbox.count('data-kind="support"') == 11
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lists_changed()  # the dashboard's counts computed afresh, as in the requests above
    with (
        mock.patch("proposals.selectors.due_this_week", return_value=[]),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get("/en/")
    # The panel adds exactly two queries to the dashboard (supports to give,
    # assessments due; pc_de is not in the Bureau), whatever the number of items.
    assert counts == [len(queries) + 2, len(queries) + 2]


def test_the_panel_links_each_item_in_both_languages(personas, world):
    proposal = _set(world["fr_submitted"], support_deadline=dt.date.today() + dt.timedelta(days=2))
    english = client_for(personas["pc_de"]).get("/en/").content.decode()
    assert "Due this week" in english
    assert f'href="/en/proposals/{proposal.pk}/"' in english
    assert "Support to give" in english
    french = client_for(personas["pc_de"]).get("/fr/").content.decode()
    assert f'href="/fr/proposals/{proposal.pk}/"' in french
    from django.utils import formats, translation

    with translation.override("fr"):
        day = formats.date_format(proposal.support_deadline, "l j F")
    assert day in french
    nothing = client_for(personas["pc_fr"]).get("/en/").content.decode()
    assert "Nothing is due in the next seven days." in nothing

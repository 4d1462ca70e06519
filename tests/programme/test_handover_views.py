"""The pages "Record adoption" and "Put in force and hand over": who reaches them, what
they pre-fill, their errors next to the row, and the pages that read the programme in
force afterwards."""

import pytest

from activities.models import Activity
from programme.models import WorkProgramme
from proposals.models import Proposal
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for
from tests.proposals.factories import ProposalFactory

from .handover_setup import ADOPTION, NEW_REFERENCE, next_programme, world

W = WorkProgramme.Status


def adoption_post(**change):
    data = {**ADOPTION, **change}
    for day in ("conference_start", "adopted_on"):
        if data[day]:
            data[day] = data[day].strftime("%d/%m/%Y")
    return {k: "" if v is None else v for k, v in data.items()}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("pc_fr", 403),
        ("bureau_chair", 403),
        ("expert", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_who_reaches_the_adoption_and_hand_over_pages(programme, personas, who, status):
    new = next_programme(programme)
    client = client_for(personas[who])
    assert client.get(f"/en/programme/{new.pk}/adopt/").status_code == status
    assert client.get(f"/en/programme/{new.pk}/hand-over/").status_code == status
    assert client.post(f"/en/programme/{new.pk}/adopt/", adoption_post()).status_code in (
        status,
        302,
    )
    new.refresh_from_db()
    assert new.status == (W.ADOPTED if who == "secretariat" else W.CONSULTATION)


def test_the_programme_page_offers_the_next_step_to_the_secretariat_only(
    programme, secretariat, pc_fr
):
    new = next_programme(programme)
    page = client_for(secretariat).get(f"/en/programme/{new.pk}/").content.decode()
    assert f"/en/programme/{new.pk}/adopt/" in page
    assert (
        f"/en/programme/{new.pk}/adopt/"
        not in client_for(pc_fr).get(f"/en/programme/{new.pk}/").content.decode()
    )
    WorkProgramme.objects.filter(pk=new.pk).update(status=W.ADOPTED)
    page = client_for(secretariat).get(f"/en/programme/{new.pk}/").content.decode()
    assert f"/en/programme/{new.pk}/hand-over/" in page


def test_the_authoring_page_leads_on_to_adoption_and_hand_over(programme, secretariat, pc_fr):
    """A draft in consultation is followed from its authoring page (comments, versions):
    the next step is offered there too, and the programme page links to the versions
    for the Secretariat only."""
    new = next_programme(programme)
    edit = f"/en/programme/{new.pk}/edit/"
    client = client_for(secretariat)
    page = client.get(edit).content.decode()
    assert f"/en/programme/{new.pk}/adopt/" in page
    assert f"/en/programme/{new.pk}/hand-over/" not in page
    assert (
        f"/en/programme/{new.pk}/versions/"
        in client.get(f"/en/programme/{new.pk}/").content.decode()
    )
    assert (
        f"/en/programme/{new.pk}/versions/"
        not in client_for(pc_fr).get(f"/en/programme/{new.pk}/").content.decode()
    )
    WorkProgramme.objects.filter(pk=new.pk).update(status=W.ADOPTED)
    page = client.get(edit).content.decode()
    assert f"/en/programme/{new.pk}/hand-over/" in page
    assert f"/en/programme/{new.pk}/adopt/" not in page
    WorkProgramme.objects.filter(pk=new.pk).update(status=W.DRAFT)
    page = client.get(edit).content.decode()
    assert "/adopt/" not in page and "/hand-over/" not in page


def test_adoption_errors_are_shown_next_to_their_field(programme, secretariat):
    new = next_programme(programme)
    response = client_for(secretariat).post(
        f"/en/programme/{new.pk}/adopt/",
        adoption_post(
            reference="P-PG/MinConf (2014) 4",
            adopted_on=ADOPTION["conference_start"].replace(day=1),
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "already has the reference" in form.errors["reference"][0]
    assert "before the first day" in form.errors["adopted_on"][0]
    new.refresh_from_db()
    assert new.status == W.CONSULTATION


def test_adoption_page_says_why_a_programme_cannot_be_adopted(programme, secretariat):
    response = client_for(secretariat).get(f"/en/programme/{programme.pk}/adopt/")
    assert "Only a work programme in consultation can be adopted; this one is in force." in (
        response.content.decode()
    )
    response = client_for(secretariat).post(
        f"/en/programme/{programme.pk}/adopt/", adoption_post(reference=NEW_REFERENCE)
    )
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.status == W.IN_FORCE


def test_hand_over_page_lists_running_activities_and_open_proposals_prefilled(
    programme, states, secretariat
):
    w = world(programme, states)
    response = client_for(secretariat).get(f"/en/programme/{w.new.pk}/hand-over/")
    assert response.status_code == 200
    forms = {f.source.pk: f for f in response.context["activity_forms"]}
    assert set(forms) == {w.ongoing.pk, w.suspended.pk}  # not the completed one
    ongoing = forms[w.ongoing.pk]
    assert ongoing.initial["thematic_priorities"] == [w.priority(w.new, "3.4").pk]
    assert ongoing.initial["permanent_format"] == w.format(w.new, "4.1").pk
    assert ongoing["carry_over"].value() is True
    proposals = {f.source.pk: f for f in response.context["proposal_forms"]}
    assert set(proposals) == {w.submitted.pk, w.draft.pk}
    assert proposals[w.submitted.pk].initial["year"] == 2019  # 2018 is not a year of the new one


def _form_data(w, **override):
    """What the page posts for the valid hand-over of ``World.rows``."""
    a, s = f"activity-{w.ongoing.pk}", f"activity-{w.suspended.pk}"
    p, d = f"proposal-{w.submitted.pk}", f"proposal-{w.draft.pk}"
    data = {
        f"{a}-shown": "on",
        f"{a}-carry_over": "on",
        f"{a}-thematic_priorities": [w.priority(w.new, "3.5").pk],
        f"{a}-permanent_format": w.format(w.new, "4.10").pk,
        f"{s}-shown": "on",
        f"{p}-shown": "on",
        f"{p}-action": "move",
        f"{p}-thematic_priorities": [w.priority(w.new, "3.4").pk],
        f"{p}-permanent_format": w.format(w.new, "4.1").pk,
        f"{p}-year": "2019",
        f"{d}-shown": "on",
        f"{d}-action": "close",
        f"{d}-reason": "Superseded.",
    }
    data.update(override)
    return data


def test_hand_over_page_puts_in_force_and_the_pages_follow(
    programme, states, secretariat, pc_fr, client
):
    w = world(programme, states)
    sec = client_for(secretariat)
    response = sec.post(f"/en/programme/{w.new.pk}/hand-over/", _form_data(w))
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["activity_forms"] + response.context["proposal_forms"]
    ]
    assert response["Location"] == "/en/programme/"
    page = client.get("/en/programme/").content.decode()
    assert w.new.title in page
    w.ongoing.refresh_from_db()
    assert w.ongoing.work_programme == w.new
    activity_page = sec.get(f"/en/activities/{w.ongoing.reference}/").content.decode()
    assert "3.5" in activity_page and "Online academy" in activity_page
    # The pages that read the programme in force still answer.
    for url in (
        "/en/",
        "/en/proposals/ranking/2019/",
        "/en/evaluation/",
        "/en/meetings/",
        f"/en/programme/{programme.pk}/",
        f"/en/proposals/{w.submitted.pk}/",
        f"/en/proposals/{w.draft.pk}/",
    ):
        assert sec.get(url).status_code == 200, url
    # A delegation drafts under the new programme: its new priority is offered.
    assert "Digital markets" in client_for(pc_fr).get("/en/proposals/new/").content.decode()


def test_hand_over_page_shows_each_problem_next_to_its_row_and_saves_nothing(
    programme, states, secretariat
):
    w = world(programme, states)
    d = f"proposal-{w.draft.pk}"
    response = client_for(secretariat).post(
        f"/en/programme/{w.new.pk}/hand-over/", _form_data(w, **{f"{d}-reason": ""})
    )
    assert response.status_code == 400
    draft_form = next(f for f in response.context["proposal_forms"] if f.source.pk == w.draft.pk)
    assert "say why the proposal is closed" in draft_form.errors["reason"][0]
    programme.refresh_from_db()
    w.draft.refresh_from_db()
    assert (programme.status, w.draft.status) == (W.IN_FORCE, Proposal.Status.DRAFT)


def test_a_row_finished_meanwhile_is_shown_as_changed_meanwhile(programme, states, secretariat):
    w = world(programme, states)
    Activity.objects.filter(pk=w.ongoing.pk).update(status=Activity.Status.COMPLETED)
    response = client_for(secretariat).post(f"/en/programme/{w.new.pk}/hand-over/", _form_data(w))
    assert response.status_code == 400
    row = next(f for f in response.context["activity_forms"] if f.source.pk == w.ongoing.pk)
    assert "changed meanwhile" in row.non_field_errors()[0]
    programme.refresh_from_db()
    assert programme.status == W.IN_FORCE


def _hand_over_queries(secretariat, new) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretariat)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/en/programme/{new.pk}/hand-over/").status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_hand_over_page_reads_a_fixed_number_of_queries_whatever_the_rows(
    programme, states, secretariat
):
    w = world(programme, states)
    few = _hand_over_queries(secretariat, w.new)
    p34 = w.priority(programme, "3.4")
    for n in range(4):  # four more running activities and open proposals
        ActivityFactory(work_programme=programme, thematic_priorities=[p34])
        ProposalFactory(
            work_programme=programme, reference=f"PR-2018-09{n}"
        ).thematic_priorities.set([p34])
    many = _hand_over_queries(secretariat, w.new)
    assert len(many) == len(few), "\n".join(many)
    # The session and the user (2); the new programme (1); the user's roles: groups,
    # profile, mandate (3); the programme in force (1); the running activities and their
    # priorities (2); the open proposals with their assessments counted, and their
    # priorities (2); the new programme's priorities and formats, once for every row
    # (2); the inbox's unread count (1); the session saved, in its savepoint (3).
    assert len(few) == 2 + 1 + 3 + 1 + 2 + 2 + 2 + 1 + 3, "\n".join(few)


def test_the_hand_over_pages_read_in_french(programme, states, secretariat):
    w = world(programme, states)
    sec = client_for(secretariat)
    page = sec.get(f"/fr/programme/{w.new.pk}/hand-over/")
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()
    WorkProgramme.objects.filter(pk=w.new.pk).update(status=W.CONSULTATION)
    assert sec.get(f"/fr/programme/{w.new.pk}/adopt/").status_code == 200

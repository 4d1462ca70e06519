"""Each step of a proposal tells the same people as before the inbox existed, now as a
notice in their inbox as well; each person's preference decides the e-mail."""

import pytest
from django.core import mail

from pompidou import notices
from pompidou.models import Notice, NoticePreference
from proposals import services
from tests.proposals.factories import full_scores, submitted

pytestmark = pytest.mark.django_db


def _told(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_each_step_tells_the_people_of_its_rule(
    pc_fr, pc_de, secretariat, expert, programme, meeting
):
    proposal = submitted(pc_fr, programme)
    # The Secretariat and the other delegations' PCs, who may support it.
    assert _told("proposal_submitted") == sorted([secretariat.username, pc_de.username])
    services.support_add(proposal=proposal, actor=pc_de)
    # The proposing delegation and the Secretariat.
    assert _told("proposal_supported") == sorted([pc_fr.username, secretariat.username])
    assessment = services.assessor_assign(proposal=proposal, assessor=expert, actor=secretariat)
    assert _told("assessment_assigned") == [expert.username]
    services.assessment_save(
        assessment=assessment, actor=expert, scores=full_scores(proposal), submit=True
    )
    assert _told("proposal_fully_assessed") == [secretariat.username]
    services.decision_record(
        proposal=proposal, actor=secretariat, outcome="rejected", meeting=meeting, rationale="No."
    )
    # The proposing delegation, the supporting ones and the Secretariat.
    assert _told("proposal_decided") == sorted(
        [pc_fr.username, pc_de.username, secretariat.username]
    )
    decision = Notice.objects.get(kind="proposal_decided", user=pc_fr)
    assert decision.url == f"/en/proposals/{proposal.pk}/"
    assert decision.title_text == f"Decision on the proposal: {proposal.title}"
    assert "Status: Rejected" in decision.body_text


def test_each_persons_preference_decides_the_e_mail(
    pc_fr, pc_de, secretariat, programme, django_capture_on_commit_callbacks
):
    for user, address in ((pc_de, "pc@de.example"), (secretariat, "sec@example.org")):
        user.email = address
        user.save()
    NoticePreference.objects.create(user=secretariat, kind="proposal_submitted", delivery="inbox")
    with django_capture_on_commit_callbacks(execute=True):
        submitted(pc_fr, programme)
    # At once for the German PC (no preference); nothing for the Secretariat (inbox only).
    assert [m.to for m in mail.outbox] == [["pc@de.example"]]
    assert _told("proposal_submitted") == sorted([pc_de.username, secretariat.username])
    mail.outbox.clear()
    NoticePreference.objects.create(user=pc_de, kind="proposal_submitted", delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        submitted(pc_fr, programme, title="A second proposal")
    assert mail.outbox == []
    # The beat task sends the day's digest: the second proposal, once.
    from pompidou.tasks import send_notice_digests

    assert send_notice_digests.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["pc@de.example"]]
    assert "Proposal submitted: A second proposal" in mail.outbox[0].body
    assert notices.send_digests() == 0
    assert Notice.objects.filter(user=secretariat, emailed_at__isnull=False).count() == 0

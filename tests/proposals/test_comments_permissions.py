"""The permission rules of the proposal apply to its comments, role by role: who reads
and who writes the public discussion and the assessors' channel, asked of the
predicates and of the pages (a refusal by role is a 403, a proposal one may not see a
404, the anonymous visitor the login page)."""

import pytest
from django.urls import reverse

from proposals import permissions as perm
from proposals import services
from proposals.models import Comment
from tests.conftest import client_for
from tests.proposals.api import bureau_member
from tests.proposals.conftest import LOGIN, assign, check

ROLES = (
    "secretariat",
    "pc_fr",  # the proposing delegation
    "pc_de",  # another delegation
    "bureau_fr",  # a Bureau member of the proposing state
    "bureau_chair",  # a Bureau member of another state
    "expert",  # the assigned assessor
    "expert_b",  # an expert not assigned
    "outsider",
    "anonymous",
)
READS_PUBLIC = {"secretariat", "pc_fr", "pc_de", "bureau_fr", "bureau_chair", "expert", "expert_b"}
READS_ASSESSORS = {"secretariat", "expert"}


@pytest.fixture
def people(personas):
    from programme.services import account_create

    return {
        **personas,
        "bureau_fr": bureau_member("bureau_fr", "FR"),
        "expert_b": account_create(
            username="expert_b", role="expert", password="x" * 12, validate=False
        ),
    }


@pytest.fixture
def proposal(world, personas):
    assign(world, personas)
    proposal = world["fr_submitted"]
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_and_writes_the_channels_the_proposal_rules_allow(people, proposal, role):
    user = people[role]
    for channel, readers in (("public", READS_PUBLIC), ("assessors", READS_ASSESSORS)):
        read = perm.can_read_comments(user, proposal, channel)
        write = perm.can_comment(user, proposal, channel)
        assert bool(read) is (role in readers), (channel, read.reason)
        assert bool(write) is (role in readers), (channel, write.reason)
        if not read:
            assert str(read.reason) and not read.state  # a refusal by role: a 403


def test_the_assessors_channel_refuses_the_proposing_delegation_with_its_reason(people, proposal):
    verdict = perm.can_comment(people["pc_fr"], proposal, "assessors")
    assert not verdict
    assert "assessors and the Secretariat" in str(verdict.reason)


def test_a_draft_is_discussed_by_its_delegation_and_the_secretariat_only(people, world):
    fr_draft = world["fr_draft"]
    allowed = {r for r in ROLES if perm.can_comment(people[r], fr_draft, "public")}
    assert allowed == {"secretariat", "pc_fr", "bureau_fr"}


def test_a_withdrawn_proposal_is_read_but_no_longer_discussed(people, proposal):
    services.proposal_withdraw(proposal=proposal, actor=people["pc_fr"])
    proposal.refresh_from_db()
    assert perm.can_read_comments(people["pc_de"], proposal, "public")
    verdict = perm.can_comment(people["pc_de"], proposal, "public")
    assert not verdict and verdict.state and "withdrawn" in str(verdict.reason)


def test_only_the_author_edits_a_comment(people, proposal):
    comment = services.comment_post(proposal=proposal, actor=people["pc_de"], body="A question.")
    editors = {r for r in ROLES if perm.can_edit_comment(people[r], comment)}
    assert editors == {"pc_de"}


# --- the pages ------------------------------------------------------------------------

POST_PUBLIC = dict.fromkeys(READS_PUBLIC, 302) | {"outsider": 404, "anonymous": LOGIN}
POST_ASSESSORS = dict.fromkeys(READS_PUBLIC, 403) | {
    "secretariat": 302,
    "expert": 302,
    "outsider": 404,
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_posts_on_the_page_where_the_rules_allow_and_nowhere_else(people, proposal, role):
    client = client_for(people[role])
    address = reverse("proposals:comment_add", args=[proposal.pk])
    for channel, expected in (("public", POST_PUBLIC), ("assessors", POST_ASSESSORS)):
        body = f"{role} writes on {channel}"
        check(client.post(address, {"channel": channel, "body": body}), expected[role])
        stored = Comment.objects.filter(body=body).exists()
        assert stored is (expected[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_on_the_page_only_the_channels_it_may(people, proposal, role):
    services.comment_post(proposal=proposal, actor=people["pc_de"], body="Public remark 4711")
    services.comment_post(
        proposal=proposal, actor=people["expert"], body="Assessors' note 4712", channel="assessors"
    )
    response = client_for(people[role]).get(reverse("proposals:detail", args=[proposal.pk]))
    if role in READS_PUBLIC:
        html = response.content.decode()
        assert response.status_code == 200
        assert "Public remark 4711" in html
        assert ("Assessors&#x27; note 4712" in html) is (role in READS_ASSESSORS)
        assert ('id="assessors-channel"' in html) is (role in READS_ASSESSORS)
    else:
        check(response, LOGIN if role == "anonymous" else 404)
        assert b"4711" not in response.content and b"4712" not in response.content

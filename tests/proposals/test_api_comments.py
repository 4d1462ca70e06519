"""``/api/v1/proposals/<id>/comments/``: the page's rules through the API."""

import pytest

from proposals import services
from proposals.models import Comment
from tests.conftest import answer, client_as
from tests.proposals.conftest import assign


@pytest.fixture
def proposal(world, personas):
    assign(world, personas)
    services.comment_post(proposal=world["fr_submitted"], actor=personas["pc_de"], body="Hi @pc_fr")
    services.comment_post(
        proposal=world["fr_submitted"],
        actor=personas["expert"],
        body="Assessors only 8812",
        channel="assessors",
    )
    return world["fr_submitted"]


def url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/comments/"


def test_the_list_holds_the_channels_the_reader_may_read(proposal, personas):
    mine = answer(client_as(personas["expert"]).get(url(proposal)))
    assert [(c["channel"], c["body"]) for c in mine] == [
        ("public", "Hi @pc_fr"),
        ("assessors", "Assessors only 8812"),
    ]
    assert mine[0]["mentions"] == ["pc_fr"] and mine[0]["author"] == "pc_de"
    theirs = answer(client_as(personas["pc_fr"]).get(url(proposal)))
    assert [c["channel"] for c in theirs] == ["public"]


def test_asking_for_a_channel_one_may_not_read_is_a_403_without_its_text(proposal, personas):
    response = client_as(personas["pc_fr"]).get(url(proposal) + "?channel=assessors")
    assert response.status_code == 403 and b"8812" not in response.content
    assert answer(client_as(personas["pc_fr"]).get(url(proposal) + "?channel=bogus"), 400)


@pytest.mark.parametrize(
    ("role", "channel", "expected"),
    [
        ("pc_de", "public", 201),
        ("pc_fr", "assessors", 403),
        ("expert", "assessors", 201),
        ("outsider", "public", 404),
        ("anonymous", "public", 403),
    ],
)
def test_posting_follows_the_rules_of_the_channel(proposal, personas, role, channel, expected):
    before = Comment.objects.count()
    response = client_as(personas[role]).post(
        url(proposal), {"body": "New one", "channel": channel}, format="json"
    )
    assert response.status_code in ((401, 403) if role == "anonymous" else (expected,)), (
        response.content
    )
    assert Comment.objects.count() == before + (1 if expected == 201 else 0)


def test_a_reply_and_a_bad_comment(proposal, personas):
    first = Comment.objects.get(channel="public")
    reply = answer(
        client_as(personas["pc_fr"]).post(
            url(proposal), {"body": "Answer", "parent": first.pk}, format="json"
        ),
        201,
    )
    assert reply["parent"] == first.pk
    refused = answer(
        client_as(personas["pc_fr"]).post(url(proposal), {"body": "  "}, format="json"), 400
    )
    assert "body" in str(refused)

"""The discussion on the proposal page, by plain POST forms: a comment and a reply
land where they were written, an error shows the form again with the text as it was
sent, an author edits (the earlier text shown as a version) and withdraws."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Comment
from tests.conftest import client_for
from tests.proposals.conftest import assign


@pytest.fixture
def proposal(world, personas):
    assign(world, personas)
    return world["fr_submitted"]


def detail(proposal):
    return reverse("proposals:detail", args=[proposal.pk])


def test_a_comment_and_its_reply_are_posted_and_shown_in_their_thread(proposal, personas):
    address = reverse("proposals:comment_add", args=[proposal.pk])
    response = client_for(personas["pc_de"]).post(address, {"body": "Which countries?"})
    comment = Comment.objects.get()
    assert response["Location"] == f"{detail(proposal)}#comment-{comment.pk}"
    client_for(personas["pc_fr"]).post(address, {"body": "Six.", "parent": comment.pk})
    html = client_for(personas["pc_de"]).get(detail(proposal)).content.decode()
    thread = html.split(f'id="comment-{comment.pk}"')[1]
    assert thread.index("Which countries?") < thread.index("Six.")
    assert 'aria-label="Replies"' in thread


def test_an_error_shows_the_form_again_with_the_text_and_the_reason(proposal, personas):
    address = reverse("proposals:comment_add", args=[proposal.pk])
    long = "Long text. " * 500
    response = client_for(personas["pc_de"]).post(address, {"body": long})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 5000 characters" in html
    assert long.strip()[:200] in html
    assert not Comment.objects.exists()


def test_a_reply_with_an_error_is_shown_again_open_under_its_comment(proposal, personas):
    comment = services.comment_post(proposal=proposal, actor=personas["pc_de"], body="Why?")
    address = reverse("proposals:comment_add", args=[proposal.pk])
    response = client_for(personas["pc_fr"]).post(
        address, {"body": "bad \x07", "parent": comment.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    reply_form = html.split('data-testid="reply-form"')[0].rsplit("<details", 1)[1]
    assert " open>" in reply_form
    assert "control character" in html.split('data-testid="reply-form"')[1].split("</form>")[0]


def test_a_reply_to_a_comment_of_another_proposal_is_refused(proposal, world, personas):
    other = services.comment_post(
        proposal=world["urgent"], actor=personas["pc_de"], body="Elsewhere"
    )
    address = reverse("proposals:comment_add", args=[proposal.pk])
    response = client_for(personas["pc_de"]).post(address, {"body": "Hi", "parent": other.pk})
    assert response.status_code == 400
    assert "not in this discussion" in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_unknown_channel_is_a_clear_error(proposal, personas):
    address = reverse("proposals:comment_add", args=[proposal.pk])
    response = client_for(personas["pc_de"]).post(address, {"body": "Hi", "channel": "bureau"})
    assert response.status_code == 400
    assert "Choose the discussion or the assessors" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_author_edits_on_its_page_and_the_earlier_text_is_shown(proposal, personas):
    comment = services.comment_post(proposal=proposal, actor=personas["pc_de"], body="Draft text")
    client = client_for(personas["pc_de"])
    edit = reverse("proposals:comment_edit", args=[proposal.pk, comment.pk])
    assert "Draft text" in client.get(edit).content.decode()
    assert client.post(edit, {"body": ""}).status_code == 400
    response = client.post(edit, {"body": "Final text"})
    assert response.status_code == 302
    html = client_for(personas["pc_fr"]).get(detail(proposal)).content.decode()
    assert "Final text" in html and 'data-testid="edited"' in html
    assert "1 earlier version" in html and "Draft text" in html
    # Another reader has no edit link; another user cannot open the edit page.
    assert edit not in html
    assert client_for(personas["pc_fr"]).get(edit).status_code == 403


def test_the_author_withdraws_and_the_page_says_so(proposal, personas):
    comment = services.comment_post(proposal=proposal, actor=personas["pc_de"], body="Oops 991")
    withdraw = reverse("proposals:comment_withdraw", args=[proposal.pk, comment.pk])
    assert client_for(personas["pc_fr"]).post(withdraw).status_code == 403
    assert client_for(personas["pc_de"]).post(withdraw).status_code == 302
    html = client_for(personas["pc_fr"]).get(detail(proposal)).content.decode()
    assert "Comment withdrawn by its author." in html and "Oops 991" not in html


def test_an_assessors_comment_cannot_be_reached_by_the_proposer_by_its_id(proposal, personas):
    note = services.comment_post(
        proposal=proposal, actor=personas["expert"], body="Private 5521", channel="assessors"
    )
    edit = reverse("proposals:comment_edit", args=[proposal.pk, note.pk])
    response = client_for(personas["pc_fr"]).get(edit)
    assert response.status_code == 404 and b"5521" not in response.content


def test_a_withdrawn_proposal_shows_why_its_discussion_is_closed(proposal, personas):
    services.comment_post(proposal=proposal, actor=personas["pc_de"], body="Before 3301")
    services.proposal_withdraw(proposal=proposal, actor=personas["pc_fr"])
    address = reverse("proposals:comment_add", args=[proposal.pk])
    response = client_for(personas["pc_de"]).post(address, {"body": "After"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "its discussion is closed" in html and "Before 3301" in html
    assert 'data-testid="comment-form-public"' not in html
    assert Comment.objects.count() == 1

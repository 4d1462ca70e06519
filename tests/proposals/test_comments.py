"""The discussion's services and how a comment is shown: threads, edits with their
history, withdrawal, plain text (escaped, links clickable), mentions, and who is told
of a new comment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import Notice
from proposals import services
from proposals.discussion import discussion_of, render_body
from proposals.models import Comment, CommentVersion
from tests.proposals.conftest import assign


@pytest.fixture
def proposal(world, personas):
    assign(world, personas)
    proposal = world["fr_submitted"]
    proposal.refresh_from_db()
    return proposal


def post(proposal, user, body, **kw):
    return services.comment_post(proposal=proposal, actor=user, body=body, **kw)


def told(kind):
    return set(Notice.objects.filter(kind=kind).values_list("user__username", flat=True))


# --- threads ----------------------------------------------------------------------------


def test_a_reply_to_a_reply_joins_the_thread_of_the_first_comment(proposal, personas):
    first = post(proposal, personas["pc_de"], "Why this budget?")
    reply = post(proposal, personas["pc_fr"], "Travel costs.", parent=first)
    again = post(proposal, personas["pc_de"], "Thanks.", parent=reply)
    assert (reply.parent_id, again.parent_id) == (first.pk, first.pk)
    [channel] = discussion_of(proposal, personas["pc_de"])
    [thread] = channel.threads
    assert [r.comment.body for r in thread.replies] == ["Travel costs.", "Thanks."]


def test_a_reply_stays_on_the_channel_of_its_comment(proposal, personas):
    note = post(proposal, personas["expert"], "Criterion 4?", channel="assessors")
    with pytest.raises(DomainError, match="not in this discussion"):
        post(proposal, personas["secretariat"], "Public reply", parent=note)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write a comment."),
        ("x" * (Comment.MAX_LENGTH + 1), "at most 5000 characters"),
        ("bell \x07 here", "control"),
    ],
)
def test_a_bad_comment_is_refused_with_its_reason_and_nothing_is_stored(
    proposal, personas, body, message
):
    notices_before = Notice.objects.count()  # the proposal's own steps notified people
    with pytest.raises(DomainError) as refused:
        post(proposal, personas["pc_de"], body)
    assert message.lower() in refused.value.message.lower()
    assert refused.value.errors.keys() == {"body"}
    assert not Comment.objects.exists() and Notice.objects.count() == notices_before


def test_an_unknown_channel_is_refused(proposal, personas):
    with pytest.raises(DomainError, match="assessors' channel"):
        post(proposal, personas["secretariat"], "Hello", channel="bureau")


def test_the_proposing_delegation_cannot_post_in_the_assessors_channel(proposal, personas):
    with pytest.raises(PermissionDenied):
        post(proposal, personas["pc_fr"], "Let me in", channel="assessors")
    assert not Comment.objects.exists()


# --- edits and withdrawal ---------------------------------------------------------------


def test_an_edit_keeps_the_earlier_texts_in_order(proposal, personas):
    comment = post(proposal, personas["pc_de"], "First text")
    services.comment_edit(comment=comment, actor=personas["pc_de"], body="Second text")
    services.comment_edit(comment=comment, actor=personas["pc_de"], body="Third text")
    comment.refresh_from_db()
    assert comment.body == "Third text" and comment.edited_at is not None
    assert list(comment.versions.values_list("body", flat=True)) == ["First text", "Second text"]
    [channel] = discussion_of(proposal, personas["pc_fr"])
    assert [v.body for v in channel.threads[0].versions] == ["First text", "Second text"]


def test_an_edit_with_the_same_text_keeps_no_version(proposal, personas):
    comment = post(proposal, personas["pc_de"], "Same")
    services.comment_edit(comment=comment, actor=personas["pc_de"], body="Same  ")
    assert not CommentVersion.objects.exists()


def test_nobody_but_the_author_edits_and_the_text_stays(proposal, personas):
    comment = post(proposal, personas["pc_de"], "Mine")
    for other in ("pc_fr", "secretariat", "expert"):
        with pytest.raises(PermissionDenied, match="Only its author"):
            services.comment_edit(comment=comment, actor=personas[other], body="Theirs")
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.versions.exists()


def test_a_withdrawn_comment_keeps_its_place_and_its_text_only_in_the_history(proposal, personas):
    comment = post(proposal, personas["pc_de"], "Too hasty")
    post(proposal, personas["pc_fr"], "An answer", parent=comment)
    services.comment_withdraw(comment=comment, actor=personas["pc_de"])
    comment.refresh_from_db()
    assert comment.is_withdrawn and comment.body == ""
    assert list(comment.versions.values_list("body", flat=True)) == ["Too hasty"]
    [channel] = discussion_of(proposal, personas["pc_fr"])
    [thread] = channel.threads
    assert thread.html == "" and thread.versions == [] and len(thread.replies) == 1
    with pytest.raises(DomainError, match="withdrawn"):
        services.comment_edit(comment=comment, actor=personas["pc_de"], body="Back")
    with pytest.raises(DomainError, match="withdrawn"):
        post(proposal, personas["pc_fr"], "Another answer", parent=comment)


# --- plain text -------------------------------------------------------------------------


def test_html_in_a_comment_stays_text():
    html = render_body('<script>alert("x")</script> <b>bold</b> & "quotes"')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp; &quot;quotes&quot;" in html


def test_links_are_clickable_with_nofollow_noopener_and_nothing_else_is():
    html = render_body(
        'See https://www.coe.int/pompidou?a=1&b=2, and javascript:alert(1) "onmouseover=x"'
    )
    assert (
        '<a href="https://www.coe.int/pompidou?a=1&amp;b=2" rel="nofollow noopener">'
        "https://www.coe.int/pompidou?a=1&amp;b=2</a>," in html
    )
    assert html.count("<a ") == 1
    assert "&quot;onmouseover=x&quot;" in html


def test_a_link_in_a_comment_cannot_break_out_of_its_attribute():
    html = render_body('http://example.org/"><script>x</script>')
    assert "<script>" not in html


def test_line_breaks_are_kept():
    assert render_body("one\ntwo") == "one<br>two"


# --- mentions ---------------------------------------------------------------------------


def test_a_mention_of_a_reader_is_stored_shown_by_name_and_notified(proposal, personas):
    personas["pc_fr"].first_name, personas["pc_fr"].last_name = "Jeanne", "Martin"
    personas["pc_fr"].save()
    comment = post(proposal, personas["pc_de"], "@pc_fr, could you say more?")
    assert list(comment.mentions.values_list("username", flat=True)) == ["pc_fr"]
    [channel] = discussion_of(proposal, personas["pc_de"])
    assert channel.threads[0].html.startswith(
        '<span class="mention fw-semibold" title="@pc_fr">Jeanne Martin</span>, could'
    )
    assert told("mention") == {"pc_fr"}
    # Told once, of the mention: not a second time of the comment.
    assert "pc_fr" not in told("comment")


def test_a_mention_of_someone_who_cannot_read_the_channel_is_neither_stored_nor_notified(
    proposal, personas
):
    comment = post(
        proposal,
        personas["expert"],
        "@pc_fr must not know; @outsider neither; @nobody exists",
        channel="assessors",
    )
    assert not comment.mentions.exists()
    assert not Notice.objects.filter(user__in=[personas["pc_fr"], personas["outsider"]]).exists()
    html = render_body(comment.body, {})
    assert "@pc_fr must not know" in html and "mention" not in html


def test_an_e_mail_address_or_a_link_is_no_mention(proposal, personas):
    comment = post(
        proposal, personas["pc_de"], "Write to jean@pc_fr.example or https://x.org/@pc_fr"
    )
    assert not comment.mentions.exists()


def test_an_edit_notifies_only_those_newly_mentioned(proposal, personas):
    comment = post(proposal, personas["pc_de"], "@pc_fr what do you think?")
    Notice.objects.all().delete()
    services.comment_edit(
        comment=comment, actor=personas["pc_de"], body="@pc_fr and @secretariat, what now?"
    )
    assert told("mention") == {"secretariat"}
    assert not Notice.objects.filter(kind="comment").exists()


# --- who is told ------------------------------------------------------------------------


def test_a_comment_notifies_the_delegation_and_those_who_took_part_never_the_author(
    proposal, personas, states
):
    from programme.services import account_create

    account_create(
        username="pc_fr_2",
        role="correspondent",
        member_state_code="FR",
        password="x" * 12,
        validate=False,
    )
    first = post(proposal, personas["pc_de"], "A first remark")
    assert told("comment") == {"pc_fr", "pc_fr_2"}
    Notice.objects.all().delete()
    post(proposal, personas["bureau_chair"], "Me too", parent=first)
    assert told("comment") == {"pc_fr", "pc_fr_2", "pc_de"}
    Notice.objects.all().delete()
    post(proposal, personas["pc_fr"], "Our answer")
    assert told("comment") == {"pc_fr_2", "pc_de", "bureau_chair"}
    notice = Notice.objects.get(kind="comment", user__username="pc_de")
    assert notice.url.endswith(f"/proposals/{proposal.pk}/#comment-{Comment.objects.last().pk}")
    assert notice.params["excerpt"] == "Our answer"


def test_an_assessors_comment_never_notifies_the_proposing_delegation(proposal, personas):
    post(proposal, personas["pc_de"], "Public remark")
    Notice.objects.all().delete()
    post(proposal, personas["secretariat"], "For the assessors", channel="assessors")
    assert told("comment") == set()
    post(proposal, personas["expert"], "Noted", channel="assessors")
    assert told("comment") == {"secretariat"}
    assert "assessors' channel" in Notice.objects.get(kind="comment").title


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_the_discussion_is_read_in_three_queries_whatever_its_length(proposal, personas, count):
    sec = personas["secretariat"]
    for i in range(count):
        root = post(proposal, personas["pc_de"], f"Remark {i} for @pc_fr")
        post(proposal, sec, f"Reply {i}", parent=root)
        services.comment_edit(comment=root, actor=personas["pc_de"], body=f"Remark {i} edited")
        post(proposal, personas["expert"], f"Note {i}", channel="assessors")
    sec = type(sec).objects.get(pk=sec.pk)
    from programme import roles

    roles.roles_of(sec)  # the request's roles, asked once per request by the middleware
    proposal = type(proposal).objects.prefetch_related("assessments").get(pk=proposal.pk)
    with CaptureQueriesContext(connection) as queries:
        channels = discussion_of(proposal, sec)
    # 1 the comments with their authors, 2 their mentions, 3 their earlier versions
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert [len(c.threads) for c in channels] == [count, count]

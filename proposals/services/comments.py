"""The discussion under a proposal: post, reply, edit (the earlier text kept),
withdraw, and the notices each new comment sends.

Who reads and writes which channel is ``permissions.can_read_comments`` /
``can_comment``; a mention or a notice only ever reaches someone those rules let
read the comment (an assessors' comment never reaches the proposing delegation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pompidou import notices
from pompidou.errors import DomainError
from pompidou.lib.text import clean_text
from pompidou.rules import require
from programme import roles

from .. import permissions
from ..models import Comment, CommentVersion, Proposal

# ``@username``, not inside a word, an e-mail address or a URL's path or query.
MENTION = re.compile(r"(?<![\w@/.:=?&#+-])@([\w.+-]*\w)")
EXCERPT = 200


def mentioned_usernames(body: str) -> list[str]:
    return list(dict.fromkeys(MENTION.findall(body)))


def _clean(body: str) -> str:
    try:
        body = clean_text(body or "").strip()
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="body") from exc
    if not body:
        raise DomainError(_("Write a comment."), field="body")
    if len(body) > Comment.MAX_LENGTH:
        raise DomainError(
            _("A comment holds at most %(max)s characters; this one has %(count)s.")
            % {"max": Comment.MAX_LENGTH, "count": len(body)},
            field="body",
        )
    return body


def _readers(users: Iterable[User], comment: Comment) -> list[User]:
    """Those of ``users`` who may read the comment, its author left out."""
    return [
        u
        for u in users
        if u.pk != comment.author_id
        and permissions.can_read_comments(u, comment.proposal, comment.channel)
    ]


def _resolve_mentions(comment: Comment) -> list[User]:
    """The users the text mentions who may read the comment: stored as its mentions.
    A mention of anyone else stays plain text and notifies nobody."""
    names = mentioned_usernames(comment.body)
    found = User.objects.filter(username__in=names, is_active=True) if names else []
    mentioned = _readers(found, comment)
    comment.mentions.set(mentioned)
    return mentioned


def _params(comment: Comment) -> dict[str, str]:
    proposal = comment.proposal
    excerpt = comment.body if len(comment.body) <= EXCERPT else comment.body[:EXCERPT] + "…"
    return {
        "reference": proposal.reference or proposal.title,
        "title": proposal.title,
        "author": comment.author.get_full_name() or comment.author.username,
        "excerpt": excerpt,
    }


def _url(comment: Comment) -> str:
    return reverse("proposals:detail", args=[comment.proposal_id]) + f"#comment-{comment.pk}"


def _notify_mentions(comment: Comment, users: list[User]) -> None:
    notices.notify(
        _readers(users, comment),
        "mention",
        title=gettext_noop("%(author)s mentioned you on %(reference)s"),
        body=gettext_noop("%(reference)s — %(title)s\n\n%(author)s: %(excerpt)s"),
        params=_params(comment),
        url=_url(comment),
    )


def _notify_comment(comment: Comment, mentioned: list[User]) -> None:
    """The proposing delegation's Permanent Correspondents and those who commented
    before on the channel; not the author, not who was just told of a mention, not
    who may not read the channel."""
    proposal = comment.proposal
    delegation = User.objects.filter(
        profile__member_state=proposal.member_state_id,
        groups__name=roles.CORRESPONDENT,
        is_active=True,
    )
    took_part = User.objects.filter(
        proposal_comments__proposal=proposal, proposal_comments__channel=comment.channel
    )
    told = {u.pk for u in mentioned}
    users = {u.pk: u for u in [*delegation, *took_part] if u.pk not in told}
    title = (
        gettext_noop("New comment in the assessors' channel of %(reference)s")
        if comment.channel == Comment.Channel.ASSESSORS
        else gettext_noop("New comment on %(reference)s")
    )
    notices.notify(
        _readers(users.values(), comment),
        "comment",
        title=title,
        body=gettext_noop("%(reference)s — %(title)s\n\n%(author)s: %(excerpt)s"),
        params=_params(comment),
        url=_url(comment),
    )


@transaction.atomic
def comment_post(
    *,
    proposal: Proposal,
    actor: User,
    body: str,
    channel: str = Comment.Channel.PUBLIC,
    parent: Comment | None = None,
) -> Comment:
    """A comment on the proposal's ``channel``, or a reply to ``parent`` (a reply to
    a reply joins its thread: one level of replies). Notifies as ``_notify_comment``
    says, and each mentioned reader with a "mention" notice."""
    if channel not in Comment.Channel.values:
        raise DomainError(_("Choose the discussion or the assessors' channel."), field="channel")
    require(permissions.can_comment(actor, proposal, channel))
    body = _clean(body)
    if parent is not None:
        if parent.proposal_id != proposal.pk or parent.channel != channel:
            raise DomainError(_("The comment you reply to is not in this discussion."))
        if parent.parent_id is not None:
            parent = parent.parent
        if parent is not None and parent.is_withdrawn:
            raise DomainError(_("The comment you reply to was withdrawn."))
    comment = Comment.objects.create(
        proposal=proposal, author=actor, channel=channel, body=body, parent=parent
    )
    mentioned = _resolve_mentions(comment)
    _notify_mentions(comment, mentioned)
    _notify_comment(comment, mentioned)
    return comment


def _keep_version(comment: Comment, now) -> None:
    CommentVersion.objects.create(
        comment=comment,
        body=comment.body,
        written_at=comment.edited_at or comment.created_at,
        replaced_at=now,
    )


def _locked(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update().select_related("proposal", "author").get(pk=comment.pk)
    )


@transaction.atomic
def comment_edit(*, comment: Comment, actor: User, body: str) -> Comment:
    """The author's new text; the earlier one is kept as a version. Only those newly
    mentioned are notified."""
    require(permissions.can_edit_comment(actor, comment))
    comment = _locked(comment)
    require(permissions.can_edit_comment(actor, comment))
    body = _clean(body)
    if body == comment.body:
        return comment
    now = timezone.now()
    _keep_version(comment, now)
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.body, comment.edited_at = body, now
    comment.save(update_fields=["body", "edited_at", "updated_at"])
    mentioned = _resolve_mentions(comment)
    _notify_mentions(comment, [u for u in mentioned if u.pk not in before])
    return comment


@transaction.atomic
def comment_withdraw(*, comment: Comment, actor: User) -> Comment:
    """The author takes the comment back: it keeps its place in the thread as
    "withdrawn", its text kept as a version, shown to nobody."""
    require(permissions.can_edit_comment(actor, comment))
    comment = _locked(comment)
    require(permissions.can_edit_comment(actor, comment))
    now = timezone.now()
    _keep_version(comment, now)
    comment.body, comment.withdrawn_at = "", now
    comment.save(update_fields=["body", "withdrawn_at", "updated_at"])
    comment.mentions.clear()
    return comment

"""The discussion under a proposal as a page shows it: the channels the reader may
read, each as threads (a comment and its replies), every text rendered safe.

A comment is plain text: escaped, its http(s) links made clickable (``rel="nofollow
noopener"``), its line breaks kept, and each stored mention shown as the person's
name. An ``@username`` that is not a stored mention (someone who may not read the
comment, or nobody) stays the text it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html, urlize
from django.utils.safestring import SafeString, mark_safe

from . import permissions
from .models import Comment, CommentVersion, Proposal
from .services.comments import MENTION


def _linked(text: str) -> str:
    # urlize escapes the text around the links itself; its only rel="nofollow" is
    # its own (a quote typed by the user comes out as &quot;).
    return urlize(text, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow noopener"'
    )


def render_body(body: str, mentioned: dict[str, Any] | None = None) -> SafeString:
    """``body`` as safe HTML; ``mentioned``: the stored mentions by username."""
    mentioned = mentioned or {}
    parts, at = [], 0
    for match in MENTION.finditer(body):
        parts.append(_linked(body[at : match.start()]))
        user = mentioned.get(match.group(1))
        if user is None:
            parts.append(escape(match.group(0)))
        else:
            parts.append(
                format_html(
                    '<span class="mention fw-semibold" title="@{}">{}</span>',
                    user.username,
                    user.get_full_name() or user.username,
                )
            )
        at = match.end()
    parts.append(_linked(body[at:]))
    return mark_safe("".join(str(p) for p in parts).replace("\n", "<br>"))  # noqa: S308  # escaped above


@dataclass
class Shown:
    """One comment as the reader sees it."""

    comment: Comment
    html: SafeString
    can_edit: bool
    versions: list[CommentVersion] = field(default_factory=list)
    replies: list[Shown] = field(default_factory=list)


@dataclass
class Channel:
    name: str
    label: str
    threads: list[Shown]
    can_post: bool
    why_not: str


def _shown(comment: Comment, user: Any) -> Shown:
    if comment.is_withdrawn:
        return Shown(comment, mark_safe(""), False)
    mentioned = {u.username: u for u in comment.mentions.all()}
    return Shown(
        comment,
        render_body(comment.body, mentioned),
        comment.author_id == getattr(user, "pk", None)
        and bool(permissions.can_edit_comment(user, comment)),
        list(comment.versions.all()),
    )


def discussion_of(proposal: Proposal, user: Any) -> list[Channel]:
    """The channels ``user`` may read, with their threads in order. Three queries
    whatever the number of comments: the comments with their authors, their
    mentions, their earlier versions."""
    readable = [
        c for c in Comment.Channel if permissions.can_read_comments(user, proposal, c.value)
    ]
    comments = list(
        Comment.objects.filter(proposal=proposal, channel__in=[c.value for c in readable])
        .select_related("author")
        .prefetch_related("mentions", "versions")
    )
    for comment in comments:
        comment.proposal = proposal  # the permission checks read it: no query per row
    channels = []
    for channel in readable:
        roots: dict[int, Shown] = {}
        for comment in comments:
            if comment.channel != channel.value:
                continue
            shown = _shown(comment, user)
            if comment.parent_id is None:
                roots[comment.pk] = shown
            elif comment.parent_id in roots:
                roots[comment.parent_id].replies.append(shown)
        verdict = permissions.can_comment(user, proposal, channel.value)
        channels.append(
            Channel(
                channel.value, str(channel.label), list(roots.values()), bool(verdict), str(verdict)
            )
        )
    return channels

"""The discussion under a proposal: post a comment or a reply, edit or withdraw one's
own. Plain POST forms (no script needed); an error shows the page again with the
form as it was sent and the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pompidou.forms import call_service
from pompidou.rules import gate

from .. import permissions, selectors, services
from ..discussion import discussion_of
from ..forms import CommentForm
from ..models import Comment, Proposal
from .base import _act


def discussion_context(user, proposal: Proposal, bound: CommentForm | None = None) -> dict:
    """The channels the user reads, each with its form and a reply form per thread;
    ``bound``: the form sent with an error, shown where it was written."""

    def form_for(channel: str, parent: int | None) -> CommentForm:
        if bound is not None and (bound.for_channel, bound.for_parent) == (channel, parent):
            return bound
        return CommentForm(channel=channel, parent=parent)

    channels = discussion_of(proposal, user)
    for channel in channels:
        if not channel.can_post:
            continue
        threads = {t.comment.pk for t in channel.threads if not t.comment.is_withdrawn}
        # A reply to no thread of this page (another proposal's, a withdrawn one): its
        # error and text are shown in the channel's own form.
        astray = (
            bound is not None
            and bound.for_channel == channel.name
            and bound.for_parent is not None
            and bound.for_parent not in threads
        )
        channel.form = bound if astray else form_for(channel.name, None)  # type: ignore[attr-defined]
        for thread in channel.threads:
            if not thread.comment.is_withdrawn:
                thread.reply_form = form_for(channel.name, thread.comment.pk)  # type: ignore[attr-defined]
    return {"discussion": channels}


def _anchor(proposal: Proposal, comment: Comment) -> str:
    return reverse("proposals:detail", args=[proposal.pk]) + f"#comment-{comment.pk}"


@require_POST
def comment_add(request, pk: int):
    from .detail import _detail

    proposal = selectors.get_proposal_for_user(request.user, pk)
    channel = request.POST.get("channel") or Comment.Channel.PUBLIC
    if channel not in Comment.Channel.values:
        messages.error(request, _("Choose the discussion or the assessors' channel."))
        return _detail(request, proposal, status=400)
    verdict = permissions.can_comment(request.user, proposal, channel)
    gate(verdict)
    if not verdict:  # the proposal's state (withdrawn): the page says why, no form
        messages.error(request, str(verdict.reason))
        return _detail(request, proposal, status=400)
    raw_parent = request.POST.get("parent") or None
    parent_id = int(raw_parent) if raw_parent and raw_parent.isdigit() else None
    form = CommentForm(request.POST, channel=channel, parent=parent_id)
    if form.is_valid():
        parent = None
        if parent_id is not None:
            parent = Comment.objects.filter(
                pk=parent_id, proposal=proposal, channel=channel
            ).first()
            if parent is None:
                form.add_error(None, _("The comment you reply to is not in this discussion."))
        if form.is_valid():
            comment = call_service(
                form,
                services.comment_post,
                proposal=proposal,
                actor=request.user,
                body=form.cleaned_data["body"],
                channel=channel,
                parent=parent,
            )
            if comment:
                messages.success(request, _("Your comment is posted."))
                return redirect(_anchor(proposal, comment))
    return _detail(request, proposal, status=400, comment_form=form)


def _own_comment(request, pk: int, comment_id: int) -> tuple[Proposal, Comment]:
    """The comment, if the user reads its channel (else 404); 403 unless they may
    change it."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    readable = [
        c
        for c in Comment.Channel.values
        if permissions.can_read_comments(request.user, proposal, c)
    ]
    comment = get_object_or_404(
        Comment.objects.select_related("author").prefetch_related("versions"),
        pk=comment_id,
        proposal=proposal,
        channel__in=readable,
    )
    comment.proposal = proposal
    gate(permissions.can_edit_comment(request.user, comment))
    return proposal, comment


def comment_edit(request, pk: int, comment_id: int):
    proposal, comment = _own_comment(request, pk, comment_id)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.comment_edit,
            comment=comment,
            actor=request.user,
            body=form.cleaned_data["body"],
        )
        if saved:
            messages.success(request, _("Your comment is saved."))
            return redirect(_anchor(proposal, saved))
    return render(
        request,
        "proposals/comment_edit.html",
        {"proposal": proposal, "comment": comment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def comment_withdraw(request, pk: int, comment_id: int):
    proposal, comment = _own_comment(request, pk, comment_id)
    _act(request, services.comment_withdraw, _("Your comment is withdrawn."), comment=comment)
    return redirect(_anchor(proposal, comment))

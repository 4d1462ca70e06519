"""The documents of a draft (terms of reference, budget sheet)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pompidou.errors import DomainError
from pompidou.lib.files import original_name, validate_document
from pompidou.rules import require

from .. import permissions
from ..models import Proposal, ProposalAttachment
from .base import Kind, locked, record


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor: User, file, title: str = "") -> ProposalAttachment:
    """Attach a document (PDF or Word, at most 10 MB: the rule of an activity's terms
    of reference) to a draft; its title defaults to the file's name."""
    proposal = locked(proposal)
    require(permissions.can_edit_proposal(actor, proposal))
    if file is None:
        raise DomainError(_("Choose a file to attach."), field="file")
    try:
        validate_document(file)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="file") from exc
    title = (title or "").strip() or file.name.rsplit("/", 1)[-1]
    if len(title) > 200:
        raise DomainError(_("Keep the title under 200 characters."), field="title")
    attachment = ProposalAttachment.objects.create(
        proposal=proposal,
        file=file,
        title=title,
        original_name=original_name(file),
        uploaded_by=actor,
    )
    record(proposal, Kind.ATTACHMENT_ADDED, actor, document=[None, title])
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ProposalAttachment, actor: User) -> None:
    """Take a document off a draft (the file goes with it)."""
    proposal = locked(attachment.proposal)
    require(permissions.can_edit_proposal(actor, proposal))
    title, stored = attachment.title, attachment.file
    attachment.delete()
    record(proposal, Kind.ATTACHMENT_REMOVED, actor, document=[title, None])
    if stored.name:  # always: the file is required
        name = stored.name
        transaction.on_commit(lambda: stored.storage.delete(name))

"""The documents of a meeting (convocation, annotated agenda, working papers)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pompidou import audit
from pompidou.errors import DomainError
from pompidou.lib.files import original_name, validate_document
from pompidou.rules import require
from programme.models import Meeting

from . import permissions
from .models import MeetingDocument


@transaction.atomic
def meeting_document_add(
    *, meeting: Meeting, actor: User, file, title: str = ""
) -> MeetingDocument:
    """Add a document (PDF or Word, at most 10 MB); its title defaults to the file's name."""
    require(permissions.can_manage_meeting_documents(actor, meeting))
    if file is None:
        raise DomainError(_("Choose a file to add."), field="file")
    try:
        validate_document(file)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="file") from exc
    title = (title or "").strip() or file.name.rsplit("/", 1)[-1]
    if len(title) > 200:
        raise DomainError(_("Keep the title under 200 characters."), field="title")
    document = MeetingDocument.objects.create(
        meeting=meeting,
        file=file,
        title=title,
        original_name=original_name(file),
        uploaded_by=actor,
    )
    audit.record(meeting, audit.Kind.ATTACHMENT_ADDED, actor, changes={"document": [None, title]})
    return document


@transaction.atomic
def meeting_document_remove(*, document: MeetingDocument, actor: User) -> None:
    """Remove a document (the file goes with it, once the removal is committed)."""
    require(permissions.can_manage_meeting_documents(actor, document.meeting))
    title, stored = document.title, document.file
    name, storage = stored.name, stored.storage
    document.delete()
    audit.record(
        document.meeting, audit.Kind.ATTACHMENT_REMOVED, actor, changes={"document": [title, None]}
    )
    transaction.on_commit(lambda: storage.delete(name) if name else None)

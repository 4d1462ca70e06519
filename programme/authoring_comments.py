"""The consultation on a draft work programme: Permanent Correspondents, the Bureau
and the Secretariat comment on its sections; the Secretariat is told of each
comment (a notice of kind ``programme_comment``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pompidou import audit, notices
from pompidou.errors import DomainError
from pompidou.rules import require

from . import permissions, roles, versions
from .authoring_models import ProgrammeComment
from .models import WorkProgramme

NOTICE_KIND = "programme_comment"
MAX_COMMENT = 5000


def section_keys(wp: WorkProgramme) -> list[str]:
    """The sections of the programme as it stands, in the document's order."""
    return [d.key for d in versions.compare(versions.snapshot(wp), versions.snapshot(wp))]


@transaction.atomic
def comment_add(wp: WorkProgramme, *, section: str, text: str, by: Any) -> ProgrammeComment:
    """A comment on one section while the programme is in consultation."""
    require(permissions.can_comment_programme(by, wp))
    wp = WorkProgramme.objects.select_for_update().get(pk=wp.pk)
    require(permissions.can_comment_programme(by, wp))
    errors: dict[str, list[str]] = {}
    if section not in section_keys(wp):
        errors["section"] = [_("Choose a section of the programme.")]
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write your comment.")]
    elif len(text) > MAX_COMMENT:
        errors["text"] = [
            _("At most %(n)s characters (this has %(m)s).") % {"n": MAX_COMMENT, "m": len(text)}
        ]
    if errors:
        raise DomainError(errors)
    comment = ProgrammeComment.objects.create(
        work_programme=wp, section=section, author=by, text=text
    )
    audit.record(wp, audit.Kind.UPDATED, by, changes={"comment": [None, section]})
    user_model = get_user_model()
    secretariat = user_model.objects.filter(groups__name=roles.SECRETARIAT, is_active=True)
    notices.notify(
        [u for u in secretariat if u.pk != by.pk],
        NOTICE_KIND,
        title=gettext_noop("Comment on %(programme)s"),
        body=gettext_noop("%(author)s commented on %(section)s."),
        params={
            "programme": wp.title,
            "author": by.get_full_name() or by.get_username(),
            "section": versions.section_label(section),
        },
        url=reverse("programme:consultation", args=[wp.pk]) + f"#section-{section_anchor(section)}",
    )
    return comment


def section_anchor(section: str) -> str:
    return section.replace(":", "-").replace(".", "-")

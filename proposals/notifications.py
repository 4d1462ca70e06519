"""Who hears of which step of a proposal, and what they read: a notice in their inbox,
and an e-mail as their preference says (pompidou/notices.py)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pompidou import notices
from programme import roles

from .models import Proposal

User = get_user_model()

# The step of the workflow -> the kind of notice (the preferences page lists them).
KINDS = {
    "submitted": "proposal_submitted",
    "supported": "proposal_supported",
    "assessment_assigned": "assessment_assigned",
    "fully_assessed": "proposal_fully_assessed",
    "decided": "proposal_decided",
    "vote_needed": "vote_needed",
}

LABELS = {
    "proposal_submitted": _("A proposal to support"),
    "proposal_supported": _("Your proposal is supported"),
    "assessment_assigned": _("An assessment due"),
    "proposal_fully_assessed": _("A proposal fully assessed"),
    "proposal_decided": _("A decision on a proposal"),
    "vote_needed": _("A vote of the Bureau open"),
}

TITLES = {
    "submitted": gettext_noop("Proposal submitted: %(title)s"),
    "supported": gettext_noop("Your proposal is supported: %(title)s"),
    "assessment_assigned": gettext_noop("Assessment requested: %(title)s"),
    "fully_assessed": gettext_noop("Proposal fully assessed: %(title)s"),
    "decided": gettext_noop("Decision on the proposal: %(title)s"),
    "vote_needed": gettext_noop("Urgent activity: the Bureau's vote is needed on %(title)s"),
}
BODY = gettext_noop("%(ref)s — %(title)s (%(state)s)\nStatus: %(status)s")


def register_kinds() -> None:
    for kind, label in LABELS.items():
        notices.register_kind(kind, label)


def recipients(kind: str, proposal: Proposal, **extra: Any) -> list[Any]:
    """The people told of this step (the rules of each step, unchanged)."""
    secretariat = User.objects.filter(groups__name=roles.SECRETARIAT, is_active=True)
    delegation = User.objects.filter(
        profile__member_state=proposal.member_state_id,
        groups__name=roles.CORRESPONDENT,
        is_active=True,
    )
    if kind == "submitted":
        # The Secretariat, and the other delegations' PCs, who may support it.
        others = User.objects.filter(groups__name=roles.CORRESPONDENT, is_active=True).exclude(
            profile__member_state=proposal.member_state_id
        )
        return [*secretariat, *others]
    if kind == "supported":
        return [*delegation, *secretariat]
    if kind == "assessment_assigned":
        # assessor_assign always says whom.
        return list(User.objects.filter(pk=extra["assessor"]))
    if kind == "fully_assessed":
        return list(secretariat)
    if kind == "decided":
        supporters = User.objects.filter(
            Q(profile__member_state__supports__proposal=proposal), groups__name=roles.CORRESPONDENT
        )
        return [*delegation, *supporters, *secretariat]
    if kind == "vote_needed":
        # The members who may vote: those of the proposing state are recused.
        from .selectors import current_bureau, voters_on

        voters = voters_on(proposal, current_bureau())
        return list(User.objects.filter(pk__in=voters.eligible))
    return []


def notify_proposal(kind: str, proposal: Proposal, **extra: Any) -> int:
    """Tell the people concerned of a step, in the caller's transaction (the e-mails
    leave through the outbox after the commit); returns how many were told."""
    if kind not in KINDS:
        return 0
    proposal = Proposal.objects.select_related("member_state").get(pk=proposal.pk)
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("proposals:detail", args=[proposal.pk])
    sent = notices.notify(
        recipients(kind, proposal, **extra),
        KINDS[kind],
        title=TITLES[kind],
        body=BODY,
        params={
            "ref": proposal.reference,
            "title": proposal.title,
            "state": proposal.member_state.name,
            "status": Proposal.Status(proposal.status).label,
        },
        url=url,
    )
    return len(sent)


def send_proposal_notification(kind: str, proposal_id: int, **extra: Any) -> int:
    """What the outbox rows written before the inbox existed still call: the notices
    of that step, written when the worker delivers the row."""
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    return notify_proposal(kind, proposal, **extra) if proposal else 0

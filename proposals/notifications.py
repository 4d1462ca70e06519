"""Who hears of which step of a proposal, and what they read."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from programme import roles

from .models import Proposal

User = get_user_model()


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def recipients(kind: str, proposal: Proposal, **extra) -> list[str]:
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
        return _emails([*secretariat, *others])
    if kind == "supported":
        return _emails([*delegation, *secretariat])
    if kind == "assessment_assigned":
        # assessor_assign always says whom.
        return _emails(User.objects.filter(pk=extra["assessor"]))
    if kind == "fully_assessed":
        return _emails(secretariat)
    if kind == "decided":
        supporters = User.objects.filter(
            Q(profile__member_state__supports__proposal=proposal), groups__name=roles.CORRESPONDENT
        )
        return _emails([*delegation, *supporters, *secretariat])
    if kind == "vote_needed":
        # The members who may vote: those of the proposing state are recused.
        from .selectors import current_bureau, voters_on

        voters = voters_on(proposal, current_bureau())
        return _emails(User.objects.filter(pk__in=voters.eligible))
    return []


SUBJECTS = {
    "submitted": _("Proposal submitted: %(title)s"),
    "supported": _("Your proposal is supported: %(title)s"),
    "assessment_assigned": _("Assessment requested: %(title)s"),
    "fully_assessed": _("Proposal fully assessed: %(title)s"),
    "decided": _("Decision on the proposal: %(title)s"),
    "vote_needed": _("Urgent activity: the Bureau's vote is needed on %(title)s"),
}


def send_proposal_notification(kind: str, proposal_id: int, **extra) -> int:
    proposal = Proposal.objects.filter(pk=proposal_id).select_related("member_state").first()
    if proposal is None or kind not in SUBJECTS:
        return 0
    to = recipients(kind, proposal, **extra)
    if not to:
        return 0
    url = getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000") + reverse(
        "proposals:detail", args=[proposal.pk]
    )
    subject = str(SUBJECTS[kind]) % {"title": proposal.title}
    body = _("%(ref)s — %(title)s (%(state)s)\nStatus: %(status)s\n\n%(url)s\n") % {
        "ref": proposal.reference,
        "title": proposal.title,
        "state": proposal.member_state.name,
        "status": proposal.get_status_display(),
        "url": url,
    }
    # One message per recipient, so nobody sees the others' addresses.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to]
    return send_mass_mail(messages, fail_silently=False)

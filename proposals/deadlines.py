"""Deadlines: what is due this week for a person (the dashboard's panel, the inbox),
and the daily reminders of what is due within three days.

Three deadlines: the day by which other delegations may support a submitted
proposal (``Proposal.support_deadline``), an assessor's due date
(``Assessment.due_date``) and the Bureau's voting deadline of an urgent proposal
(``Proposal.vote_deadline``). Each person hears of an item at most once a week,
whatever the number of runs or restarts (``DeadlineReminder``), the rule of the
evaluation reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pompidou.listing import cached_rows
from pompidou.notices import notify
from programme import roles

from .models import Assessment, BureauVote, DeadlineReminder, Proposal, Support
from .workflow import group

S = Proposal.Status
WEEK = dt.timedelta(days=7)
# "This week": today and the six days after it.
DAYS_AHEAD = 6
# The reminders go out for what is due within this many days.
REMINDER_DAYS = 3

SUPPORT, ASSESSMENT, VOTE = "support", "assessment", "vote"
# The notice kind of each reminder (registered in apps.py).
NOTICE_KINDS = {
    SUPPORT: "deadline_support",
    ASSESSMENT: "deadline_assessment",
    VOTE: "deadline_vote",
}
KIND_LABELS = {
    SUPPORT: _("Support to give"),
    ASSESSMENT: _("Assessment due"),
    VOTE: _("Vote due"),
}


@dataclass(frozen=True)
class DueItem:
    """One thing due: its kind (``support``, ``assessment``, ``vote``), the proposal's
    reference and title, the day it is due and the page where it is done."""

    kind: str
    reference: str
    title: str
    due: dt.date
    url: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _supports_to_give(state_id: int | None, first: dt.date, last: dt.date):
    """The proposals of other delegations that ``state_id`` has not supported yet, open
    for supports, whose support deadline falls between ``first`` and ``last``."""
    if state_id is None:
        return Proposal.objects.none()
    supported = Support.objects.filter(proposal=OuterRef("pk"), member_state_id=state_id)
    return (
        Proposal.objects.filter(
            status__in=group("open_for_supports"),
            support_deadline__gte=first,
            support_deadline__lte=last,
        )
        .exclude(member_state_id=state_id)
        .exclude(Exists(supported))
    )


def _assessments_due(first: dt.date, last: dt.date):
    return Assessment.objects.filter(
        status=Assessment.Status.DRAFT,
        proposal__status=S.UNDER_ASSESSMENT,
        due_date__gte=first,
        due_date__lte=last,
    )


def _votes_open(first: dt.date, last: dt.date):
    return Proposal.objects.filter(
        route=Proposal.Route.URGENT,
        status=S.BUREAU_VOTE,
        vote_deadline__gte=first,
        vote_deadline__lte=last,
    )


def _detail(pk: int) -> str:
    return reverse("proposals:detail", args=[pk])


def due_this_week(user: Any, today: dt.date | None = None) -> list[DueItem]:
    """What ``user`` has to do by a deadline in the next seven days (today included),
    soonest first: the supports their delegation may still give, their assessments
    in draft, their votes not cast. At most 3 queries after the user's roles (one
    per kind the user's roles call for)."""
    r = roles.roles_of(user)
    if not getattr(user, "is_authenticated", False):
        return []
    first = today or timezone.localdate()
    last = first + dt.timedelta(days=DAYS_AHEAD)
    items: list[DueItem] = []
    if r.is_correspondent and r.member_state_id is not None:
        for pk, ref, title, due in cached_rows(
            _supports_to_give(r.member_state_id, first, last).values_list(
                "pk", "reference", "title", "support_deadline"
            )
        ):
            items.append(DueItem(SUPPORT, ref or "", title, due, _detail(pk)))
    for pk, ref, title, due in cached_rows(
        _assessments_due(first, last)
        .filter(assessor=user)
        .values_list("proposal_id", "proposal__reference", "proposal__title", "due_date")
    ):
        items.append(
            DueItem(ASSESSMENT, ref or "", title, due, reverse("proposals:assessment", args=[pk]))
        )
    if r.is_bureau:
        voted = BureauVote.objects.filter(proposal=OuterRef("pk"), voter=user)
        votes = _votes_open(first, last).exclude(Exists(voted))
        if r.member_state_id is not None:  # recused from their own state's proposals
            votes = votes.exclude(member_state_id=r.member_state_id)
        for pk, ref, title, due in cached_rows(
            votes.values_list("pk", "reference", "title", "vote_deadline")
        ):
            items.append(DueItem(VOTE, ref or "", title, due, _detail(pk)))
    items.sort(key=lambda item: (item.due, item.kind, item.reference))
    return items


# --- reminders (a daily beat task) -------------------------------------------------

MESSAGES = {
    SUPPORT: (
        gettext_noop("Support closes on %(day)s: %(title)s"),
        gettext_noop("%(reference)s — %(title)s: your delegation may support it until %(day)s."),
    ),
    ASSESSMENT: (
        gettext_noop("Assessment due on %(day)s: %(title)s"),
        gettext_noop("%(reference)s — %(title)s: your assessment is due on %(day)s."),
    ),
    VOTE: (
        gettext_noop("Vote due by %(day)s: %(title)s"),
        gettext_noop(
            "%(reference)s — %(title)s: the Bureau's vote closes on %(day)s; without a "
            "majority by then, the next PC plenary decides."
        ),
    ),
}


@dataclass(frozen=True)
class Reminder:
    kind: str
    item: str  # what the weekly rule counts per person: "proposal:12", "assessment:7"
    user: Any
    reference: str
    title: str
    due: dt.date
    url: str


def reminders_due(today: dt.date) -> list[Reminder]:
    """Everyone who has something due between today and ``REMINDER_DAYS`` days from
    now, and what (before the weekly rule)."""
    from .selectors import current_bureau, voters_on

    User = get_user_model()
    last = today + dt.timedelta(days=REMINDER_DAYS)
    out: list[Reminder] = []
    proposals = list(
        Proposal.objects.filter(
            status__in=group("open_for_supports"),
            support_deadline__gte=today,
            support_deadline__lte=last,
        ).prefetch_related("supports")
    )
    if proposals:
        pcs = list(
            User.objects.filter(
                groups__name=roles.CORRESPONDENT,
                is_active=True,
                profile__member_state__isnull=False,
            )
            .select_related("profile")
            .distinct()
        )
        for p in proposals:
            supported = {s.member_state_id for s in p.supports.all()} | {p.member_state_id}
            for user in pcs:
                if user.profile.member_state_id not in supported:
                    out.append(
                        Reminder(
                            SUPPORT,
                            f"proposal:{p.pk}",
                            user,
                            p.reference or "",
                            p.title,
                            cast(dt.date, p.support_deadline),  # filtered on it
                            _detail(p.pk),
                        )
                    )
    for a in _assessments_due(today, last).select_related("assessor", "proposal"):
        out.append(
            Reminder(
                ASSESSMENT,
                f"assessment:{a.pk}",
                a.assessor,
                a.proposal.reference or "",
                a.proposal.title,
                cast(dt.date, a.due_date),  # filtered on it
                reverse("proposals:assessment", args=[a.proposal_id]),
            )
        )
    urgent = list(_votes_open(today, last).prefetch_related("votes"))
    if urgent:
        bureau = current_bureau()
        users = User.objects.in_bulk(list(bureau))
        for p in urgent:
            voted = {v.voter_id for v in p.votes.all()}
            for user_id in sorted(voters_on(p, bureau).eligible - voted):
                voter = users.get(user_id)
                if voter is not None:
                    out.append(
                        Reminder(
                            VOTE,
                            f"proposal:{p.pk}",
                            voter,
                            p.reference or "",
                            p.title,
                            cast(dt.date, p.vote_deadline),  # filtered on it
                            _detail(p.pk),
                        )
                    )
    return out


def send_deadline_reminders(today: dt.date | None = None) -> int:
    """Send a notice for each item due within ``REMINDER_DAYS`` days to the person
    concerned, unless they heard of it in the past week. Returns how many went out."""
    today = today or timezone.localdate()
    sent = 0
    for reminder in reminders_due(today):
        kind = NOTICE_KINDS[reminder.kind]
        with transaction.atomic():
            already = DeadlineReminder.objects.filter(
                kind=kind,
                item=reminder.item,
                user=reminder.user,
                sent_at__gt=timezone.now() - WEEK,
            ).exists()
            if already:
                continue
            title, body = MESSAGES[reminder.kind]
            notices = notify(
                [reminder.user],
                kind,
                title=title,
                body=body,
                params={
                    "title": reminder.title,
                    "reference": reminder.reference,
                    # Read in either language: the day as both write it.
                    "day": reminder.due.strftime("%d/%m/%Y"),
                },
                url=reminder.url,
            )
            if notices:
                DeadlineReminder.objects.create(kind=kind, item=reminder.item, user=reminder.user)
                sent += 1
    return sent

"""The dashboard: what each role has to do, one function per role.

Each function returns a list of ``Item``; the page shows one section per role
the user holds. Later apps add their tasks by extending these functions.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from pompidou.listing import cached_count
from programme import roles
from programme.models import WorkProgramme
from programme.selectors import current_bureau, member_state_counts


@dataclass(frozen=True)
class Item:
    label: str
    count: int | None = None
    url: str | None = None
    attention: bool = False  # something waits for this user


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]


def _programme_items() -> list[Item]:
    wp = (
        WorkProgramme.objects.in_force()
        .annotate(
            n_priorities=Count("priorities", distinct=True),
            n_formats=Count("formats", distinct=True),
        )
        .first()
    )
    if wp is None:
        return [Item(_("No work programme is in force."), attention=True)]
    url = reverse("programme:current")
    return [
        Item(
            _("Thematic priorities of %(ref)s") % {"ref": wp.reference},
            wp.n_priorities,
            f"{url}#priorities",
        ),
        Item(_("Activity formats"), wp.n_formats, f"{url}#formats"),
    ]


def _bureau_item() -> Item:
    return Item(_("Bureau members in office"), current_bureau().count(), reverse("bureau"))


def _member_state_items() -> list[Item]:
    counts = member_state_counts()
    return [
        Item(_("Member states"), counts["members"]),
        Item(_("MedNET partners"), counts["partners"]),
    ]


def _activity_items(user: Any) -> list[Item]:
    from activities import selectors as activities

    items = []
    late = cached_count(activities.filter_activities(user, {"milestones_overdue": "true"})[1])
    items.append(
        Item(
            _("Activities with overdue milestones"),
            late,
            reverse("activities:list") + "?milestones_overdue=true",
            attention=bool(late),
        )
    )
    for ap in activities.draft_programmes_over_ceiling().order_by("year"):
        items.append(
            Item(
                _("Draft annual programme %(year)s is over its budget ceiling") % {"year": ap.year},
                None,
                reverse("annual_programmes:detail", args=[ap.year]),
                attention=True,
            )
        )
    return items


def _todo(user: Any, name: str, label: str) -> Item:
    """A count of proposals that links to the list of exactly those (one query)."""
    from proposals.selectors import todo_count

    n = todo_count(user, name)
    return Item(label, n, f"{reverse('proposals:list')}?todo={name}", attention=bool(n))


def _proposal_secretariat_items(user: Any) -> list[Item]:
    """Proposals waiting for the Secretariat."""
    return [
        _todo(user, "unassigned", _("Proposals without assessors")),
        _todo(user, "assessed", _("Assessed proposals awaiting a decision")),
    ]


def _proposal_correspondent_items(user: Any) -> list[Item]:
    """My delegation's drafts and the other delegations' proposals it may support."""
    if roles.member_state_id_of(user) is None:
        return []
    drafts = _todo(user, "drafts", _("My delegation's draft proposals"))
    return [
        Item(drafts.label, drafts.count, drafts.url),
        _todo(user, "awaiting_support", _("Proposals of other delegations awaiting support")),
    ]


def _assessment_items(user: Any) -> list[Item]:
    """For anyone with draft assessments: the proposals awaiting their assessment."""
    item = _todo(user, "to_assess", _("Assessments due"))
    return [item] if item.count else []


def _urgent_vote_items(user: Any) -> list[Item]:
    from proposals.selectors import todo_count

    pending = todo_count(user, "awaiting_vote")
    return [
        Item(
            _("Urgent activities awaiting your vote"),
            pending,
            reverse("proposals:urgent") + "?todo=awaiting_vote",
            attention=bool(pending),
        )
    ]


def _evaluation_secretariat_items() -> list[Item]:
    """Reports overdue (every half-year due of the programmes still running) and reports
    awaiting acceptance, each linking to the list of exactly those."""
    from evaluation import selectors as evaluation

    overdue = evaluation.overdue_count_due()
    waiting = cached_count(evaluation.reports_awaiting_acceptance())
    url = reverse("evaluation:progress_reports")
    return [
        Item(
            _("Progress reports overdue"),
            overdue,
            f"{url}?show=overdue",
            attention=bool(overdue),
        ),
        Item(
            _("Progress reports awaiting acceptance"),
            waiting,
            f"{url}?show=awaiting_acceptance",
            attention=bool(waiting),
        ),
    ]


def _evaluation_review_items(user: Any) -> list[Item]:
    """Reports of the activities this Bureau member supervises, not reviewed yet."""
    from evaluation import selectors as evaluation

    due = cached_count(evaluation.reports_to_review(user))
    return [
        Item(
            _("Progress reports to review"),
            due,
            reverse("evaluation:progress_reports") + "?show=to_review",
            attention=bool(due),
        )
    ]


def _evaluation_lead_items(user: Any) -> list[Item]:
    """Reports overdue for the activities the PC's state leads."""
    from evaluation import selectors as evaluation
    from evaluation.permissions import can_follow_delegation_reports

    if not can_follow_delegation_reports(user):
        return []
    due = evaluation.overdue_count_due(roles.member_state_id_of(user))
    return [
        Item(
            _("Progress reports due for activities my delegation leads"),
            due,
            reverse("evaluation:progress_reports") + "?show=overdue&mine=1",
            attention=bool(due),
        )
    ]


def _feedback_items(user: Any) -> list[Item]:
    """Open feedback requests addressed to the user, unanswered, deadline not passed (one
    count)."""
    from django.utils import timezone

    from evaluation import selectors as evaluation

    waiting = (
        evaluation.feedback_requests_for(user)
        .filter(answered=False, deadline__gte=timezone.localdate())
        .count()
    )
    return [
        Item(
            _("Feedback requests awaiting my answer"),
            waiting,
            reverse("evaluation:my_feedback"),
            attention=bool(waiting),
        )
    ]


def secretariat_items(user: Any) -> list[Item]:
    return [
        *_proposal_secretariat_items(user),
        *_assessment_items(user),
        *_evaluation_secretariat_items(),
        *_activity_items(user),
        *_programme_items(),
        _bureau_item(),
        *_member_state_items(),
    ]


def correspondent_items(user: Any) -> list[Item]:
    return [
        *_proposal_correspondent_items(user),
        *_evaluation_lead_items(user),
        *_feedback_items(user),
        *_programme_items(),
        _bureau_item(),
    ]


def bureau_items(user: Any) -> list[Item]:
    return [
        *_urgent_vote_items(user),
        *_assessment_items(user),
        *_evaluation_review_items(user),
        _bureau_item(),
    ]


def expert_items(user: Any) -> list[Item]:
    return [*_assessment_items(user), *_feedback_items(user), *_programme_items()]


def sections_for(user: Any) -> list[Section]:
    r = roles.roles_of(user)
    sections = []
    if r.is_secretariat:
        sections.append(Section(_("Secretariat"), secretariat_items(user)))
    if r.is_bureau:
        sections.append(Section(_("Bureau"), bureau_items(user)))
    if r.is_correspondent:
        sections.append(Section(_("Permanent Correspondent"), correspondent_items(user)))
    if r.is_expert:
        sections.append(Section(_("Expert"), expert_items(user)))
    if not sections:
        sections.append(Section(_("The work programme"), _programme_items()))
    return sections

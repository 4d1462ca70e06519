"""The dashboard: what each role has to do, one function per role.

Each function returns a list of ``Item``; the page shows one section per role
the user holds. Later apps add their tasks by extending these functions.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

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


def _activity_items() -> list[Item]:
    from activities import selectors as activities

    items = []
    overdue = activities.overdue_milestones().count()
    items.append(
        Item(_("Milestones overdue"), overdue, reverse("activities:list"), attention=bool(overdue))
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


def _proposal_secretariat_items() -> list[Item]:
    """Proposals waiting for the Secretariat, counted in one query."""
    from django.db.models import Exists, OuterRef, Q

    from proposals.models import Assessment, Proposal

    S = Proposal.Status
    any_assessment = Exists(Assessment.objects.filter(proposal=OuterRef("pk")))
    draft_assessment = Exists(
        Assessment.objects.filter(proposal=OuterRef("pk"), status=Assessment.Status.DRAFT)
    )
    counts = Proposal.objects.aggregate(
        # Urgent ones go to the Bureau's vote, not to assessors.
        unassigned=Count(
            "pk",
            filter=Q(status=S.SUBMITTED) & ~Q(route=Proposal.Route.URGENT) & ~Q(any_assessment),
        ),
        assessed=Count(
            "pk", filter=Q(status=S.UNDER_ASSESSMENT) & Q(any_assessment) & ~Q(draft_assessment)
        ),
    )
    url = reverse("proposals:list")
    return [
        Item(
            _("Proposals without assessors"),
            counts["unassigned"],
            f"{url}?status={S.SUBMITTED}",
            attention=bool(counts["unassigned"]),
        ),
        Item(
            _("Assessed proposals awaiting a decision"),
            counts["assessed"],
            f"{url}?status={S.UNDER_ASSESSMENT}",
            attention=bool(counts["assessed"]),
        ),
    ]


def _proposal_correspondent_items(user) -> list[Item]:
    """My delegation's drafts and the other delegations' proposals it may support (one query)."""
    from django.db.models import Exists, OuterRef, Q

    from proposals.models import Proposal, Support

    state = roles.member_state_id_of(user)
    if state is None:
        return []
    S = Proposal.Status
    supported = Exists(Support.objects.filter(proposal=OuterRef("pk"), member_state_id=state))
    counts = Proposal.objects.aggregate(
        drafts=Count("pk", filter=Q(status=S.DRAFT, member_state_id=state)),
        to_support=Count(
            "pk",
            filter=Q(status__in=[S.SUBMITTED, S.UNDER_ASSESSMENT])
            & ~Q(member_state_id=state)
            & ~Q(supported),
        ),
    )
    url = reverse("proposals:list")
    return [
        Item(
            _("My delegation's draft proposals"),
            counts["drafts"],
            f"{url}?scope=delegation&status={S.DRAFT}",
        ),
        Item(
            _("Proposals of other delegations awaiting support"),
            counts["to_support"],
            f"{url}?scope=submitted",
            attention=bool(counts["to_support"]),
        ),
    ]


def _assessment_items(user) -> list[Item]:
    """For anyone with draft assessments: the assessments due, the oldest one linked."""
    from proposals.models import Assessment, Proposal

    due = list(
        Assessment.objects.filter(
            assessor=user,
            status=Assessment.Status.DRAFT,
            proposal__status=Proposal.Status.UNDER_ASSESSMENT,
        )
        .order_by("created_at")
        .values_list("proposal_id", flat=True)
    )
    if not due:
        return []
    return [
        Item(
            _("Assessments due"),
            len(due),
            reverse("proposals:assessment", args=[due[0]]),
            attention=True,
        )
    ]


def _urgent_vote_items(user) -> list[Item]:
    from proposals.models import BureauVote, Proposal

    pending = (
        Proposal.objects.filter(status=Proposal.Status.BUREAU_VOTE)
        .exclude(pk__in=BureauVote.objects.filter(voter=user).values("proposal"))
        .count()
    )
    return [
        Item(
            _("Urgent activities awaiting your vote"),
            pending,
            reverse("proposals:urgent"),
            attention=bool(pending),
        )
    ]


def _evaluation_secretariat_items() -> list[Item]:
    """Reports overdue for the last period due (one query) and reports awaiting
    acceptance (one aggregate)."""
    from django.db.models import Min

    from activities.models import Activity
    from evaluation import selectors as evaluation
    from evaluation.models import ProgressReport

    overdue = len(evaluation.overdue_reports(Activity.objects.all(), None))
    waiting = ProgressReport.objects.filter(review=ProgressReport.Review.SUBMITTED).aggregate(
        n=Count("pk"), oldest=Min("pk")
    )
    return [
        Item(
            _("Progress reports overdue"),
            overdue,
            reverse("evaluation:overview"),
            attention=bool(overdue),
        ),
        Item(
            _("Progress reports awaiting acceptance"),
            waiting["n"],
            reverse("evaluation:report_detail", args=[waiting["oldest"]])
            if waiting["oldest"]
            else None,
            attention=bool(waiting["n"]),
        ),
    ]


def _evaluation_review_items(user) -> list[Item]:
    """Reports of the activities this Bureau member supervises, not reviewed yet (one
    aggregate); the oldest one linked."""
    from django.db.models import Min

    from evaluation.models import ProgressReport

    due = ProgressReport.objects.filter(
        activity__supervisor=user,
        review=ProgressReport.Review.SUBMITTED,
        reviewed_by__isnull=True,
    ).aggregate(n=Count("pk"), oldest=Min("pk"))
    return [
        Item(
            _("Progress reports to review"),
            due["n"],
            reverse("evaluation:report_detail", args=[due["oldest"]]) if due["oldest"] else None,
            attention=bool(due["n"]),
        )
    ]


def _evaluation_lead_items(user) -> list[Item]:
    """Reports due (the last period due) for the activities the PC's state leads: one query."""
    from activities.models import Activity
    from evaluation import selectors as evaluation

    state = roles.member_state_id_of(user)
    if state is None:
        return []
    due = evaluation.overdue_reports(Activity.objects.filter(lead_member_state_id=state), None)
    return [
        Item(
            _("Progress reports due for activities my delegation leads"),
            len(due),
            reverse("evaluation:activity", args=[due[0]["activity"].reference]) if due else None,
            attention=bool(due),
        )
    ]


def _feedback_items(user) -> list[Item]:
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


def secretariat_items(user) -> list[Item]:
    return [
        *_proposal_secretariat_items(),
        *_assessment_items(user),
        *_evaluation_secretariat_items(),
        *_activity_items(),
        *_programme_items(),
        _bureau_item(),
        *_member_state_items(),
    ]


def correspondent_items(user) -> list[Item]:
    return [
        *_proposal_correspondent_items(user),
        *_evaluation_lead_items(user),
        *_feedback_items(user),
        *_programme_items(),
        _bureau_item(),
    ]


def bureau_items(user) -> list[Item]:
    return [
        *_urgent_vote_items(user),
        *_assessment_items(user),
        *_evaluation_review_items(user),
        _bureau_item(),
    ]


def expert_items(user) -> list[Item]:
    return [*_assessment_items(user), *_feedback_items(user), *_programme_items()]


def sections_for(user) -> list[Section]:
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

"""Reads of the programme shared by pages and API, each with its prefetches."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from pompidou.lib.collation import order_by_name

from . import permissions
from .models import (
    AdoptionCriterion,
    BureauMandate,
    MemberState,
    PermanentFormat,
    ThematicPriority,
    WorkProgramme,
)


def work_programmes_visible_to(user) -> QuerySet[WorkProgramme]:
    """Drafts: the Secretariat; in consultation: also the correspondents and the
    Bureau; adopted, in force and closed: everyone."""
    qs = WorkProgramme.objects.all()
    if not permissions.can_view_draft_programmes(user):
        qs = qs.exclude(status=WorkProgramme.Status.DRAFT)
    if not permissions.can_view_consultation(user):
        qs = qs.exclude(status=WorkProgramme.Status.CONSULTATION)
    return qs


def priorities_with_aims() -> QuerySet[ThematicPriority]:
    return ThematicPriority.objects.select_related("work_programme").prefetch_related("aims")


def formats_with_texts() -> QuerySet[PermanentFormat]:
    return PermanentFormat.objects.select_related("work_programme").prefetch_related(
        "aims", "objectives", "expected_results"
    )


def work_programme_in_full(queryset: QuerySet[WorkProgramme]) -> QuerySet[WorkProgramme]:
    """A work programme with everything its page or API detail shows, in 7 queries."""
    return queryset.prefetch_related(
        "aims",
        Prefetch("priorities", queryset=ThematicPriority.objects.prefetch_related("aims")),
        Prefetch(
            "formats",
            queryset=PermanentFormat.objects.prefetch_related(
                "aims", "objectives", "expected_results"
            ),
        ),
        Prefetch("criteria", queryset=AdoptionCriterion.objects.order_by("number")),
    )


def get_work_programme_for_user(user, pk: int | None = None) -> WorkProgramme:
    """The programme in force (no ``pk``) or the one asked for; 404 if the user may not see it."""
    qs = work_programme_in_full(work_programmes_visible_to(user))
    if pk is None:
        return get_object_or_404(qs, status=WorkProgramme.Status.IN_FORCE)
    return get_object_or_404(qs, pk=pk)


def get_priority_for_user(user, pk: int) -> ThematicPriority:
    programmes = work_programmes_visible_to(user)
    return get_object_or_404(priorities_with_aims().filter(work_programme__in=programmes), pk=pk)


def get_format_for_user(user, pk: int) -> PermanentFormat:
    programmes = work_programmes_visible_to(user)
    return get_object_or_404(formats_with_texts().filter(work_programme__in=programmes), pk=pk)


def current_bureau() -> QuerySet[BureauMandate]:
    return (
        BureauMandate.objects.current()
        .select_related("user__profile__member_state")
        .prefetch_related("supervised_priorities", "supervised_formats")
        .order_by("office", "user__last_name")
    )


def member_state_counts() -> dict[str, int]:
    return MemberState.objects.aggregate(
        members=Count("id", filter=Q(status=MemberState.Status.MEMBER, left_year__isnull=True)),
        partners=Count("id", filter=Q(status=MemberState.Status.PARTNER)),
        observers=Count("id", filter=Q(status=MemberState.Status.OBSERVER)),
    )


def member_states_by_name(queryset: QuerySet[MemberState] | None = None) -> QuerySet[MemberState]:
    """Member states (all, or ``queryset``) by their name in the current language,
    in its collation: every list and choice of states reads in this order."""
    return order_by_name(MemberState.objects.all() if queryset is None else queryset)


def programme_for_user(user, pk: int) -> WorkProgramme:
    """One programme the user may see (404 otherwise), without its contents."""
    return get_object_or_404(work_programmes_visible_to(user), pk=pk)


def versions_of(wp: WorkProgramme) -> QuerySet:
    """The versions of a programme, newest first, with their authors (no snapshots)."""
    return wp.versions.select_related("author").defer("snapshot").order_by("-number")


def comments_by_section(wp: WorkProgramme) -> dict[str, list]:
    """The consultation's comments on a programme, by section key, oldest first."""
    out: dict[str, list] = {}
    for comment in wp.comments.select_related("author__profile__member_state").order_by(
        "created_at", "pk"
    ):
        out.setdefault(comment.section, []).append(comment)
    return out

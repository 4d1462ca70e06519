"""The ranking of a year's annual proposals against its budget: the year's ceiling
and committed amount, each proposal's score and cumulative cost, for the ranking
page, the prioritisation and the meetings' agendas."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from pompidou.listing import cached_count

from .models import Proposal
from .scores import Score, scores_for
from .selectors import proposals_with_visible_scores, with_counts

S = Proposal.Status


@dataclass
class RankedProposal:
    proposal: Proposal
    score: Score
    cumulative_cost: Decimal  # what is committed plus this proposal and those before it
    within_ceiling: bool
    rank: int = 0  # its place by score, 1 first (the ranking page numbers the rows)
    priorities: tuple[str, ...] = ()  # its thematic priorities' numbers, in their order


@dataclass(frozen=True)
class YearBudget:
    """A year's annual programme against its ceiling: what its entries commit and
    what is left. ``ceiling`` is None while none is set (a programme started by an
    adoption has a ceiling of 0 until the Secretariat sets it)."""

    year: int
    ceiling: Decimal | None
    committed: Decimal

    @property
    def headroom(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.committed

    @property
    def over(self) -> bool:
        return self.ceiling is not None and self.committed > self.ceiling

    @property
    def excess(self) -> Decimal:
        headroom = self.headroom
        return -headroom if headroom is not None and self.over else Decimal("0")

    def fits(self, running: Decimal) -> bool:
        return self.ceiling is None or running <= self.ceiling


_UNREAD = object()


def year_budget(year: int, annual_programme=_UNREAD) -> YearBudget:
    """The ceiling and the committed amount of a year (2 queries; 1 when the caller
    has read the year's annual programme, or None, already)."""
    from activities.models import AnnualProgramme
    from activities.selectors import committed_budget

    if annual_programme is _UNREAD:
        annual_programme = AnnualProgramme.objects.filter(year=year).first()
    ceiling = annual_programme.budget_ceiling if annual_programme else None
    return YearBudget(year, ceiling or None, committed_budget(year))


@dataclass(frozen=True)
class AdoptionBudget:
    """What adopting a proposal does to its year's annual programme."""

    budget: YearBudget
    cost: Decimal

    @property
    def after(self) -> Decimal:
        return self.budget.committed + self.cost

    @property
    def over_ceiling(self) -> bool:
        return not self.budget.fits(self.after)


def adoption_budget(proposal: Proposal) -> AdoptionBudget | None:
    """For a proposal of the annual route: its year's budget before and after
    adoption; None for other routes (they join no annual programme)."""
    if proposal.route != Proposal.Route.ANNUAL or not proposal.year:
        return None
    return AdoptionBudget(year_budget(proposal.year), proposal.estimated_cost or Decimal("0"))


def cumulate(rows: list, budget: YearBudget) -> list:
    """Each row's cumulative position after what the year already commits, in the
    rows' order."""
    running = budget.committed
    for row in rows:
        running += row.proposal.estimated_cost or Decimal("0")
        row.cumulative_cost = running
        row.within_ceiling = budget.fits(running)
    return rows


def _ranked(year: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        status=S.UNDER_ASSESSMENT, route=Proposal.Route.ANNUAL, year=year
    )


def ranking(year: int, budget: YearBudget, user=None) -> list[RankedProposal]:
    """Proposals under assessment for a year's annual programme, best score first,
    each with its cumulative cost after what the year already commits. For ``user``,
    only those whose scores they read: a place in the ranking tells the score."""
    qs = ranked_for(year, user)
    proposals = with_counts(_ranked_rows(qs))
    scores = scores_for(proposals)
    priorities = _priority_numbers(proposals)

    def order(p: Proposal) -> tuple[Decimal, Decimal | int, int]:
        percentage = scores[p.pk].percentage
        return (
            -(percentage if percentage is not None else Decimal("-1")),
            p.estimated_cost or 0,
            p.pk,
        )

    proposals.sort(key=order)
    rows = [
        RankedProposal(p, scores[p.pk], Decimal("0"), True, priorities=priorities[p.pk])
        for p in proposals
    ]
    return cumulate(rows, budget)


def _priority_numbers(proposals: list[Proposal]) -> dict[int, tuple[str, ...]]:
    """Each proposal's thematic priority numbers, in the priorities' order (1 query):
    plain values, where a prefetch made a priority object per proposal and priority."""
    through = Proposal.thematic_priorities.through
    numbers: defaultdict[int, list[str]] = defaultdict(list)
    for pk, number_ in (
        through.objects.filter(proposal_id__in=[p.pk for p in proposals])
        # ThematicPriority's own order (its work programme's, then its number).
        .order_by("proposal_id", "thematicpriority__work_programme", "thematicpriority__number")
        .values_list("proposal_id", "thematicpriority__number")
    ):
        numbers[pk].append(number_)
    return {p.pk: tuple(numbers[p.pk]) for p in proposals}


def _ranked_rows(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A ranked row reads the proposal (not its long texts), its delegation, its
    format's number, its work programme's thresholds (its priorities' numbers are
    ``_priority_numbers``'s): what else the list's rows carry (each row its proposer,
    its priorities as objects, its work programme's and format's long texts in every
    language) stays in the database."""
    from django.db.models import TextField

    from programme.models import PermanentFormat, WorkProgramme

    kept = {
        "work_programme": {
            "id",
            "min_criterion_mean",
            "min_total_numerator",
            "min_total_denominator",
        },
        "permanent_format": {"id", "work_programme_id", "number"},
    }
    unread = [f.attname for f in Proposal._meta.concrete_fields if isinstance(f, TextField)]
    for relation, model in (
        ("work_programme", WorkProgramme),
        ("permanent_format", PermanentFormat),
    ):
        unread += [
            f"{relation}__{f.attname}"
            for f in model._meta.concrete_fields
            if f.attname not in kept[relation]
        ]
    return qs.select_related("member_state", "permanent_format", "work_programme").defer(*unread)


def ranked_for(year: int, user=None) -> QuerySet[Proposal]:
    """The proposals ``ranking`` ranks for ``user``: its SQL keys what is cached of it."""
    qs = _ranked(year)
    if user is not None:
        qs = qs.filter(pk__in=proposals_with_visible_scores(user).values("pk"))
    return qs


def ranking_inputs(year: int, user, *more: object) -> tuple[QuerySet[Proposal], str]:
    """What a figure drawn from the ranking depends on besides the database: the rows'
    SQL (the user's scope), the language of the reasons, the day, and ``more``."""
    return ranked_for(year, user), "|".join(map(str, (get_language(), timezone.localdate(), *more)))


def ranking_withheld(year: int, user) -> int:
    """How many of the year's ranked proposals ``ranking`` leaves out for ``user``
    (their own member state's, or those they assess with a draft still open)."""
    # NOT EXISTS, row by row through the keys: ``NOT IN`` walked every proposal.
    visible = proposals_with_visible_scores(user).filter(pk=OuterRef("pk"))
    return cached_count(_ranked(year).exclude(Exists(visible)))

"""A realistic, reproducible record at scale for measuring the portal
(``manage.py generate_bench_data``): activities of 2011–2026 in four work
programmes, annual programmes, evaluation, proposals with their assessments and
decisions. Bulk inserts only; afterwards the reference sequences continue after the
generated numbers and the derived data (the activities' public flag, the overlap word
statistics) are brought up to date (``refresh_derived``)."""

import datetime as dt
import random
import re
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from activities.models import Activity
from activities.visibility import refresh_public
from overlap.services import refresh_term_statistics
from pompidou import sequences
from pompidou.models import Sequence
from proposals.models import Proposal

from .activities import generate_activities, generate_annual_programmes
from .bulk import indexes_deferred
from .evaluation import generate_evaluation
from .programmes import build_frame
from .proposals import generate_proposals


class NotEmpty(Exception):
    pass


def generate(activities: int, proposals: int, seed: int, today: dt.date | None = None) -> dict:
    """Generate the record into the current database (which holds no activity yet);
    the number of rows of each kind."""
    today = today or timezone.localdate()
    if Activity.objects.exists():
        raise NotEmpty("The database already holds activities; generate into an empty one.")
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    phases: dict[str, float] = {}
    clock = Clock(phases)
    with transaction.atomic():
        frame = build_frame(today)
        clock("programmes, accounts, meetings")
        with indexes_deferred(filled_tables()):
            made = generate_activities(rng, frame, activities, today)
            clock("activities")
            programmes = generate_annual_programmes(rng, frame, made, today)
            counts: dict[str, Any] = {
                "activities": len(made),
                "annual_programmes": len(programmes),
            }
            clock("annual programmes")
            counts.update(generate_evaluation(rng, frame, made, today))
            clock("evaluation")
            counts.update(generate_proposals(rng, frame, made, proposals, today))
            clock("proposals")
        clock("indexes built")
        advance_sequences()
    counts["refreshed"] = refresh_derived()
    clock("derived data")
    if connection.vendor == "postgresql":
        # As autovacuum leaves a production database: statistics, and the visibility
        # map that lets index-only scans skip the table (VACUUM cannot run inside a
        # transaction, as in a test: statistics alone there).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    clock("vacuum and analyze")
    counts["phases"] = phases
    return counts


class Clock:
    """Seconds of each phase, for the command's report."""

    def __init__(self, phases: dict[str, float]) -> None:
        self.phases, self.last = phases, time.monotonic()

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.phases[name] = round(now - self.last, 1)
        self.last = now


def filled_tables() -> list[str]:
    """The tables the generator fills in bulk (their plain indexes are built after)."""
    from django.apps import apps

    names = [
        "activities.Activity",
        "activities.Milestone",
        "activities.AnnualProgrammeEntry",
        "evaluation.ProgressReport",
        "evaluation.Indicator",
        "evaluation.Measurement",
        "evaluation.FeedbackRequest",
        "evaluation.FeedbackResponse",
        "proposals.Proposal",
        "proposals.Support",
        "proposals.Assessment",
        "proposals.CriterionScore",
        "proposals.Decision",
        "proposals.BureauVote",
    ]
    tables = [apps.get_model(n)._meta.db_table for n in names]
    for model, name in [
        (Activity, "thematic_priorities"),
        (Activity, "participating_states"),
        (Proposal, "thematic_priorities"),
    ]:
        tables.append(model._meta.get_field(name).m2m_db_table())  # type: ignore[union-attr]
    return tables


def advance_sequences() -> None:
    """Each year's reference counter continues after the highest generated number, so
    the portal's services number new activities and proposals after them."""
    references = {
        sequences.ACTIVITY: (Activity.objects.values_list("reference", flat=True), "PG"),
        sequences.PROPOSAL: (Proposal.objects.values_list("reference", flat=True), "PR"),
    }
    for key, (refs, prefix) in references.items():
        pattern = rf"^{prefix}-(\d{{4}})-(\d+)$"
        highest: dict[int, int] = {}
        for ref in refs:
            match = re.match(pattern, ref or "")
            if match:
                year, number = int(match[1]), int(match[2])
                highest[year] = max(highest.get(year, 0), number)
        for year, number in highest.items():
            seq, _ = Sequence.objects.get_or_create(key=key, year=year)
            if seq.last_number < number:
                seq.last_number = number
                seq.save(update_fields=["last_number"])


def refresh_derived() -> list[str]:
    """Bring the denormalised data up to date after the bulk inserts (the services
    that keep them do not run for ``bulk_create``); what was refreshed."""
    refresh_public()
    refresh_term_statistics()
    return ["activities.visibility.refresh_public", "overlap.services.refresh_term_statistics"]

"""generate_bench_data: what it generates, that the same seed gives the same record,
and that the portal works on it (its pages, and its services numbering new records
after the generated ones)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, AnnualProgramme, AnnualProgrammeEntry, Milestone
from evaluation.models import FeedbackResponse, Indicator, ProgressReport
from portal.benchdata import generate
from portal.benchdata.programmes import LAST_YEAR
from programme.models import ThematicPriority, WorkProgramme
from proposals.models import Assessment, BureauVote, CriterionScore, Decision, Proposal, Support

pytestmark = pytest.mark.django_db

N, M = 200, 60


def fingerprint() -> dict:
    """The generated record by natural keys (ids and creation instants aside)."""
    return {
        "activities": list(
            Activity.objects.order_by("reference").values_list(
                "reference",
                "title",
                "status",
                "adoption_route",
                "start_date",
                "end_date",
                "planned_budget",
                "lead_member_state__code",
                "permanent_format__number",
            )
        ),
        "priorities": sorted(
            Activity.thematic_priorities.through.objects.values_list(
                "activity__reference", "thematicpriority__number"
            )
        ),
        "entries": sorted(
            AnnualProgrammeEntry.objects.values_list(
                "annual_programme__year", "activity__reference", "budget"
            )
        ),
        "milestones": sorted(
            Milestone.objects.values_list("activity__reference", "title", "due_date", "done")
        ),
        "proposals": list(
            Proposal.objects.order_by("reference").values_list(
                "reference", "status", "route", "title", "member_state__code", "activity__reference"
            )
        ),
        "reports": sorted(ProgressReport.objects.values_list("activity__reference", "period")),
        "scores": sorted(
            CriterionScore.objects.values_list(
                "assessment__proposal__reference", "criterion__number", "score"
            )
        ),
    }


def generated(seed: int) -> dict:
    with transaction.atomic():
        generate(N, M, seed)
        data = fingerprint()
        transaction.set_rollback(True)
    return data


def test_the_same_seed_gives_the_same_record_and_another_seed_another():
    first = generated(5)
    assert first == generated(5)
    assert first["activities"] != generated(6)["activities"]


def test_it_generates_what_it_says():
    today = timezone.localdate()
    counts = generate(N, M, 3)
    assert counts["activities"] == N == Activity.objects.count()
    assert counts["proposals"] == M == Proposal.objects.count()
    years = {a.start_date.year for a in Activity.objects.all()}
    assert min(years) == 2011 and max(years) == LAST_YEAR
    assert set(Activity.objects.values_list("adoption_route", flat=True)) == set(Activity.Route)
    statuses = set(Activity.objects.values_list("status", flat=True))
    assert {"completed", "cancelled"} <= statuses
    if today.year <= LAST_YEAR:
        assert statuses == set(Activity.Status)
    assert Activity.objects.filter(title__startswith="Formation").exists()  # some French
    assert Activity.objects.filter(description__icontains="naloxone").exists() or (
        Activity.objects.filter(title__icontains="naloxone").exists()
    )
    # Four work programmes over 2011–2026, one in force; each activity's priorities its own.
    assert WorkProgramme.objects.count() == 4
    assert WorkProgramme.objects.in_force().count() == 1
    assert not Activity.thematic_priorities.through.objects.exclude(
        thematicpriority__work_programme=F("activity__work_programme")
    ).exists()
    # Every activity has milestones; some are overdue.
    assert not Activity.objects.filter(milestones=None).exists()
    assert Milestone.objects.filter(done=False, due_date__lt=today).exists()
    # Annual programmes: one a year, adopted ones and a draft, entries near the ceiling.
    programmes = AnnualProgramme.objects.all()
    assert {ap.status for ap in programmes} == {"adopted", "draft"}
    for ap in programmes:
        total = ap.entries.aggregate(t=Sum("budget"))["t"] or Decimal(0)
        if total:
            assert total * Decimal("0.9") <= ap.budget_ceiling <= total * Decimal("1.1")
    for entry in AnnualProgrammeEntry.objects.select_related("activity", "annual_programme"):
        a = entry.activity
        assert a.adoption_route == "annual" and a.status != "cancelled"
        assert a.start_date.year <= entry.annual_programme.year <= a.end_date.year
    # Proposals in every state, with what each state implies.
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status)
    for p in Proposal.objects.filter(status="adopted").select_related("activity"):
        assert p.activity.adoption_route == p.route
    assert Support.objects.exists() and CriterionScore.objects.exists()
    assert Assessment.objects.filter(status="draft").exists()
    assert Decision.objects.filter(outcome="deferred").exists()
    assert BureauVote.objects.filter(proposal__route="urgent").exists()
    assert not Decision.objects.filter(proposal__status__in=["draft", "submitted"]).exists()
    assert ProgressReport.objects.exists() and Indicator.objects.exists()
    assert FeedbackResponse.objects.exists()
    assert "overlap.services.refresh_term_statistics" in counts["refreshed"]


def test_the_portal_works_on_it_and_numbers_new_records_after_it():
    generate(N, M, 4)
    secretariat = get_user_model().objects.get(username="secretariat")
    client = Client()
    client.force_login(secretariat)
    latest = Activity.objects.order_by("-start_date", "reference").first()
    for url in ["/en/activities/", f"/en/activities/{latest.reference}/", "/en/proposals/", "/en/"]:
        assert client.get(url).status_code == 200, url
    page = client.get("/en/activities/").content.decode()
    assert latest.reference in page
    year = latest.start_date.year
    highest = max(
        int(r.rsplit("-", 1)[1])
        for r in Activity.objects.filter(reference__startswith=f"PG-{year}-").values_list(
            "reference", flat=True
        )
    )
    wp = WorkProgramme.objects.in_force().get()
    new = activity_services.activity_create(
        actor=secretariat,
        title="Naloxone distribution at prison release",
        work_programme=wp,
        thematic_priorities=[ThematicPriority.objects.filter(work_programme=wp).first()],
        start_date=dt.date(year, 3, 1),
        end_date=dt.date(year, 9, 30),
    )
    assert new.reference == f"PG-{year}-{highest + 1:03d}"
    assert client.get(f"/en/activities/{new.reference}/").status_code == 200


def test_the_command_refuses_a_database_with_activities():
    generate(20, 5, 1)
    with pytest.raises(Exception, match="already holds activities"):
        call_command("generate_bench_data", "--activities=10", "--proposals=2")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_leaves_the_tables_vacuumed_as_autovacuum_would():
    """Index-only scans need the visibility map that VACUUM writes; without it the bench
    reads tables a production database (autovacuum on) never reads."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")

    def vacuums() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s",
                [Activity._meta.db_table],
            )
            return cursor.fetchone()[0]

    before = vacuums()
    counts = generate(20, 5, 3)
    assert "vacuum and analyze" in counts["phases"]
    assert vacuums() == before + 1

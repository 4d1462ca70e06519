"""The stored similar items the ranking reads: what is stored, when it is refreshed
(a proposal's save, on commit; the hourly job), and how the ranking shows them (the
reader's visibility, the marks, a constant number of queries)."""

from decimal import Decimal

from activities.models import AnnualProgramme
from overlap import services, tasks
from overlap.models import Similarity
from overlap.selectors import stored_similar
from proposals import services as proposal_services
from tests.conftest import client_for
from tests.proposals.factories import draft, full_scores, submitted


def stored(proposal) -> list[str]:
    return [
        f"{s.kind}:{s.reference}"
        for s in Similarity.objects.filter(proposal=proposal).select_related(
            "activity", "other_proposal"
        )
    ]


def test_refresh_stores_the_near_duplicate_first_over_everything(scene):
    Similarity.objects.all().delete()
    assert services.refresh_similar(scene["fr"]) >= 2
    rows = list(Similarity.objects.filter(proposal=scene["fr"]))
    # The labelled near-duplicate is the best activity (the German draft repeating the
    # same text, hidden from most readers, may score above it).
    assert [r.activity for r in rows if r.activity_id][0] == scene["darknet"]
    assert rows[0].target in (scene["darknet"], scene["de_draft"])
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert all(a.score >= b.score for a, b in zip(rows, rows[1:], strict=False))
    # No reader's filter: another delegation's draft is stored (hidden at read time).
    assert scene["de_draft"].pk in [r.other_proposal_id for r in rows]
    kept = stored(scene["fr"])
    assert f"activity:{scene['hr_benchmarks'].reference}" not in kept  # below the threshold
    assert not any(r.other_proposal_id == scene["fr"].pk for r in rows)


def test_refresh_replaces_the_rows(scene):
    services.refresh_similar(scene["fr"])
    first = stored(scene["fr"])
    services.refresh_similar(scene["fr"])
    assert stored(scene["fr"]) == first
    scene["darknet"].delete()
    services.refresh_similar(scene["fr"])
    assert f"activity:{scene['darknet'].reference}" not in stored(scene["fr"])


def test_a_new_proposal_is_refreshed_once_its_save_commits(
    programme, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal = draft(personas["pc_fr"], programme)
    assert callbacks  # queued on commit, not run inside the transaction
    submitted(personas["pc_de"], programme, title="Darknet drug markets: customs training")
    Similarity.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        proposal.title = "Darknet drug markets: training for customs officers"
        proposal.save()
    assert Similarity.objects.filter(proposal=proposal).exists()


def test_a_save_without_its_texts_queues_nothing(
    programme, personas, django_capture_on_commit_callbacks
):
    proposal = draft(personas["pc_fr"], programme)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal.save(update_fields=["estimated_cost"])
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal.save(update_fields=["purpose"])
    assert len(callbacks) == 1


def test_the_hourly_job_refreshes_every_open_proposal(scene):
    Similarity.objects.all().delete()
    tasks.refresh_term_statistics.apply().get()
    assert f"activity:{scene['darknet'].reference}" in stored(scene["fr"])
    assert Similarity.objects.filter(proposal=scene["de_draft"]).exists()


def test_the_read_keeps_what_the_reader_may_see_with_the_marks(scene, personas):
    services.refresh_similar(scene["fr"])
    services.mark_similar(
        proposal=scene["fr"],
        actor=personas["pc_fr"],
        verdict="builds_on",
        activity=scene["darknet"].reference,
    )
    as_fr = stored_similar(personas["pc_fr"], [scene["fr"]], limit=10)[scene["fr"].pk]
    assert scene["de_draft"].pk not in [s.other_proposal_id for s in as_fr]
    assert (as_fr[0].reference, as_fr[0].verdict_display) == (
        scene["darknet"].reference,
        "builds on",
    )
    as_secretariat = stored_similar(personas["secretariat"], [scene["fr"]], limit=10)
    assert scene["de_draft"].pk in [s.other_proposal_id for s in as_secretariat[scene["fr"].pk]]
    assert len(stored_similar(personas["secretariat"], [scene["fr"]])[scene["fr"].pk]) <= 3
    assert stored_similar(personas["secretariat"], [scene["de_other"]]) == {}


def _ranked(personas, programme, title):
    p = submitted(personas["pc_de"], programme, title=title)
    a = proposal_services.assessor_assign(
        proposal=p, assessor=personas["expert"], actor=personas["secretariat"]
    )
    proposal_services.assessment_save(
        assessment=a, actor=personas["expert"], scores=full_scores(p), submit=True
    )
    return p


def test_the_ranking_shows_the_stored_items(scene, personas, programme):
    ranked = _ranked(personas, programme, "Darknet drug markets: investigation training")
    services.refresh_similar(ranked)
    page = client_for(personas["secretariat"]).get("/en/proposals/ranking/2017/")
    html = page.content.decode()
    assert 'data-testid="similar-compact"' in html
    assert f"/en/activities/{scene['darknet'].reference}/" in html
    assert html.count("Similar:") == 3  # the top 3 of the stored items


def test_the_ranking_reads_the_stored_items_in_a_constant_number_of_queries(
    scene, personas, programme, django_assert_num_queries
):
    AnnualProgramme.objects.create(
        work_programme=programme, year=2017, budget_ceiling=Decimal("100000")
    )
    client = client_for(personas["secretariat"])
    for size in (2, 8):
        for i in range(size):
            services.refresh_similar(_ranked(personas, programme, f"Darknet markets {size}-{i}"))
        # as tests/proposals/test_views_decisions.py counts it, with the one query of
        # the stored items (and the one of the page's supports and assessments)
        with django_assert_num_queries(21):
            html = client.get("/en/proposals/ranking/2017/").content.decode()
        assert html.count('data-testid="similar-compact"') >= size

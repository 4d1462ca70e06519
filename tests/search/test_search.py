"""The search: what it finds, for whom, in which order, and how it shows the passage.
Runs on either database (PostgreSQL full-text search, or the SQLite fallback); the
tests of ranking and of the index need PostgreSQL and say so."""

import pytest
from django.db import connection

from activities.models import Activity
from programme.models import Meeting, ThematicPriority
from proposals.models import Proposal
from search.documents import BY_KIND
from search.engine import fallback_matching, search
from search.highlight import START, STOP, mark_words, marked
from tests.activities.factories import ActivityFactory
from tests.conftest import client_for
from tests.proposals.factories import ProposalFactory

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="full-text ranking needs PostgreSQL"
)


def kinds_and_titles(results):
    return [(r.kind, r.title_text) for r in results[0:50]]


@pytest.fixture
def de_draft(programme, states, pc_de):
    return ProposalFactory(
        work_programme=programme,
        member_state=states["DE"],
        proposer=pc_de,
        title="Wastewater epidemiology in Baltic ports",
        status=Proposal.Status.DRAFT,
        reference=None,
    )


# --- visibility: each app's own rule ----------------------------------------------------


def test_a_delegate_never_finds_another_delegations_draft(de_draft, pc_fr):
    found = search(user=pc_fr, q="wastewater")
    assert found.counts["proposal"] == 0
    assert found[0:20] == []


def test_the_secretariat_and_the_proposing_delegation_find_the_draft(de_draft, secretariat, pc_de):
    for user in (secretariat, pc_de):
        found = search(user=user, q="wastewater")
        assert kinds_and_titles(found) == [("proposal", "Wastewater epidemiology in Baltic ports")]


def test_a_submitted_proposal_is_found_by_any_delegate_but_not_by_the_public(
    programme, states, pc_fr, outsider
):
    ProposalFactory(work_programme=programme, member_state=states["DE"], title="Darknet markets")
    assert search(user=pc_fr, q="darknet").counts["proposal"] == 1
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), outsider):
        assert search(user=user, q="darknet").counts["proposal"] == 0


def test_the_public_finds_adopted_activities_only(programme, states):
    ActivityFactory(
        work_programme=programme, title="Ayahuasca retreat study", adoption_route="ad_hoc"
    )
    ActivityFactory(work_programme=programme, title="Ayahuasca ceremonies", adoption_route="annual")
    from django.contrib.auth.models import AnonymousUser

    found = search(user=AnonymousUser(), q="ayahuasca")
    assert kinds_and_titles(found) == [("activity", "Ayahuasca retreat study")]


# --- the programme's texts in both languages ----------------------------------------------


def test_a_french_word_finds_a_priority_by_its_french_title(programme, pc_fr):
    found = search(user=pc_fr, q="drogues", kind="priority")
    priority = ThematicPriority.objects.get(work_programme=programme, number="3.1")
    assert "drogues" in priority.title_fr and "drogues" not in priority.title_en
    assert ("priority", f"3.1 {priority.title_fr}") in kinds_and_titles(found)
    shown = next(r for r in found[0:10] if r.title_text.startswith("3.1"))
    assert "<mark>drogues</mark>" in shown.title
    assert shown.url == f"/en/programme/priorities/{priority.pk}/"


def test_an_english_word_finds_the_same_priority_by_its_english_title(programme, pc_fr):
    priority = ThematicPriority.objects.get(work_programme=programme, number="3.1")
    found = search(user=pc_fr, q="human rights", kind="priority")
    assert ("priority", f"3.1 {priority.title_en}") in kinds_and_titles(found)


@postgres_only
def test_postgresql_stems_and_ignores_accents(programme, pc_fr):
    ActivityFactory(work_programme=programme, title="Réseau méditerranéen", adoption_route="ad_hoc")
    assert search(user=pc_fr, q="mediterraneen").counts["activity"] == 1
    assert search(user=pc_fr, q="réseaux").counts["activity"] == 1


def test_meetings_are_found_by_their_place(db, pc_fr):
    meeting = Meeting.objects.create(
        kind="pc_plenary", number=99, date="2019-06-04", place="Lisbon"
    )
    found = search(user=pc_fr, q="lisbon")
    assert found.counts["meeting"] == 1
    assert "<mark>Lisbon</mark>" in found[0:1][0].title
    assert found[0:1][0].url == f"/en/meetings/{meeting.pk}/"


# --- ranking and the passage ----------------------------------------------------------------


@postgres_only
def test_a_word_in_the_title_ranks_before_the_same_word_deep_in_the_text(programme, pc_fr):
    ActivityFactory(
        work_programme=programme,
        adoption_route="ad_hoc",
        title="Annual meeting of experts",
        expected_results="A report on ketamine use in nightlife.",
    )
    ActivityFactory(
        work_programme=programme, adoption_route="ad_hoc", title="Ketamine in nightlife"
    )
    found = search(user=pc_fr, q="ketamine", kind="activity")
    assert [r.title_text for r in found[0:10]] == [
        "Ketamine in nightlife",
        "Annual meeting of experts",
    ]


def test_the_passage_marks_the_match_and_escapes_the_authors_text(programme, pc_fr):
    ActivityFactory(
        work_programme=programme,
        adoption_route="ad_hoc",
        title='<script>alert("x")</script> Khat markets',
        description="<img src=x onerror=alert(1)> trade of khat across the Horn of Africa",
    )
    response = client_for(pc_fr).get("/en/search/", {"q": "khat"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Khat</mark> markets" in html
    # ts_headline may cut a passage inside the author's "tag"; what is left is text.
    assert "onerror=alert(1)&gt; trade of <mark>khat</mark>" in html


def test_marked_escapes_everything_and_survives_stray_markers():
    assert marked(f"a <b> {START}c&d{STOP}") == "a &lt;b&gt; <mark>c&amp;d</mark>"
    assert marked(f"{STOP}x{START}y") == "x<mark>y</mark>"
    assert marked(f"{START}{START}x{STOP}{STOP}") == "<mark>x</mark>"


# --- the SQLite fallback, called directly -----------------------------------------------------


def test_the_fallback_finds_every_word_in_any_column_whatever_its_case(programme):
    a = ActivityFactory(
        work_programme=programme, title="Prison health", terms_of_reference="Opioid SUBSTITUTION"
    )
    ActivityFactory(work_programme=programme, title="Prison staff training")
    found = fallback_matching(BY_KIND["activity"], Activity.objects.all(), "prison substitution")
    assert list(found) == [a]
    assert list(fallback_matching(BY_KIND["activity"], Activity.objects.all(), '"" -')) == []


def test_the_fallback_finds_a_priority_by_either_languages_title(programme):
    qs = ThematicPriority.objects.filter(work_programme=programme)
    found = fallback_matching(BY_KIND["priority"], qs, "DROGUES premier")
    assert [p.number for p in found] == ["3.1"]


def test_the_fallback_passage_is_cut_around_the_first_match():
    text = "word " * 100 + "cannabis social clubs " + "word " * 100
    passage = mark_words(text, ["cannabis", "clubs"], width=60)
    assert passage.startswith("…") and passage.endswith("…")
    assert f"{START}cannabis{STOP} social {START}clubs{STOP}" in passage
    assert len(passage.replace(START, "").replace(STOP, "")) <= 62


def test_search_uses_the_engine_of_the_database(programme, pc_fr):
    """On PostgreSQL the stemmer finds "trainings" in "training"; ``icontains`` does not."""
    ActivityFactory(work_programme=programme, title="Executive training", adoption_route="ad_hoc")
    expected = 1 if connection.vendor == "postgresql" else 0
    assert search(user=pc_fr, q="trainings").counts["activity"] == expected

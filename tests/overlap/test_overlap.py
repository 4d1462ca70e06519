"""Similar items of a proposal: what each role sees, the proposer's marks (service,
pages, API), the refusals, and the passages' escaping."""

import pytest

from overlap import engine, services
from overlap.models import Mark
from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent
from proposals import services as proposal_services
from tests.conftest import answer, client_as, client_for
from tests.proposals.factories import submitted

from .conftest import make_activity

PERSONAS = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", None]


def api_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/similar/"


# --- what is found, and by whom -------------------------------------------------------


def test_the_near_duplicate_activity_comes_first_with_its_passages(scene, personas):
    found = answer(client_as(personas["pc_fr"]).get(api_url(scene["fr"])))
    first = found["results"][0]
    assert first["kind"] == "activity"
    assert first["reference"] == scene["darknet"].reference
    assert first["score"] >= engine.THRESHOLD
    assert any("<mark>" in p for p in first["passages_html"])
    assert any("cryptomarket" in p for p in first["passages"])
    refs = [r["reference"] for r in found["results"]]
    assert scene["hr_benchmarks"].reference not in refs  # unrelated: below the threshold
    assert scene["de_other"].reference not in refs


def test_a_draft_of_another_delegation_is_never_shown(scene, personas):
    as_fr = answer(client_as(personas["pc_fr"]).get(api_url(scene["fr"])))
    assert scene["de_draft"].pk not in [
        r["id"] for r in as_fr["results"] if r["kind"] == "proposal"
    ]
    as_secretariat = answer(client_as(personas["secretariat"]).get(api_url(scene["fr"])))
    assert scene["de_draft"].pk in [
        r["id"] for r in as_secretariat["results"] if r["kind"] == "proposal"
    ]


def test_the_proposal_itself_is_not_among_its_similar_items(scene, personas):
    found = answer(client_as(personas["secretariat"]).get(api_url(scene["fr"])))
    assert scene["fr"].pk not in [r["id"] for r in found["results"] if r["kind"] == "proposal"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("secretariat", 200),
        ("pc_fr", 200),
        ("pc_de", 200),
        ("bureau_chair", 200),
        ("expert", 200),
        ("outsider", 404),
        (None, 401),
    ],
)
def test_who_reads_the_similar_items_of_a_submitted_proposal(scene, personas, who, expected):
    response = client_as(personas[who] if who else None).get(api_url(scene["fr"]))
    assert response.status_code == expected


@pytest.mark.parametrize(
    "who, expected", [("pc_de", 200), ("secretariat", 200), ("pc_fr", 404), ("expert", 404)]
)
def test_who_reads_the_similar_items_of_a_draft(scene, personas, who, expected):
    assert client_as(personas[who]).get(api_url(scene["de_draft"])).status_code == expected


# --- marks ------------------------------------------------------------------------------


def test_the_proposer_marks_and_changes_a_mark_recorded_in_the_history(scene, personas):
    pc_fr, darknet = personas["pc_fr"], scene["darknet"]
    mark = services.mark_similar(
        proposal=scene["fr"], actor=pc_fr, verdict="builds_on", activity=darknet.reference
    )
    assert (mark.verdict, mark.marked_by, mark.activity) == ("builds_on", pc_fr, darknet)
    services.mark_similar(
        proposal=scene["fr"], actor=pc_fr, verdict="not_related", activity=darknet.reference
    )
    assert Mark.objects.get().verdict == "not_related"
    events = AuditEvent.objects.filter(object_id=scene["fr"].pk, actor=pc_fr, kind="updated")
    changes = [e.changes for e in events.order_by("pk")]
    label = f"similar item {darknet.reference}"
    assert changes[-2:] == [{label: ["", "builds on"]}, {label: ["builds on", "not related"]}]


def test_a_marked_item_is_shown_to_the_assessors_with_its_mark(scene, personas):
    services.mark_similar(
        proposal=scene["fr"],
        actor=personas["pc_fr"],
        verdict="not_related",
        activity=scene["hr_benchmarks"].reference,  # below the threshold: listed for its mark
    )
    found = answer(client_as(personas["expert"]).get(api_url(scene["fr"])))
    marked = [r for r in found["results"] if r["mark"]]
    assert [(r["reference"], r["mark"]["verdict"], r["mark"]["marked_by"]) for r in marked] == [
        (scene["hr_benchmarks"].reference, "not_related", "pc_fr")
    ]


def test_marking_an_open_proposal(scene, personas):
    mark = services.mark_similar(
        proposal=scene["de_other"],
        actor=personas["pc_de"],
        verdict="builds_on",
        other_proposal=scene["fr"].pk,
    )
    assert mark.other_proposal == scene["fr"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"verdict": "maybe", "activity": "PG-2016-001"}, "verdict"),
        ({"verdict": "builds_on"}, "activity"),
        ({"verdict": "builds_on", "activity": "PG-2016-001", "other_proposal": 1}, "activity"),
        ({"verdict": "builds_on", "activity": "PG-1999-999"}, "activity"),
        ({"verdict": "builds_on", "other_proposal": "x"}, "proposal"),
    ],
)
def test_bad_marks_name_their_field_and_change_nothing(scene, personas, fields, field):
    with pytest.raises(DomainError) as caught:
        services.mark_similar(proposal=scene["fr"], actor=personas["pc_fr"], **fields)
    assert field in caught.value.errors
    assert not Mark.objects.exists()


def test_a_proposal_cannot_be_marked_against_itself_or_an_invisible_draft(scene, personas):
    for other in (scene["fr"].pk, scene["de_draft"].pk):
        with pytest.raises(DomainError) as caught:
            services.mark_similar(
                proposal=scene["fr"],
                actor=personas["pc_fr"],
                verdict="builds_on",
                other_proposal=other,
            )
        assert "proposal" in caught.value.errors
    assert not Mark.objects.exists()


@pytest.mark.parametrize("who", ["secretariat", "pc_de", "bureau_chair", "expert"])
def test_only_the_proposing_delegation_marks(scene, personas, who):
    with pytest.raises(PermissionDenied):
        services.mark_similar(
            proposal=scene["fr"],
            actor=personas[who],
            verdict="builds_on",
            activity=scene["darknet"].reference,
        )
    assert not Mark.objects.exists()


def test_a_withdrawn_proposal_is_no_longer_marked(scene, personas):
    proposal_services.proposal_withdraw(proposal=scene["fr"], actor=personas["pc_fr"])
    response = client_as(personas["pc_fr"]).post(
        api_url(scene["fr"]),
        {"verdict": "builds_on", "activity": scene["darknet"].reference},
        format="json",
    )
    assert response.status_code == 400
    assert "verdict" in response.json()
    assert not Mark.objects.exists()


# --- API --------------------------------------------------------------------------------


def test_api_marks_and_answers_the_mark(scene, personas):
    body = answer(
        client_as(personas["pc_fr"]).post(
            api_url(scene["fr"]),
            {"verdict": "builds_on", "activity": scene["darknet"].reference},
            format="json",
        )
    )
    assert body["verdict"] == "builds_on"
    assert body["activity"] == scene["darknet"].reference
    assert body["marked_by"] == "pc_fr"


@pytest.mark.parametrize(
    "who, expected",
    [
        ("pc_fr", 200),
        ("pc_de", 403),
        ("secretariat", 403),
        ("bureau_chair", 403),
        ("expert", 403),
        ("outsider", 404),
        (None, 401),
    ],
)
def test_api_who_marks(scene, personas, who, expected):
    response = client_as(personas[who] if who else None).post(
        api_url(scene["fr"]),
        {"verdict": "builds_on", "activity": scene["darknet"].reference},
        format="json",
    )
    assert response.status_code == expected, response.content
    assert Mark.objects.exists() == (expected == 200)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"activity": "PG-2016-001"}, "verdict"),
        ({"verdict": "yes", "activity": "PG-2016-001"}, "verdict"),
        ({"verdict": "builds_on"}, "activity"),
        ({"verdict": "builds_on", "proposal": 0}, "proposal"),
        ({"verdict": "builds_on", "activity": "NOPE"}, "activity"),
    ],
)
def test_api_bad_mark_is_a_400_naming_the_field(scene, personas, body, field):
    response = client_as(personas["pc_fr"]).post(api_url(scene["fr"]), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Mark.objects.exists()


# --- pages --------------------------------------------------------------------------------


def test_the_pages_show_the_similar_items(scene, personas):
    fr = scene["fr"]
    page = client_for(personas["pc_fr"]).get(f"/en/proposals/{fr.pk}/").content.decode()
    assert 'data-testid="similar"' in page
    assert scene["darknet"].reference in page
    assert "<mark>" in page
    assert "Builds on it" in page  # the proposer's buttons
    other = client_for(personas["pc_de"]).get(f"/en/proposals/{fr.pk}/").content.decode()
    assert scene["darknet"].reference in other
    assert "Builds on it" not in other


def test_the_mark_form_records_and_returns_to_the_page(scene, personas):
    fr = scene["fr"]
    client = client_for(personas["pc_fr"])
    response = client.post(
        f"/en/overlap/proposals/{fr.pk}/mark/",
        {
            "verdict": "builds_on",
            "activity": scene["darknet"].reference,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/proposals/{fr.pk}/#similar"
    assert Mark.objects.get().verdict == "builds_on"
    page = client.get(f"/en/proposals/{fr.pk}/").content.decode()
    assert "The proposer marked it: <strong>builds on</strong>" in page


def test_a_bad_mark_form_says_why_and_changes_nothing(scene, personas):
    client = client_for(personas["pc_fr"])
    response = client.post(
        f"/en/overlap/proposals/{scene['fr'].pk}/mark/",
        {"verdict": "perhaps", "activity": scene["darknet"].reference},
        follow=True,
    )
    assert response.status_code == 200
    assert "verdict" in response.content.decode()
    assert not Mark.objects.exists()


def test_another_delegation_cannot_post_a_mark(scene, personas):
    client = client_for(personas["pc_de"], raise_request_exception=False)
    response = client.post(
        f"/en/overlap/proposals/{scene['fr'].pk}/mark/",
        {"verdict": "builds_on", "activity": scene["darknet"].reference},
    )
    assert response.status_code == 403
    assert not Mark.objects.exists()


def test_passages_are_escaped(programme, personas):
    make_activity(
        programme,
        None,
        1,
        title="Darknet <script>alert(1)</script> training",
        description="Darknet <b>cryptomarkets</b> & police training.",
        expected_results="",
    )
    fr = submitted(personas["pc_fr"], programme, title="Darknet cryptomarkets police training")
    services.refresh_term_statistics()
    page = client_for(personas["pc_fr"]).get(f"/en/proposals/{fr.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;<mark>cryptomarkets</mark>&lt;/b&gt;" in page


def test_the_similar_items_are_kept_until_the_next_write(scene, personas, monkeypatch):
    """Between two writes a proposal's similar items are read once per scope (the
    activities' term statistics are what makes them cost); a write reads them again and
    the answer follows it."""
    from overlap import selectors

    calls = []
    real = engine.similar
    monkeypatch.setattr(engine, "similar", lambda *a, **k: calls.append(1) or real(*a, **k))
    as_fr = client_as(personas["pc_fr"])
    first = answer(as_fr.get(api_url(scene["fr"])))
    assert answer(as_fr.get(api_url(scene["fr"]))) == first
    assert len(calls) == 1
    # Another scope (the Secretariat sees what a delegation may not) is its own answer.
    selectors.similar_to(personas["secretariat"], scene["fr"])
    assert len(calls) == 2

    darknet = scene["darknet"]
    darknet.title = "Prison health services in the Baltic states"
    darknet.save()
    again = answer(as_fr.get(api_url(scene["fr"])))
    assert len(calls) == 3
    assert [r["title"] for r in again["results"] if r["reference"] == darknet.reference] == [
        darknet.title
    ]
    assert again != first

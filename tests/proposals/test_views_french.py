"""French pages write numbers, dates and member states as French readers do."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from activities.services import activity_create
from proposals import services
from tests.conftest import client_as
from tests.proposals.factories import submitted

NNBSP = "\u202f"  # narrow no-break space, between thousands in French
ENGLISH_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def _scored(programme, personas, score: Decimal):
    proposal = submitted(
        personas["pc_fr"], programme, estimated_cost=Decimal("12345"), title="Prison health"
    )
    assessment = services.assessor_assign(
        proposal=proposal, assessor=personas["expert"], actor=personas["secretariat"]
    )
    scores = [
        {"criterion": c.pk, "score": score, "comment": "Thin evidence."}
        for c in services.scored_criteria(proposal)
    ]
    services.assessment_save(
        assessment=assessment, actor=personas["expert"], scores=scores, submit=True
    )
    return proposal


def _page(user, path: str) -> str:
    response = client_as(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_french_proposal_page_writes_scores_money_and_states_in_french(programme, personas):
    proposal = _scored(programme, personas, Decimal("2.5"))
    text = _text(_page(personas["secretariat"], f"/fr/proposals/{proposal.pk}/"))
    assert "2,5" in text  # each assessor's score
    assert "2,50" in text  # the criterion's mean
    assert f"12{NNBSP}345,00 EUR" in text
    assert "France" in text
    # The reasons written by Python: the threshold and the totals with a comma too.
    assert "3,0" in text
    assert "17,50" in text  # weighted total 7 criteria × 2.5
    # No number in the page's text keeps the English decimal point (the priority
    # numbers of the work programme, "3.4", and the similar items' reference to its
    # section 2.2 are section numbers, not decimals).
    sections = {"2.2", "3.1", "3.2", "3.3", "3.4"}
    decimals = {n for n in ENGLISH_DECIMAL.findall(text) if n not in sections}
    assert decimals == set()


def test_the_english_page_keeps_the_english_formats(programme, personas):
    proposal = _scored(programme, personas, Decimal("2.5"))
    text = _text(_page(personas["secretariat"], f"/en/proposals/{proposal.pk}/"))
    assert "12,345.00 EUR" in text
    assert "2.50" in text
    assert "Mean below 3.0" in text


def test_a_french_activity_page_writes_dates_and_states_in_french(programme, personas, states):
    activity = activity_create(
        actor=personas["secretariat"],
        title="Prison health",
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.1")],
        start_date=dt.date(2015, 11, 20),
        end_date=dt.date(2016, 2, 1),
        planned_budget=Decimal("1234567.5"),
        lead_member_state=states["DE"],
        participating_states=[states["NO"], states["ES"]],
    )
    text = _text(_page(personas["secretariat"], f"/fr/activities/{activity.reference}/"))
    assert "20 novembre 2015" in text
    assert "1 février 2016" in text
    assert f"1{NNBSP}234{NNBSP}567,50 EUR" in text
    assert "Allemagne" in text
    assert "Espagne, Norvège" in text  # in French alphabetical order
    assert "Germany" not in text


def test_the_activity_filter_lists_states_in_french_alphabetical_order(programme, personas, states):
    from programme.models import MemberState

    for code, en, fr in [
        ("EG", "Egypt", "Égypte"),
        ("AE", "United Arab Emirates", "Émirats arabes unis"),
        ("DZ", "Algeria", "Algérie"),
    ]:
        MemberState.objects.create(code=code, name=en, name_fr=fr)
    html = _page(personas["secretariat"], "/fr/activities/")
    select = re.search(r'<select name="member_state".*?</select>', html, re.S).group(0)
    options = [o.strip() for o in re.findall(r"<option value=\"[A-Z]{2}\"[^>]*>([^<]*)<", select)]
    assert options == [
        "Algérie",
        "Allemagne",
        "Égypte",
        "Émirats arabes unis",
        "Espagne",
        "France",
        "Italie",
        "Norvège",
    ]
    assert "Alger" not in options


def test_the_api_names_and_orders_member_states_in_the_requested_language(client, states):
    from programme.models import MemberState

    MemberState.objects.create(code="EG", name="Egypt", name_fr="Égypte")
    french = client.get("/api/v1/member-states/", HTTP_ACCEPT_LANGUAGE="fr").json()
    rows = french["results"] if isinstance(french, dict) else french
    assert [r["name"] for r in rows] == [
        "Allemagne",
        "Égypte",
        "Espagne",
        "France",
        "Italie",
        "Norvège",
    ]
    english = client.get("/api/v1/member-states/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = english["results"] if isinstance(english, dict) else english
    assert [r["name"] for r in rows][:3] == ["Egypt", "France", "Germany"]


def test_the_message_of_a_second_support_names_the_state_in_french(programme, personas):
    from django.utils import translation

    from pompidou.errors import DomainError

    proposal = submitted(personas["pc_fr"], programme)
    services.support_add(proposal=proposal, actor=personas["pc_de"])
    with translation.override("fr"), pytest.raises(DomainError) as error:
        services.support_add(proposal=proposal, actor=personas["pc_de"])
    assert "Allemagne" in str(error.value)


def test_the_assessment_form_offers_half_points_with_a_decimal_comma(programme, personas):
    proposal = submitted(personas["pc_fr"], programme)
    services.assessor_assign(
        proposal=proposal, assessor=personas["expert"], actor=personas["secretariat"]
    )
    french = _page(personas["expert"], f"/fr/proposals/{proposal.pk}/assessment/")
    assert '<option value="3.5">3,5</option>' in french
    assert ">3.5<" not in french
    english = _page(personas["expert"], f"/en/proposals/{proposal.pk}/assessment/")
    assert '<option value="3.5">3.5</option>' in english


def test_the_history_names_a_supporting_state_in_the_readers_language(programme, personas):
    proposal = submitted(personas["pc_fr"], programme)
    services.support_add(proposal=proposal, actor=personas["pc_de"])  # recorded in English
    history = _page(personas["secretariat"], f"/fr/proposals/{proposal.pk}/")
    history = history[history.index('data-testid="history"') :]
    assert "Allemagne" in history
    assert "Germany" not in history


def test_the_activity_list_spells_out_the_lead_state_in_french(programme, personas, states):
    activity_create(
        actor=personas["secretariat"],
        title="Prison health",
        work_programme=programme,
        thematic_priorities=[programme.priorities.get(number="3.1")],
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        lead_member_state=states["DE"],
    )
    html = _page(personas["secretariat"], "/fr/activities/")
    assert '<abbr title="Allemagne">DE</abbr>' in html

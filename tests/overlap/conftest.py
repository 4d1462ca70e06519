"""The labelled activities of pairs.yaml, created for a test, and the document
frequencies counted over them."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from activities.models import Activity
from overlap import engine, services
from tests.proposals.factories import draft, submitted

PAIRS = yaml.safe_load((Path(__file__).parent / "pairs.yaml").read_text())


def make_activity(programme, state, n: int, **texts) -> Activity:
    """An activity straight into the database (its texts given)."""
    return Activity.objects.create(
        reference=f"PG-2016-{n:03d}",
        work_programme=programme,
        adoption_route=Activity.Route.AD_HOC,
        is_public=True,  # what activities.visibility stores for an ad hoc activity
        lead_member_state=state,
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        planned_budget=Decimal("10000"),
        **texts,
    )


@pytest.fixture
def labelled(programme, states) -> dict[str, Activity]:
    """Every activity of the labelled set, by its key."""
    found = {
        key: make_activity(programme, states["FR"], n, **texts)
        for n, (key, texts) in enumerate(PAIRS["activities"].items(), start=1)
    }
    services.refresh_term_statistics()
    return found


def proposal_doc(item: dict) -> dict[str, float]:
    body = "\n".join(item[f] for f in ("scope", "purpose", "expected_outcome"))
    return engine.doc_of(item["title"], body)


@pytest.fixture
def scene(programme, personas):
    """Three activities; a French proposal that nearly repeats the darknet one (the
    factories' default text); a German draft repeating it too; an unrelated German
    proposal."""
    activities = {
        key: make_activity(programme, None, n, **PAIRS["activities"][key])
        for n, key in enumerate(["darknet", "ost_prisons", "hr_benchmarks"], start=1)
    }
    fr = submitted(
        personas["pc_fr"],
        programme,
        title="Darknet drug markets training for police and customs",
        purpose="Train officers to investigate darknet cryptomarkets and parcel deliveries.",
    )
    de_draft = draft(
        personas["pc_de"],
        programme,
        title="Darknet cryptomarkets: investigation training for police",
        purpose="Teach police officers to investigate darknet drug sales and cryptocurrency.",
    )
    de_other = submitted(
        personas["pc_de"],
        programme,
        title="Measles vaccination campaigns",
        scope="Paediatricians.",
        purpose="Raise immunisation coverage of infants.",
        expected_outcome="A vaccination calendar.",
    )
    services.refresh_term_statistics()
    return {"fr": fr, "de_draft": de_draft, "de_other": de_other, **activities}

"""The labelled activities of pairs.yaml, created for a test, and the document
frequencies counted over them."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from activities.models import Activity
from overlap import engine, services

PAIRS = yaml.safe_load((Path(__file__).parent / "pairs.yaml").read_text())


def make_activity(programme, state, n: int, **texts) -> Activity:
    """An activity straight into the database (its texts given)."""
    return Activity.objects.create(
        reference=f"PG-2016-{n:03d}",
        work_programme=programme,
        adoption_route=Activity.Route.AD_HOC,
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

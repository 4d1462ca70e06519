"""One reference sequence: each kind of reference counts up within its year, apart
from the others, and a number once given is never given again."""

import importlib

from django.apps import apps
from django.db import transaction

from pompidou.models import Sequence
from pompidou.sequences import ACTIVITY, DOCUMENT, PROPOSAL, next_number


def test_each_key_counts_within_its_year(db):
    with transaction.atomic():
        assert [next_number(DOCUMENT, 2016) for _ in range(3)] == [1, 2, 3]
        assert next_number(DOCUMENT, 2017) == 1
        assert next_number(ACTIVITY, 2016) == 1
    assert Sequence.objects.get(key=DOCUMENT, year=2016).last_number == 3


def test_a_number_is_not_given_again_after_its_record_is_deleted(db):
    with transaction.atomic():
        first = next_number(PROPOSAL, 2018)
    with transaction.atomic():
        assert next_number(PROPOSAL, 2018) == first + 1


def test_the_proposals_counter_starts_after_the_highest_existing_reference(
    programme, pc_fr, member_state_fr
):
    from proposals.models import Proposal
    from tests.proposals.factories import draft

    for reference in ("PR-2017-0007", "PR-2017-0042", "PR-2018-0003", "legacy-1"):
        proposal = draft(pc_fr, programme)
        Proposal.objects.filter(pk=proposal.pk).update(reference=reference)
    migration = importlib.import_module("proposals.migrations.0007_proposal_reference_sequence")
    migration.forward(apps, None)
    counters = dict(Sequence.objects.filter(key=PROPOSAL).values_list("year", "last_number"))
    assert counters[2017] == 42 and counters[2018] == 3
    with transaction.atomic():
        assert next_number(PROPOSAL, 2017) == 43

"""Who may author, comment on and compare a work programme: role × action × the
programme's status, with the reason of every refusal."""

import pytest

from pompidou.rules import ask
from programme.models import WorkProgramme
from programme.selectors import work_programmes_visible_to
from tests.programme.factories import WorkProgrammeFactory

ROLES = ["secretariat", "pc_fr", "bureau_chair", "expert", "outsider", "anonymous"]
S = WorkProgramme.Status

# (rule, status) -> roles allowed; a refusal of an allowed role by status is a
# state refusal (400, "not now"), of any other role a 403.
MATRIX = {
    ("programme.author", S.DRAFT): {"secretariat"},
    ("programme.author", S.CONSULTATION): {"secretariat"},
    ("programme.author", S.ADOPTED): set(),
    ("programme.author", S.IN_FORCE): set(),
    ("programme.comment", S.DRAFT): set(),
    ("programme.comment", S.CONSULTATION): {"secretariat", "pc_fr", "bureau_chair"},
    ("programme.comment", S.IN_FORCE): set(),
    ("programme.view_consultation", S.CONSULTATION): {"secretariat", "pc_fr", "bureau_chair"},
    ("programme.view_versions", S.DRAFT): {"secretariat"},
}
MAY_AT_ALL = {
    "programme.author": {"secretariat"},
    "programme.comment": {"secretariat", "pc_fr", "bureau_chair"},
    "programme.view_consultation": {"secretariat", "pc_fr", "bureau_chair"},
    "programme.view_versions": {"secretariat"},
}


@pytest.mark.parametrize(("rule_name", "status"), sorted(MATRIX))
@pytest.mark.parametrize("persona", ROLES)
def test_authoring_rules_follow_the_matrix(personas, rule_name, status, persona):
    wp = WorkProgrammeFactory.build(status=status)  # the rules read its status only
    verdict = ask(rule_name, personas[persona], wp)
    assert bool(verdict) is (persona in MATRIX[(rule_name, status)])
    if not verdict:
        assert str(verdict.reason)
        # The right person at the wrong moment is told "not now", anyone else 403.
        assert verdict.state is (persona in MAY_AT_ALL[rule_name])


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("secretariat", {"draft", "consultation", "in_force"}),
        ("pc_fr", {"consultation", "in_force"}),
        ("bureau_chair", {"consultation", "in_force"}),
        ("expert", {"in_force"}),
        ("anonymous", {"in_force"}),
    ],
)
def test_who_sees_a_draft_and_a_consultation(personas, programme, persona, sees):
    WorkProgrammeFactory(status=S.DRAFT, first_year=2031, last_year=2034)
    WorkProgrammeFactory(status=S.CONSULTATION, first_year=2035, last_year=2038)
    statuses = set(work_programmes_visible_to(personas[persona]).values_list("status", flat=True))
    assert statuses == sees

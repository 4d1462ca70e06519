"""Who may do what with the programme structure: role × action, with the reason a
refusal gives (the same sentence the pages and the API show)."""

import pytest

from pompidou.rules import Verdict, ask
from programme import permissions

ROLES = ["secretariat", "pc_fr", "pc_de", "bureau_chair", "expert", "outsider", "anonymous"]

# action (registered rule) -> the roles it allows
MATRIX = {
    "programme.view_drafts": {"secretariat"},
    "programme.edit": {"secretariat"},
    "programme.view_bureau": {
        "secretariat",
        "pc_fr",
        "pc_de",
        "bureau_chair",
        "expert",
        "outsider",
    },
}


@pytest.mark.parametrize("rule_name", sorted(MATRIX))
@pytest.mark.parametrize("persona", ROLES)
def test_programme_rules_follow_the_role_matrix(personas, rule_name, persona):
    verdict = ask(rule_name, personas[persona])
    assert isinstance(verdict, Verdict)
    assert bool(verdict) is (persona in MATRIX[rule_name])
    if not verdict:
        assert str(verdict.reason)  # a refusal always says why
        assert not verdict.state  # refused for who the user is: a 403, not a 400


def test_the_predicates_are_the_registered_rules():
    assert ask.__module__ == "pompidou.rules"
    from pompidou.rules import registered

    rules = registered()
    assert rules["programme.view_drafts"] is permissions.can_view_draft_programmes
    assert rules["programme.edit"] is permissions.can_edit_programme
    assert rules["programme.view_bureau"] is permissions.can_view_bureau


def test_a_pc_is_told_why_drafts_are_hidden(pc_fr):
    verdict = permissions.can_view_draft_programmes(pc_fr)
    assert not verdict
    assert "Secretariat" in str(verdict.reason)

"""The navigation asks the apps' predicates ({% can "portal.menu_…" %}): each role sees
the menus of the pages it may open, and nothing else."""

import pytest
from django.urls import reverse

from pompidou.rules import ask
from tests.conftest import client_for

ROLES = ["secretariat", "pc_fr", "bureau_chair", "expert", "outsider", "anonymous"]

# menu rule -> the roles that see it
MENUS = {
    "portal.menu_proposals": {"secretariat", "pc_fr", "bureau_chair", "expert"},
    "portal.menu_urgent_votes": {"bureau_chair"},
    "portal.menu_evaluation": {"secretariat", "bureau_chair"},
    # the Bureau chair is a PC as well: feedback requests reach them too
    "portal.menu_my_feedback": {"pc_fr", "bureau_chair", "expert"},
}


@pytest.mark.parametrize("rule_name", sorted(MENUS))
@pytest.mark.parametrize("persona", ROLES)
def test_menu_rules_follow_the_role_matrix(personas, rule_name, persona):
    verdict = ask(rule_name, personas[persona])
    assert bool(verdict) is (persona in MENUS[rule_name])
    if not verdict:
        assert str(verdict.reason)


@pytest.mark.parametrize("persona", ROLES)
def test_the_page_shows_exactly_the_menus_the_rules_allow(programme, personas, persona):
    user = personas[persona]
    response = client_for(user).get(reverse("programme:current"))
    assert response.status_code == 200
    nav = response.content.decode().split("<main", 1)[0]
    links = {
        "portal.menu_proposals": reverse("proposals:list"),
        "portal.menu_urgent_votes": reverse("proposals:urgent"),
        "portal.menu_evaluation": reverse("evaluation:overview"),
        "portal.menu_my_feedback": reverse("evaluation:my_feedback"),
    }
    for rule_name, url in links.items():
        assert (f'href="{url}"' in nav) is (persona in MENUS[rule_name]), rule_name

"""The navigation's rules: which menus a user sees, each asking the predicate of the
app whose pages the menu opens (``{% can "portal.menu_…" as show %}`` in
``partials/nav_items.html``), so the menu and the pages never disagree."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from activities import permissions as activities_permissions
from evaluation import permissions as evaluation_permissions
from pompidou.rules import Verdict, check, rule
from programme import roles
from proposals import permissions as proposals_permissions


@rule("portal.menu_proposals")
def can_open_proposals(user: Any) -> Verdict:
    """The proposals are read by the members of the portal (every role)."""
    return check(
        activities_permissions.has_portal_role(user),
        _("Proposals are open to the members of the portal."),
    )


@rule("portal.menu_urgent_votes")
def can_open_urgent_votes(user: Any) -> Verdict:
    return proposals_permissions.can_vote(user)


@rule("portal.menu_evaluation")
def can_open_evaluation(user: Any) -> Verdict:
    return evaluation_permissions.can_view_overview(user)


@rule("portal.menu_my_feedback")
def can_open_my_feedback(user: Any) -> Verdict:
    """Feedback requests are addressed to experts and Permanent Correspondents."""
    r = roles.roles_of(user)
    return check(
        r.is_expert or r.is_correspondent,
        _("Feedback requests are addressed to experts and Permanent Correspondents."),
    )

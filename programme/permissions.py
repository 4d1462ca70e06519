"""Who may do what with the programme structure. Pages, API and templates ask here."""

from . import roles


def can_view_draft_programmes(user) -> bool:
    """Draft work programmes are the Secretariat's working copies."""
    return roles.is_secretariat(user)


def can_edit_programme(user) -> bool:
    """The programme structure is kept by the Secretariat (in the back office)."""
    return roles.is_secretariat(user)


def can_view_bureau(user) -> bool:
    """The Bureau's composition and mandates: any logged-in member of the portal."""
    return bool(user and user.is_authenticated)

"""Who may see and change activities and annual programmes. Pages, API and templates ask here."""

from programme import roles


def has_portal_role(user) -> bool:
    r = roles.roles_of(user)
    return r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau


def can_view_unadopted_activities(user) -> bool:
    """Planned activities of a draft annual programme are circulated to the members
    (PCs, Bureau, experts) before adoption; the public sees adopted activities only."""
    return has_portal_role(user)


def can_edit_activities(user) -> bool:
    return roles.is_secretariat(user)


def can_manage_annual_programmes(user) -> bool:
    return roles.is_secretariat(user)


def can_view_draft_annual_programmes(user) -> bool:
    return has_portal_role(user)


def can_compile_annual_programme(user, annual_programme=None) -> bool:
    """The Secretariat compiles an annual programme as PDF and DOCX, a draft (to
    circulate before the PC meeting) as well as an adopted one (the final document)."""
    return roles.is_secretariat(user)


def can_view_annual_programme_documents(user, annual_programme=None) -> bool:
    """The compiled documents (and their compile jobs) are for the members, whatever
    the programme's status: the public reads the adopted programme on the pages and
    in the API, not its compiled files."""
    return has_portal_role(user)


def can_view_history(user, obj=None) -> bool:
    """The change log names staff and shows internal steps: members read it, the
    public does not (an activity's public page shows the activity, not its edits)."""
    return has_portal_role(user)

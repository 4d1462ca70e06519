"""Who may do what with the programme structure. Pages, API and templates ask here.

Each predicate returns a ``Verdict`` (``pompidou.rules``): truthy, or falsy with the
sentence that says why not; templates ask them by name (``{% can "programme.…" %}``).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pompidou.rules import ALLOW, Verdict, check, deny_state, rule

from . import roles


@rule("programme.view_drafts")
def can_view_draft_programmes(user: Any) -> Verdict:
    """Draft work programmes are the Secretariat's working copies."""
    return check(
        roles.is_secretariat(user), _("Draft work programmes are the Secretariat's working copies.")
    )


@rule("programme.edit")
def can_edit_programme(user: Any) -> Verdict:
    """The programme structure is kept by the Secretariat (in the back office)."""
    return check(roles.is_secretariat(user), _("The Secretariat keeps the programme's structure."))


@rule("programme.view_bureau")
def can_view_bureau(user: Any) -> Verdict:
    """The Bureau's composition and mandates: any logged-in member of the portal."""
    return check(bool(user and user.is_authenticated), _("Log in to see the Bureau."))


@rule("programme.move")
def can_move_programme(user: Any, programme: Any = None) -> Verdict:
    """Moving a work programme through its cycle (consultation, adoption, in force,
    closing) is the Secretariat's, as is editing it."""
    return can_edit_programme(user)


def _in_group(programme: Any, group: str) -> bool:
    from .workflow import PROGRAMME_WORKFLOW

    return programme.status in PROGRAMME_WORKFLOW.group(group)


@rule("programme.author")
def can_author_programme(user: Any, programme: Any = None) -> Verdict:
    """Drafting a programme and editing its texts, priorities, formats, criteria and
    thresholds: the Secretariat's, while the programme is a draft or in consultation;
    an adopted programme is frozen."""
    verdict = can_edit_programme(user)
    if not verdict or programme is None:
        return verdict
    return (
        ALLOW
        if _in_group(programme, "editable")
        else deny_state(
            _(
                "This work programme is %(status)s: its texts are frozen. "
                "Draft the next programme to change them."
            )
            % {"status": programme.get_status_display().lower()}
        )
    )


@rule("programme.view_consultation")
def can_view_consultation(user: Any, programme: Any = None) -> Verdict:
    """A programme in consultation is read by the Secretariat, the Permanent
    Correspondents and the Bureau (who are correspondents), not by the public."""
    r = roles.roles_of(user)
    return check(
        r.is_secretariat or r.is_correspondent or r.is_bureau,
        _("A draft in consultation is read by the Permanent Correspondents and the Bureau."),
    )


@rule("programme.comment")
def can_comment_programme(user: Any, programme: Any) -> Verdict:
    """Comments on a section: Permanent Correspondents, the Bureau and the Secretariat,
    while the programme is in consultation."""
    verdict = can_view_consultation(user, programme)
    if not verdict:
        return verdict
    if not _in_group(programme, "open_for_comment"):
        return deny_state(_("Comments are taken while the programme is in consultation."))
    return ALLOW


@rule("programme.view_versions")
def can_view_programme_versions(user: Any, programme: Any = None) -> Verdict:
    """The versions of a programme and their comparison: the Secretariat's."""
    return check(roles.is_secretariat(user), _("The Secretariat follows a draft's versions."))


# --- the work programme compiled as the Conference document ---------------------------


@rule("programme.compile_document")
def can_compile_work_programme(user: Any, programme: Any = None) -> Verdict:
    """The Secretariat compiles a work programme as the Conference document (a draft,
    to circulate before the Conference, as well as the adopted one)."""
    return check(
        roles.is_secretariat(user), _("The Secretariat compiles the work programme's document.")
    )


@rule("programme.view_documents")
def can_view_work_programme_documents(user: Any, programme: Any = None) -> Verdict:
    """The compiled documents and their jobs are for the portal's members; the public
    reads the programme's page."""
    r = roles.roles_of(user)
    return check(
        r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau,
        _("Only members read the compiled documents."),
    )

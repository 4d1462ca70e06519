"""The kinds of records a spreadsheet imports, by the name used in URLs and the command."""

from .activities import ActivityImport
from .annual import AnnualProgrammeImport
from .base import CREATED, REFUSED, UNCHANGED, UPDATED, ImportKind
from .member_states import MemberStateImport
from .proposals import ProposalImport

KINDS: dict[str, type[ImportKind]] = {
    kind.name: kind
    for kind in (
        ActivityImport,
        AnnualProgrammeImport,
        ProposalImport,
        MemberStateImport,
    )
}

__all__ = ["CREATED", "KINDS", "REFUSED", "UNCHANGED", "UPDATED", "ImportKind"]

"""Who may import past records: the Secretariat, who keeps the portal's data."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from pompidou.rules import Verdict, check, rule
from programme import roles


@rule("records.import")
def can_import_records(user: Any, obj: Any = None) -> Verdict:
    return check(roles.is_secretariat(user), _("Only the Secretariat imports records."))

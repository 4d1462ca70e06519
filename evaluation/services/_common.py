"""Helpers the evaluation's services share: numbers read from a form or a request."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


def decimal_or_error(
    value: Any, field: str, errors: dict[str, list[str]], minimum: Decimal | None = None
) -> Decimal | None:
    """``value`` as a Decimal, or None with a message under ``field`` in ``errors``."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        errors[field] = [_("Give a number.")]
        return None
    if minimum is not None and amount < minimum:
        errors[field] = [_("The amount cannot be negative.")]
    return amount


def unknown_fields(given: set[str], known: tuple[str, ...] | set[str]) -> str:
    return _("Unknown fields: %(f)s") % {"f": ", ".join(sorted(set(given) - set(known)))}

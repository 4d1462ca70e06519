"""A proposal created, or saved with its texts, gets its stored similar items computed
again once the save commits (connected in ``apps.py``: proposals does not know overlap)."""

from typing import Any

from .engine import PROPOSAL
from .tasks import request_similar

TEXTS = frozenset(PROPOSAL.fields)


def proposal_saved(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    if created or update_fields is None or TEXTS & set(update_fields):
        request_similar(instance.pk)

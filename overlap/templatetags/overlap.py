"""``{% similar_items proposal as similar %}``: the items most like a proposal that the
page's user may see, for the partials the proposal pages include (computed live, with
passages). ``{% similar_for_ranking rows as similar_by_pk %}`` then
``similar_by_pk|similar_of:proposal``: the stored ones of many proposals in one query,
for the ranking."""

from typing import Any

from django import template

from ..engine import SHOWN
from ..selectors import similar_to, stored_similar

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_items(context: Any, proposal: Any, limit: int = SHOWN) -> list:
    request = context.get("request")
    if proposal is None or not getattr(proposal, "pk", None) or request is None:
        return []
    return similar_to(request.user, proposal, limit=limit)


@register.simple_tag(takes_context=True)
def similar_for_ranking(context: Any, rows: Any, limit: int = 3) -> dict:
    """``rows``: proposals, or the ranking's rows (each with its ``proposal``)."""
    request = context.get("request")
    if request is None:
        return {}
    proposals = [getattr(row, "proposal", row) for row in rows]
    return stored_similar(request.user, proposals, limit=limit)


@register.filter
def similar_of(found: dict, proposal: Any) -> list:
    return found.get(getattr(proposal, "pk", proposal), [])

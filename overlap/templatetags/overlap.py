"""``{% similar_items proposal as similar %}``: the items most like a proposal that the
page's user may see, for the partials the proposal pages include."""

from typing import Any

from django import template

from ..engine import SHOWN
from ..selectors import similar_to

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_items(context: Any, proposal: Any, limit: int = SHOWN) -> list:
    request = context.get("request")
    if proposal is None or not getattr(proposal, "pk", None) or request is None:
        return []
    return similar_to(request.user, proposal, limit=limit)

"""What the pages about accounts read."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .erasure import PSEUDONYM_NAME


def accounts_to_erase(search: str = "") -> QuerySet[Any]:
    """Accounts not yet erased, by username, with their delegation; ``search`` looks
    in username, names and e-mail."""
    users = (
        get_user_model()
        .objects.exclude(first_name=PSEUDONYM_NAME, is_active=False)
        .select_related("profile__member_state")
        .prefetch_related("groups")
        .order_by("username")
    )
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return users

"""The portal's roles, in one place. Every view, API permission and template asks here.

Roles are Django groups (``secretariat``, ``correspondent``, ``expert``); a Bureau
member is a correspondent with a current ``BureauMandate``. The answers are
cached on the user object, so a page asks the database once per request.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser, Group

SECRETARIAT = "secretariat"
CORRESPONDENT = "correspondent"
EXPERT = "expert"
GROUPS = (SECRETARIAT, CORRESPONDENT, EXPERT)
# What `create_account --role` accepts: the groups plus "bureau" (a correspondent
# who also holds a mandate).
ACCOUNT_ROLES = (SECRETARIAT, CORRESPONDENT, "bureau", EXPERT)


@dataclass(frozen=True)
class Roles:
    groups: frozenset[str] = field(default_factory=frozenset)
    member_state_id: int | None = None
    member_state_code: str | None = None
    bureau_offices: tuple[str, ...] = ()

    @property
    def is_secretariat(self) -> bool:
        return SECRETARIAT in self.groups

    @property
    def is_correspondent(self) -> bool:
        return CORRESPONDENT in self.groups

    @property
    def is_expert(self) -> bool:
        return EXPERT in self.groups

    @property
    def is_bureau(self) -> bool:
        return bool(self.bureau_offices)


_ANONYMOUS = Roles()


def roles_of(user, on: date | None = None) -> Roles:
    """The roles of a user (today's Bureau unless ``on`` is given); anonymous has none."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return _ANONYMOUS
    if on is None and hasattr(user, "_portal_roles"):
        return user._portal_roles
    from .models import BureauMandate, Profile

    groups = frozenset(user.groups.filter(name__in=GROUPS).values_list("name", flat=True))
    profile = (
        Profile.objects.filter(user=user)
        .select_related("member_state")
        .only("member_state__id", "member_state__code")
        .first()
    )
    state = profile.member_state if profile else None
    offices = tuple(
        BureauMandate.objects.filter(user=user).current(on).values_list("office", flat=True)
    )
    roles = Roles(groups, state.id if state else None, state.code if state else None, offices)
    if on is None:
        user._portal_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after a change of groups, profile or mandate)."""
    if hasattr(user, "_portal_roles"):
        del user._portal_roles


def is_secretariat(user) -> bool:
    return roles_of(user).is_secretariat


def is_correspondent(user) -> bool:
    return roles_of(user).is_correspondent


def is_expert(user) -> bool:
    return roles_of(user).is_expert


def is_bureau_member(user, on: date | None = None) -> bool:
    return roles_of(user, on).is_bureau


def member_state_id_of(user) -> int | None:
    return roles_of(user).member_state_id


def ensure_groups() -> dict[str, Group]:
    """Create the role groups if missing (also done by a data migration): one query
    when they exist, as they do once migrated."""
    groups = {group.name: group for group in Group.objects.filter(name__in=GROUPS)}
    if len(groups) < len(GROUPS):
        Group.objects.bulk_create(
            [Group(name=name) for name in GROUPS if name not in groups], ignore_conflicts=True
        )
        groups = {group.name: group for group in Group.objects.filter(name__in=GROUPS)}
    return {name: groups[name] for name in GROUPS}


# The Secretariat keeps the back office: every model of the portal's apps, and
# the accounts of delegates.
SECRETARIAT_APPS = ("programme", "activities", "proposals", "evaluation")


def grant_secretariat_permissions(**kwargs) -> None:
    """Give the secretariat group every permission of the portal's apps (after migrate)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    group = ensure_groups()[SECRETARIAT]
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=SECRETARIAT_APPS)
        | Q(content_type__app_label="auth", content_type__model__in=["user", "group"])
        | Q(content_type__app_label="authtoken")
        # The one history: read, never written by hand.
        | Q(content_type__app_label="pompidou", codename="view_auditevent")
        # The emblem on the compiled documents' covers.
        | Q(
            content_type__app_label="pompidou",
            codename__in=[
                "view_documentsettings",
                "change_documentsettings",
                "add_documentsettings",
            ],
        )
    )
    group.permissions.add(*perms)

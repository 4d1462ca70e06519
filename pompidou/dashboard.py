"""The dashboard: what each role has to do, one function per role.

Each function returns a list of ``Item``; the page shows one section per role
the user holds. Later apps add their tasks by extending these functions.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from programme import roles
from programme.models import WorkProgramme
from programme.selectors import current_bureau, member_state_counts


@dataclass(frozen=True)
class Item:
    label: str
    count: int | None = None
    url: str | None = None
    attention: bool = False  # something waits for this user


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]


def _programme_items() -> list[Item]:
    wp = (
        WorkProgramme.objects.in_force()
        .annotate(
            n_priorities=Count("priorities", distinct=True),
            n_formats=Count("formats", distinct=True),
        )
        .first()
    )
    if wp is None:
        return [Item(_("No work programme is in force."), attention=True)]
    url = reverse("programme:current")
    return [
        Item(
            _("Thematic priorities of %(ref)s") % {"ref": wp.reference},
            wp.n_priorities,
            f"{url}#priorities",
        ),
        Item(_("Activity formats"), wp.n_formats, f"{url}#formats"),
    ]


def _bureau_item() -> Item:
    return Item(_("Bureau members in office"), current_bureau().count(), reverse("bureau"))


def _member_state_items() -> list[Item]:
    counts = member_state_counts()
    return [
        Item(_("Member states"), counts["members"]),
        Item(_("MedNET partners"), counts["partners"]),
    ]


def _activity_items() -> list[Item]:
    from activities import selectors as activities

    items = []
    overdue = activities.overdue_milestones().count()
    items.append(
        Item(_("Milestones overdue"), overdue, reverse("activities:list"), attention=bool(overdue))
    )
    for ap in activities.draft_programmes_over_ceiling().order_by("year"):
        items.append(
            Item(
                _("Draft annual programme %(year)s is over its budget ceiling") % {"year": ap.year},
                None,
                reverse("annual_programmes:detail", args=[ap.year]),
                attention=True,
            )
        )
    return items


def secretariat_items(user) -> list[Item]:
    return [*_activity_items(), *_programme_items(), _bureau_item(), *_member_state_items()]


def correspondent_items(user) -> list[Item]:
    return [*_programme_items(), _bureau_item()]


def bureau_items(user) -> list[Item]:
    return [_bureau_item()]


def expert_items(user) -> list[Item]:
    return _programme_items()


def sections_for(user) -> list[Section]:
    r = roles.roles_of(user)
    sections = []
    if r.is_secretariat:
        sections.append(Section(_("Secretariat"), secretariat_items(user)))
    if r.is_bureau:
        sections.append(Section(_("Bureau"), bureau_items(user)))
    if r.is_correspondent:
        sections.append(Section(_("Permanent Correspondent"), correspondent_items(user)))
    if r.is_expert:
        sections.append(Section(_("Expert"), expert_items(user)))
    if not sections:
        sections.append(Section(_("The work programme"), _programme_items()))
    return sections

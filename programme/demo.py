"""Demo accounts for every role, and the meetings of 2015–2018 (``load_demo``)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import BureauMandate, Meeting, PermanentFormat, ThematicPriority, WorkProgramme
from .services import account_create

DEMO_PASSWORD = "pompidou-demo"  # noqa: S105 (documented in the README; demo data only)

# username, role, member state, office, first name, last name
ACCOUNTS = [
    ("secretariat", "secretariat", None, None, "Sophie", "Laurent"),
    ("pc_fr", "correspondent", "FR", None, "Claire", "Dubois"),
    ("pc_de", "correspondent", "DE", None, "Jonas", "Weber"),
    ("pc_es", "correspondent", "ES", None, "Lucía", "García"),
    ("pc_pl", "correspondent", "PL", None, "Piotr", "Nowak"),
    ("pc_pt", "correspondent", "PT", None, "Inês", "Ferreira"),
    ("pc_ma", "correspondent", "MA", None, "Youssef", "Benali"),
    ("bureau_chair", "bureau", "NO", "chair", "Ingrid", "Hansen"),
    ("bureau_vice", "bureau", "IT", "vice_chair", "Marco", "Rossi"),
    ("bureau_be", "bureau", "BE", "field_coordinator", "Luc", "Peeters"),
    ("bureau_nl", "bureau", "NL", "field_coordinator", "Anouk", "de Vries"),
    ("bureau_ch", "bureau", "CH", "field_coordinator", "Martina", "Keller"),
    ("bureau_se", "bureau", "SE", "field_coordinator", "Erik", "Lindqvist"),
    ("bureau_ie", "bureau", "IE", "field_coordinator", "Siobhán", "Murphy"),
    ("bureau_cz", "bureau", "CZ", "field_coordinator", "Tomáš", "Novák"),
    ("expert_health", "expert", None, None, "Helena", "Varga"),
    ("expert_justice", "expert", None, None, "Daniel", "Okafor"),
]

# What each field co-ordinator supervises: priorities and formats by number.
SUPERVISION = {
    "bureau_chair": (["3.1"], []),
    "bureau_vice": (["3.2"], ["4.1"]),
    "bureau_be": (["3.3"], ["4.2", "4.3"]),
    "bureau_nl": (["3.4"], ["4.7"]),
    "bureau_ch": ([], ["4.4"]),
    "bureau_se": ([], ["4.5", "4.6"]),
    "bureau_ie": ([], ["4.8"]),
    "bureau_cz": ([], ["4.9"]),
}

# The PC plenaries (spring and autumn) and Bureau meetings of 2015–2018.
PC_MEETINGS = [
    (76, date(2015, 5, 19)),
    (77, date(2015, 11, 24)),
    (78, date(2016, 6, 7)),
    (79, date(2016, 11, 29)),
    (80, date(2017, 5, 30)),
    (81, date(2017, 11, 28)),
    (82, date(2018, 6, 5)),
    (83, date(2018, 11, 27)),
]


@transaction.atomic
def load_demo_accounts(stdout=None) -> int:
    User = get_user_model()
    created = []
    mandate_start = date(2015, 1, 1)
    for username, role, state, office, first, last in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        account_create(
            username=username,
            role=role,
            member_state_code=state,
            office=office,
            email=f"{username}@pompidou.example",
            password=None,
            first_name=first,
            last_name=last,
            mandate_start=mandate_start,
        )
        created.append(username)
    # One hash for all (hashing is deliberately slow; the demo password is shared).
    User.objects.filter(username__in=created).update(password=make_password(DEMO_PASSWORD))
    wp = WorkProgramme.objects.in_force().first()
    if wp:
        for username, (priorities, formats) in SUPERVISION.items():
            mandate = BureauMandate.objects.filter(user__username=username).first()
            if (
                mandate
                and not mandate.supervised_priorities.exists()
                and not (mandate.supervised_formats.exists())
            ):
                mandate.supervised_priorities.set(
                    ThematicPriority.objects.filter(work_programme=wp, number__in=priorities)
                )
                mandate.supervised_formats.set(
                    PermanentFormat.objects.filter(work_programme=wp, number__in=formats)
                )
    for number, day in PC_MEETINGS:
        Meeting.objects.get_or_create(
            kind=Meeting.Kind.PC_PLENARY,
            number=number,
            defaults={"date": day, "place": "Strasbourg"},
        )
    return len(created)

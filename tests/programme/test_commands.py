from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from programme import roles
from programme.models import BureauMandate

User = get_user_model()


def test_create_account_onboards_a_correspondent_with_a_one_time_link(states):
    out = StringIO()
    call_command(
        "create_account",
        "pc_es",
        "--role",
        "correspondent",
        "--member-state",
        "es",
        "--email",
        "pc@es.example",
        stdout=out,
    )
    user = User.objects.get(username="pc_es")
    assert roles.is_correspondent(user)
    assert roles.roles_of(user).member_state_code == "ES"
    assert not user.has_usable_password()
    assert "/accounts/reset/" in out.getvalue()


def test_create_account_makes_a_bureau_member_a_correspondent_with_a_mandate(states):
    call_command(
        "create_account",
        "vice",
        "--role",
        "bureau",
        "--member-state",
        "IT",
        "--office",
        "vice-chair",
        "--password",
        "a-long-pass-phrase-9",
        stdout=StringIO(),
    )
    user = User.objects.get(username="vice")
    assert roles.is_bureau_member(user) and roles.is_correspondent(user)
    assert BureauMandate.objects.get(user=user).office == "vice_chair"
    assert user.check_password("a-long-pass-phrase-9")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "minister"], "role: Unknown role 'minister'"),
        (["--role", "correspondent", "--member-state", "ZZ"], "No member state has the ISO code"),
        (["--role", "correspondent"], "needs a member state"),
        (["--role", "bureau", "--office", "chair"], "needs a member state"),
        (["--role", "bureau", "--member-state", "FR"], "needs an office"),
        (["--role", "expert", "--office", "chair"], "Only a Bureau member holds an office"),
        (["--role", "expert", "--password", "123"], "password:"),
    ],
)
def test_create_account_refuses_bad_input_and_creates_nothing(states, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_account", "newcomer", *args, stdout=StringIO())
    assert not User.objects.filter(username="newcomer").exists()
    assert not BureauMandate.objects.exists()


def test_create_account_refuses_a_taken_username(pc_fr):
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_account", "PC_FR", "--role", "expert", stdout=StringIO())


def test_load_demo_creates_a_full_bureau_and_every_role_idempotently(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert BureauMandate.objects.current().count() == 8
    offices = sorted(BureauMandate.objects.current().values_list("office", flat=True))
    assert offices == ["chair"] + ["field_coordinator"] * 6 + ["vice_chair"]
    assert User.objects.filter(groups__name="secretariat").count() == 1
    assert User.objects.filter(groups__name="expert").count() == 2
    assert User.objects.get(username="secretariat").check_password("pompidou-demo")
    assert BureauMandate.objects.get(user__username="bureau_be").supervised_formats.count() == 2


def test_load_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
    call_command("load_demo", "--force", stdout=StringIO())
    assert User.objects.filter(username="secretariat").exists()

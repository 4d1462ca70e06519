from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from programme import roles


def test_anonymous_has_no_role():
    r = roles.roles_of(AnonymousUser())
    assert not (r.is_secretariat or r.is_correspondent or r.is_expert or r.is_bureau)


def test_each_persona_has_exactly_its_roles(personas):
    expected = {
        "secretariat": (True, False, False, False, None),
        "pc_fr": (False, True, False, False, "FR"),
        "pc_de": (False, True, False, False, "DE"),
        "bureau_chair": (False, True, False, True, "NO"),
        "expert": (False, False, True, False, None),
        "outsider": (False, False, False, False, None),
    }
    for name, (secretariat, correspondent, expert, bureau, state) in expected.items():
        r = roles.roles_of(personas[name])
        assert (
            r.is_secretariat,
            r.is_correspondent,
            r.is_expert,
            r.is_bureau,
            r.member_state_code,
        ) == (secretariat, correspondent, expert, bureau, state), name


def test_bureau_membership_follows_the_mandate_dates(bureau_chair):
    mandate = bureau_chair.bureau_mandates.get()
    mandate.end_date = date(2018, 12, 31)
    mandate.save()
    roles.forget_roles(bureau_chair)
    assert roles.is_bureau_member(bureau_chair, on=date(2016, 1, 1))
    assert not roles.is_bureau_member(bureau_chair, on=date(2019, 1, 1))
    assert not roles.is_bureau_member(bureau_chair, on=date(2014, 1, 1))


def test_roles_are_read_once_per_user_object(pc_fr, django_assert_num_queries):
    roles.forget_roles(pc_fr)
    # groups, profile with its member state, current mandates
    with django_assert_num_queries(3):
        roles.roles_of(pc_fr)
        roles.is_correspondent(pc_fr)
        roles.member_state_id_of(pc_fr)


@pytest.mark.django_db
def test_secretariat_group_holds_the_back_office_permissions(secretariat):
    assert secretariat.is_staff
    assert secretariat.has_perm("programme.change_thematicpriority")
    assert secretariat.has_perm("auth.add_user")

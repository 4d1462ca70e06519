"""The member states' back office: a state is its ISO code; the names follow from it."""

import pytest

from programme.models import MemberState

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123")
    client.force_login(user)
    return client


def test_a_state_added_by_its_code_gets_its_iso_names_in_both_languages(admin_client_):
    MemberState.objects.filter(code="AE").delete()
    response = admin_client_.post(
        "/en/admin/programme/memberstate/add/",
        {"code": "ae", "status": "observer", "joined_year": "", "left_year": "", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    state = MemberState.objects.get(code="AE")
    assert (state.name_en, state.name_fr) == ("United Arab Emirates", "Émirats arabes unis")
    page = admin_client_.get(f"/en/admin/programme/memberstate/{state.pk}/change/")
    text = page.content.decode()
    assert "United Arab Emirates" in text and "Émirats arabes unis" in text
    assert 'name="name_fr"' not in text  # shown, not typed


def test_an_unknown_code_is_refused_on_the_code_field_and_nothing_is_written(admin_client_):
    before = MemberState.objects.count()
    response = admin_client_.post(
        "/en/admin/programme/memberstate/add/",
        {"code": "XQ", "status": "member", "joined_year": "", "left_year": "", "note": ""},
    )
    assert response.status_code == 200
    assert "XQ is not an ISO 3166-1 country code." in response.content.decode()
    assert MemberState.objects.count() == before

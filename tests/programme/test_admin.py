import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import client_for

PORTAL_APPS = {"programme", "activities", "proposals", "evaluation", "pompidou"}


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


MODELS = [m for m in admin.site._registry if m._meta.app_label in PORTAL_APPS]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_secretariat_opens_every_admin_page_and_a_pc_is_sent_away(
    model, programme, secretariat, pc_fr
):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    staff = client_for(secretariat)
    assert staff.get(changelist).status_code == 200
    assert staff.get(changelist, {"q": "drug"}).status_code == 200
    model_admin = admin.site._registry[model]
    expected_add = 200 if model_admin.has_add_permission(_request(secretariat)) else 403
    assert staff.get(add).status_code == expected_add
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff.get(change).status_code == 200
    response = client_for(pc_fr).get(changelist)
    assert response.status_code == 302  # the admin's own login, for staff only
    assert client_for(None).get(changelist).status_code == 302


def test_every_programme_model_is_in_the_admin():
    from django.apps import apps

    registered = {m._meta.model_name for m in MODELS}
    inline_only = {
        "programmeaim",
        "priorityaim",
        "formataim",
        "formatobjective",
        "formatexpectedresult",
    }
    for model in apps.get_app_config("programme").get_models():
        assert model._meta.model_name in registered | inline_only, model

"""Indicators with their measurements and impact assessments through REST API v1: who
may read and write each, what a bad request answers, the filters, the query budgets and
the schema."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from evaluation import services
from evaluation.models import (
    ImpactAssessment,
    Indicator,
    Measurement,
)
from tests.activities.factories import ActivityFactory
from tests.conftest import answer, client_as

from .factories import IMPACT, INDICATORS, PERSONAS, refused

D = Decimal


# --- indicators ---------------------------------------------------------------------


@pytest.fixture
def indicator(activity, pc_fr):
    indicator = services.indicator_add(
        activity=activity, actor=pc_fr, name="Officers trained", baseline=0, target=100
    )
    services.measurement_add(indicator=indicator, actor=pc_fr, date=dt.date(2016, 6, 1), value=40)
    services.measurement_add(indicator=indicator, actor=pc_fr, date=dt.date(2016, 12, 1), value=120)
    return indicator


def indicator_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "name": "Customs officers trained",
        "unit": "people",
        "baseline": "0",
        "target": "200",
        "direction": "higher",
        **fields,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicators_with_their_measurements_are_read_by_every_portal_role(
    personas, indicator, persona
):
    client = client_as(personas[persona])
    listed = client.get(INDICATORS)
    detail = client.get(f"{INDICATORS}{indicator.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed, persona) and refused(detail, persona)
    else:
        assert [row["id"] for row in answer(listed)["results"]] == [indicator.pk]
        body = answer(detail)
        assert [(m["date"], m["value"]) for m in body["measurements"]] == [
            ("2016-06-01", "40.00"),
            ("2016-12-01", "120.00"),
        ]
        assert body["reached"] is True  # the latest, 120, reaches the target of 100


def test_indicators_filter_by_activity(indicator, german_activity, pc_de, secretariat):
    german = services.indicator_add(
        activity=german_activity,
        actor=pc_de,
        name="Seizures",
        baseline=10,
        target=5,
        direction="lower",
    )
    client = client_as(secretariat)
    rows = answer(client.get(INDICATORS, {"activity": german_activity.reference}))["results"]
    assert [(row["id"], row["reached"], row["measurements"]) for row in rows] == [
        (german.pk, None, [])
    ]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_and_the_lead_state_add_indicators(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(
        INDICATORS, indicator_body(activity), format="json"
    )
    if allowed:
        body = answer(response, 201)
        assert (body["activity"], body["name"], body["target"], body["measurements"]) == (
            activity.reference,
            "Customs officers trained",
            "200.00",
            [],
        )
        assert Indicator.objects.count() == 1
    else:
        assert refused(response, persona)
        assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"baseline": "none"}, "baseline"),
        ({"target": None}, "target"),
        ({"direction": "up"}, "direction"),
        ({"activity": "PG-1999-999"}, "activity"),
    ],
)
def test_a_bad_indicator_is_a_400_naming_the_field_and_adds_nothing(activity, pc_fr, fields, field):
    response = client_as(pc_fr).post(INDICATORS, indicator_body(activity, **fields), format="json")
    assert field in answer(response, 400)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", True),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_and_the_lead_state_record_measurements(
    personas, indicator, persona, allowed
):
    response = client_as(personas[persona]).post(
        f"{INDICATORS}{indicator.pk}/measurements/",
        {"date": "2017-03-01", "value": "150", "note": "Second wave."},
        format="json",
    )
    if allowed:
        body = answer(response, 201)
        assert body["measurements"][-1] == {
            "id": Measurement.objects.latest("id").pk,
            "date": "2017-03-01",
            "value": "150.00",
            "note": "Second wave.",
        }
        assert indicator.measurements.count() == 3
    else:
        assert refused(response, persona)
        assert indicator.measurements.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": str(dt.date.today() + dt.timedelta(days=3))}, "date"),  # not yet measured
        ({"date": "yesterday"}, "date"),
        ({"value": "many"}, "value"),
    ],
)
def test_a_bad_measurement_is_a_400_naming_the_field_and_records_nothing(
    indicator, pc_fr, fields, field
):
    body = {"date": "2017-03-01", "value": "150", **fields}
    response = client_as(pc_fr).post(
        f"{INDICATORS}{indicator.pk}/measurements/", body, format="json"
    )
    assert field in answer(response, 400)
    assert indicator.measurements.count() == 2


def test_the_indicator_list_answers_in_a_constant_number_of_queries(
    programme, states, pc_fr, django_assert_num_queries
):
    client = client_as(pc_fr)
    for total in (3, 30):
        while Indicator.objects.count() < total:
            a = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
            ind = services.indicator_add(activity=a, actor=pc_fr, name="N", baseline=0, target=5)
            for day in (1, 2):
                services.measurement_add(
                    indicator=ind, actor=pc_fr, date=dt.date(2016, 5, day), value=day
                )
        # 1 session, 2 user, 3–5 roles, 6 the sync watermark with the last deletion,
        # 7 the newest change and count (ETag), 8 count, 9 the page's indicators with
        # their activity, 10 their measurements, 11–13 the session renewed
        with django_assert_num_queries(13):
            body = answer(client.get(INDICATORS, {"page_size": 500}))
        assert body["count"] == total
        assert all(len(row["measurements"]) == 2 for row in body["results"])


# --- impact assessments -------------------------------------------------------------


@pytest.fixture
def assessment(activity, secretariat):
    return services.impact_assessment_record(
        activity=activity,
        actor=secretariat,
        date=dt.date(2017, 12, 1),
        method="Survey of participants",
        findings="Used in two national plans.",
        rating=4,
    )


def impact_body(activity, /, **fields) -> dict:
    return {
        "activity": activity.reference,
        "date": "2017-12-01",
        "method": "Interviews",
        "findings": "Practices changed in three services.",
        "rating": 4,
        **fields,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_impact_assessments_are_read_by_every_portal_role(personas, assessment, persona):
    client = client_as(personas[persona])
    listed = client.get(IMPACT)
    detail = client.get(f"{IMPACT}{assessment.pk}/")
    if persona in ("outsider", "anonymous"):
        assert refused(listed, persona) and refused(detail, persona)
    else:
        assert [row["id"] for row in answer(listed)["results"]] == [assessment.pk]
        body = answer(detail)
        assert (body["activity"], body["rating"], body["recorded_by"], body["evidence"]) == (
            assessment.activity.reference,
            4,
            "secretariat",
            None,
        )


def test_impact_assessments_filter_by_activity(assessment, german_activity, secretariat):
    theirs = services.impact_assessment_record(
        activity=german_activity,
        actor=secretariat,
        date=dt.date(2016, 12, 1),
        method="m",
        findings="f",
        rating=3,
    )
    rows = answer(client_as(secretariat).get(IMPACT, {"activity": german_activity.reference}))[
        "results"
    ]
    assert [row["id"] for row in rows] == [theirs.pk]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretariat", True),
        ("pc_fr", False),
        ("pc_de", False),
        ("bureau_chair", False),
        ("expert", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_secretariat_records_impact_assessments(personas, activity, persona, allowed):
    response = client_as(personas[persona]).post(IMPACT, impact_body(activity), format="json")
    if allowed:
        body = answer(response, 201)
        assert (body["method"], body["rating"], body["evidence"]) == ("Interviews", 4, None)
        assert ImpactAssessment.objects.get().recorded_by == personas["secretariat"]
    else:
        assert refused(response, persona)
        assert not ImpactAssessment.objects.exists()


def test_an_impact_assessment_with_its_evidence_is_sent_as_multipart(
    activity, secretariat, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = SimpleUploadedFile("survey.pdf", b"%PDF-1.4 survey results", "application/pdf")
    response = client_as(secretariat).post(
        IMPACT, impact_body(activity, evidence=evidence), format="multipart"
    )
    body = answer(response, 201)
    stored = ImpactAssessment.objects.get()
    # The address is the protected download, never the storage's /media/ one.
    assert body["evidence"] == f"http://testserver/api/v1/impact-assessments/{stored.pk}/evidence/"
    assert stored.evidence.read().startswith(b"%PDF-")
    assert stored.evidence_name == "survey.pdf" and "survey" not in stored.evidence.name
    download = client_as(secretariat).get(body["evidence"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("fields", "field", "fmt"),
    [
        ({"rating": 6}, "rating", "json"),
        ({"rating": 0}, "rating", "json"),
        ({"method": ""}, "method", "json"),
        ({"findings": " "}, "findings", "json"),
        ({"date": "someday"}, "date", "json"),
        ({"activity": "PG-1999-999"}, "activity", "json"),
        (
            {"evidence": SimpleUploadedFile("e.pdf", b"not really a pdf", "application/pdf")},
            "evidence",
            "multipart",
        ),
        (
            {"evidence": SimpleUploadedFile("e.html", b"%PDF-1.4 a PDF named .html", "text/html")},
            "evidence",
            "multipart",
        ),
    ],
)
def test_a_bad_impact_assessment_is_a_400_naming_the_field_and_records_nothing(
    activity, secretariat, settings, tmp_path, fields, field, fmt
):
    settings.MEDIA_ROOT = tmp_path
    response = client_as(secretariat).post(IMPACT, impact_body(activity, **fields), format=fmt)
    assert field in answer(response, 400)
    assert not ImpactAssessment.objects.exists()
    assert not any(tmp_path.iterdir())


def test_the_impact_assessment_list_answers_in_a_constant_number_of_queries(
    programme, secretariat, expert, django_assert_num_queries
):
    client = client_as(expert)
    for total in (3, 30):
        while ImpactAssessment.objects.count() < total:
            services.impact_assessment_record(
                activity=ActivityFactory(work_programme=programme),
                actor=secretariat,
                date=dt.date(2017, 1, 1),
                method="m",
                findings="f",
                rating=3,
            )
        # 1 session, 2 user, 3–5 roles, 6 the sync watermark with the last deletion,
        # 7 the newest change and count (ETag), 8 count, 9 the page's assessments
        # with activity and recorder, 10–12 the session renewed
        with django_assert_num_queries(12):
            body = answer(client.get(IMPACT, {"page_size": 500}))
        assert body["count"] == total


# --- the schema ---------------------------------------------------------------------


def test_the_schema_documents_every_evaluation_endpoint(db):
    paths = answer(APIClient().get("/api/schema/", {"format": "json"}))["paths"]
    for path in (
        "/api/v1/progress-reports/",
        "/api/v1/progress-reports/{id}/",
        "/api/v1/progress-reports/{id}/review/",
        "/api/v1/progress-reports/{id}/accept/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/",
        "/api/v1/indicators/{id}/measurements/",
        "/api/v1/feedback-requests/",
        "/api/v1/feedback-requests/{id}/",
        "/api/v1/feedback-requests/{id}/responses/",
        "/api/v1/impact-assessments/",
        "/api/v1/impact-assessments/{id}/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/progress-reports/{id}/"]) == {"get", "patch"}
    listed = {p["name"] for p in paths["/api/v1/progress-reports/"]["get"]["parameters"]}
    assert {"activity", "period", "status"} <= listed

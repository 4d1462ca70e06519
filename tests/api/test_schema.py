"""The OpenAPI schema documents what REST clients need: a tag per resource, examples on
every write, every error the endpoint can give, the media types of the files, and one
shape per feedback-request body."""

import pytest
from rest_framework.test import APIClient

from pompidou.schema import TAGS
from tests.conftest import answer

WRITES = ("post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_every_operation_has_one_tag_of_its_resource_and_the_tags_are_described(schema):
    names = [name for name, _description, _paths in TAGS]
    assert [tag["name"] for tag in schema["tags"]] == names
    assert all(tag["description"] for tag in schema["tags"])
    untagged = [
        f"{method} {path}: {op.get('tags')}"
        for method, path, op in operations(schema)
        if len(op.get("tags", [])) != 1 or op["tags"][0] not in names
    ]
    assert not untagged
    tagged = {op["tags"][0] for _method, _path, op in operations(schema)}
    assert tagged == set(names), "a tag with no operation"


def test_every_write_shows_an_example_of_its_request_and_of_its_answer(schema):
    missing = []
    for method, path, op in operations(schema):
        if method not in WRITES:
            continue
        # A JSON body (also readable as a form), or a multipart upload: one example.
        bodies = op.get("requestBody", {}).get("content", {})
        if bodies and not any(c.get("examples") for c in bodies.values()):
            missing.append(f"{method} {path}: request")
        for code, response in op["responses"].items():
            shown = any(c.get("examples") for c in response.get("content", {}).values())
            if code.startswith("2") and "content" in response and not shown:
                missing.append(f"{method} {path}: answer {code}")
    assert not missing


def test_every_operation_documents_the_shared_errors_it_can_give(schema):
    compile_ops = []
    for method, path, op in operations(schema):
        responses = op["responses"]
        assert "401" in responses, f"{method} {path}: a bad token is refused everywhere"
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"]
        assert "429" in responses, f"{method} {path}"
        if "{" in path:
            assert "404" in responses, f"{method} {path}"
        if method in WRITES:
            for code in ("400", "403", "413"):
                assert code in responses, f"{method} {path}: {code}"
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }
        if "202" in responses:
            compile_ops.append(f"{method} {path}")
            assert responses["503"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
    assert sorted(compile_ops) == [
        "get /api/v1/activities/export/",  # a long list: written by a worker
        "post /api/v1/annual-programmes/{year}/compile/",
        "post /api/v1/evaluation-reports/",
    ]


def test_public_reads_say_so_and_member_reads_answer_403(schema):
    public = schema["paths"]["/api/v1/activities/"]["get"]
    assert {} in public["security"]
    assert "403" not in public["responses"]
    private = schema["paths"]["/api/v1/proposals/"]["get"]
    assert {} not in private["security"]
    assert "403" in private["responses"]


def test_file_downloads_declare_their_media_types(schema):
    def media_types(path):
        return set(schema["paths"][path]["get"]["responses"]["200"]["content"])

    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert media_types("/api/v1/evaluation-reports/{id}/pdf/") == {"application/pdf"}
    assert media_types("/api/v1/annual-programme-documents/{id}/docx/") == {docx}
    assert {"application/pdf", docx} <= media_types(
        "/api/v1/proposals/{id}/attachments/{attachment_id}/"
    )
    assert "text/csv" in media_types("/api/v1/activities/export/")
    # A file answers whatever Accept says; JSON endpoints refuse what JSON cannot give.
    assert "406" not in schema["paths"]["/api/v1/evaluation-reports/{id}/pdf/"]["get"]["responses"]
    assert "406" in schema["paths"]["/api/v1/work-programmes/"]["get"]["responses"]


def test_a_feedback_request_body_matches_exactly_one_branch_of_its_schema(
    schema, secretariat, expert
):
    """Each branch requires ``kind`` with a value of its own, so no body can match two
    (the Secretariat's rows hold every field of the addressee's, and more)."""
    from tests.evaluation.factories import FeedbackRequestFactory

    components = schema["components"]["schemas"]
    for name in ("FeedbackRequestRow", "FeedbackRequestDetail"):
        union = components[name]
        assert union["discriminator"]["propertyName"] == "kind"
        for kind, ref in union["discriminator"]["mapping"].items():
            branch = components[ref.rsplit("/", 1)[1]]
            assert "kind" in branch["required"]
            assert branch["properties"]["kind"]["allOf"] == [{"type": "string", "enum": [kind]}]
        assert len(union["oneOf"]) == len(union["discriminator"]["mapping"]) == 2

    FeedbackRequestFactory()  # addressed to the experts
    for user, kind in [(secretariat, "results"), (expert, "addressee")]:
        client = APIClient()
        client.force_authenticate(user)
        row = answer(client.get("/api/v1/feedback-requests/"))["results"][0]
        assert row["kind"] == kind
        detail = answer(client.get(f"/api/v1/feedback-requests/{row['id']}/"))
        assert detail["kind"] == kind

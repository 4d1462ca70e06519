"""Property-based fuzzing of the public API against its own OpenAPI schema (in process, WSGI).

Fails on any 5xx and on any documented response whose body does not match the schema.
"""

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

PUBLIC_PATHS = (
    "/api/v1/work-programmes/",
    "/api/v1/thematic-priorities/",
    "/api/v1/permanent-formats/",
    "/api/v1/criteria/",
    "/api/v1/member-states/",
)


def _public_operations():
    from pompidou.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    return [
        op for op in operations if op.method.upper() == "GET" and op.path.startswith(PUBLIC_PATHS)
    ]


@pytest.mark.django_db(transaction=True)
def test_public_endpoints_never_fail_and_match_their_schema(programme, states):
    operations = _public_operations()
    # list and detail of each of the five public resources
    assert len(operations) == 10, [op.label for op in operations]
    for operation in operations:

        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
            )

        check()

"""Property-based fuzzing of the whole API against its own OpenAPI schema, as each role.

Every operation of /api/schema/ is called with requests Schemathesis generates from the
schema, as an anonymous caller and with the token of the Secretariat, a Permanent
Correspondent, a Bureau member and an expert, over the demo data (`load_demo`: proposals
in every state, activities, reports, feedback requests). Path parameters are, most of
the time, the ids of real objects, so the answers are not all 404s.

Every check of Schemathesis is on but one (see ``EXCLUDED``): no 5xx, every status,
content type and header documented, every JSON body valid against its schema. Each
request runs in a savepoint rolled back after it, so writes are allowed and no example
depends on another; the demo is loaded once per process, in a transaction rolled back at
the end of the module.

Time: ``MAX_EXAMPLES`` examples per operation and role (the CI budget; raise it with
``API_FUZZ_EXAMPLES`` to search longer).
"""

import os
from io import StringIO

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.core.parameters import ParameterLocation  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))

# A request that fits the schema may still break a rule of the work programme (a
# proposal in the wrong state, an end date before the start, a score for a criterion of
# another programme): that is a 400 by design, which this check calls a defect.
EXCLUDED = [positive_data_acceptance]

# How many operations answered at least one 2xx, at least: the fuzzing reaches the
# views' work, not only their refusals. Measured with 6 examples on the demo: 14, 32,
# 25, 28 and 27 (derandomized, so a run repeats the last one).
MIN_SUCCEEDED = {
    "anonymous": 12,
    "secretariat": 28,
    "correspondent": 22,
    "bureau": 24,
    "expert": 23,
}

ROLES = {
    "anonymous": None,
    "secretariat": "secretariat",
    "correspondent": "pc_fr",
    "bureau": "bureau_chair",
    "expert": "expert_health",
}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module in a transaction that is rolled back after
    it; each test's own transaction is a savepoint inside it."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", force=True, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def in_process_requests():
    """Requests served in this thread, on the test's connection: as Django's test
    client does, the connection is not closed at the start and end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def known_values() -> dict[tuple[str, str], list]:
    """Real values of the path parameters, by (resource, parameter name)."""
    from activities.models import Activity, AnnualProgramme, AnnualProgrammeDocument
    from evaluation.models import (
        EvaluationReport,
        FeedbackRequest,
        ImpactAssessment,
        Indicator,
        ProgressReport,
    )
    from programme.models import (
        AdoptionCriterion,
        MemberState,
        PermanentFormat,
        ThematicPriority,
        WorkProgramme,
    )
    from proposals.models import Proposal, ProposalAttachment, Support

    def ids(model, field="pk"):
        return list(model.objects.order_by(field).values_list(field, flat=True)[:40])

    return {
        ("activities", "reference"): ids(Activity, "reference"),
        ("annual-programmes", "year"): ids(AnnualProgramme, "year"),
        ("annual-programme-documents", "id"): ids(AnnualProgrammeDocument),
        ("criteria", "id"): ids(AdoptionCriterion),
        ("evaluation-reports", "id"): ids(EvaluationReport),
        ("feedback-requests", "id"): ids(FeedbackRequest),
        ("impact-assessments", "id"): ids(ImpactAssessment),
        ("indicators", "id"): ids(Indicator),
        ("member-states", "code"): ids(MemberState, "code"),
        ("permanent-formats", "id"): ids(PermanentFormat),
        ("progress-reports", "id"): ids(ProgressReport),
        ("proposals", "id"): ids(Proposal),
        ("proposals", "attachment_id"): ids(ProposalAttachment),
        ("proposals", "code"): sorted(
            set(Support.objects.values_list("member_state__code", flat=True))
        ),
        ("thematic-priorities", "id"): ids(ThematicPriority),
        ("work-programmes", "id"): ids(WorkProgramme),
    }


def _with_known_values(case, known, picks):
    """The case with, for each path parameter, a real value three times in four (not
    where the path is what a negative case breaks)."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return case
    resource = case.operation.path.split("/")[3]
    for (name, _value), pick in zip(sorted(case.path_parameters.items()), picks, strict=False):
        values = known.get((resource, name))
        if values and pick % 4:
            case.path_parameters[name] = values[pick % len(values)]
    return case


def fuzz(operation, *, headers: dict, known: dict) -> set[int]:
    """Call ``operation`` with ``MAX_EXAMPLES`` generated requests, each in a savepoint
    rolled back after it, validating every answer; the statuses it answered."""
    from django.core.cache import cache
    from django.db import transaction

    answered: set[int] = set()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        # Requests that fit the schema, and requests that break it (which must be
        # refused with a 4xx).
        case=st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)),
        picks=st.lists(st.integers(0, 10_000), min_size=2, max_size=2),
    )
    def check(case, picks):
        case = _with_known_values(case, known, picks)
        cache.clear()  # the rate limit's counters: each request on its own
        with transaction.atomic():
            try:
                response = case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
                answered.add(response.status_code)
            finally:
                transaction.set_rollback(True)

    check()
    return answered


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_answers_as_its_schema_says(role, demo_data, in_process_requests):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from pompidou.wsgi import application

    headers = {}
    if ROLES[role]:
        user = get_user_model().objects.get(username=ROLES[role])
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    known = known_values()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60, "the whole API"

    failures = []
    succeeded = []
    for operation in operations:
        try:
            answered = fuzz(operation, headers=headers, known=known)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - all in one run
            failures.append(f"{operation.label}:\n{exc}")
        else:
            if any(200 <= code < 300 for code in answered):
                succeeded.append(operation.label)

    assert not failures, f"{len(failures)} operations failed as {role}:\n\n" + "\n\n".join(failures)
    assert len(succeeded) >= MIN_SUCCEEDED[role], succeeded

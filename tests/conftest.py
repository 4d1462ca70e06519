"""What every test shares: the test database with the 2015–2018 work programme loaded
once per session, the personas (secretariat, pc_fr, pc_de, bureau_chair, expert,
outsider — logged in, no role — and anonymous) and the clients that log them in."""

import os
import random
from datetime import date

import pytest
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from programme.loader import load_work_programme
from programme.models import MemberState, WorkProgramme
from programme.services import account_create
from tests import n_plus_one
from tests.programme.factories import MemberStateFactory, UserFactory

PASSWORD = "persona-pass-4821"
PROGRAMME_2015_2018 = "P-PG/MinConf (2014) 4"


def load_session_data() -> None:
    """The reference data every test may read and none changes for good: the 2015–2018
    work programme (priorities, formats, criteria), as `make run` loads it."""
    load_work_programme()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the session data committed once (as Hypha
    does): each test runs in a transaction that rolls back to it. Loading the
    programme per test cost about a third of the suite's time."""
    with django_db_blocker.unblock():
        load_session_data()


def _is_transactional(item: pytest.Item) -> bool:
    # The same test as pytest-django's own (see _django_db_helper).
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    )
    names = getattr(item, "fixturenames", ())
    return bool(by_marker) or "transactional_db" in names or "live_server" in names


def pytest_fixture_post_finalizer(fixturedef, request):
    """A transactional test (``transactional_db``, ``live_server``, the real-worker
    and concurrency tests) ends with Django flushing every table, the session data
    with them: load it again, committed, for the tests that come after. Runs after
    the flush, since pytest calls this hook once the fixture's own teardown is done."""
    if fixturedef.argname != "_django_db_helper" or not _is_transactional(request.node):
        return
    from django.db import connections

    with request.config.stash[blocking_manager_key].unblock():
        load_session_data()
        # As Django leaves a transactional test: connections closed. Left open, the
        # one opened here may belong to the context of a browser test's event loop,
        # where the teardown of the test database would not see it to close it.
        connections.close_all()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With TEST_SHUFFLE_SEED set, run the tests in an order shuffled from that seed
    (after pytest-django's own ordering, which this undoes), to show that no test
    depends on another having run before it, or on the session data being intact."""
    seed = os.environ.get("TEST_SHUFFLE_SEED")
    if seed:
        random.Random(seed).shuffle(items)


@pytest.fixture
def programme(db) -> WorkProgramme:
    """The 2015–2018 work programme, loaded once per session from the repository's
    data file (see ``django_db_setup``)."""
    return WorkProgramme.objects.get(reference=PROGRAMME_2015_2018)


@pytest.fixture
def empty_database(db) -> None:
    """The database as the migrations leave it, for the tests of the loaders: the
    session's work programme is deleted inside the test's transaction, so it is back
    for the next test."""
    WorkProgramme.objects.all().delete()


@pytest.fixture
def states(db):
    return {
        code: MemberStateFactory(code=code, name=name)
        for code, name in [
            ("FR", "France"),
            ("DE", "Germany"),
            ("NO", "Norway"),
            ("IT", "Italy"),
            ("ES", "Spain"),
        ]
    }


def _persona(username, role, state=None, office=None):
    return account_create(
        username=username,
        role=role,
        member_state_code=state,
        office=office,
        password=PASSWORD,
        validate=False,
        mandate_start=date(2015, 1, 1),
    )


@pytest.fixture
def secretariat(states):
    return _persona("secretariat", "secretariat")


@pytest.fixture
def pc_fr(states):
    return _persona("pc_fr", "correspondent", "FR")


@pytest.fixture
def pc_de(states):
    return _persona("pc_de", "correspondent", "DE")


@pytest.fixture
def bureau_chair(states):
    return _persona("bureau_chair", "bureau", "NO", "chair")


@pytest.fixture
def expert(states):
    return _persona("expert", "expert")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


def client_for(user, *, raise_request_exception: bool = True) -> Client:
    """A page client logged in as ``user`` (anonymous for ``None``)."""
    client = Client(raise_request_exception=raise_request_exception)
    if user is not None:
        client.force_login(user)
    return client


def client_as(user):
    """A REST client logged in with a real session, so every request loads its user
    (and roles) afresh; anonymous for ``None``."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def answer(response, status: int = 200):
    """The JSON body of a response that must have exactly ``status``."""
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def token_client(user):
    """A REST client that sends the user's token (``Authorization: Token …``), no
    session; anonymous for ``None``."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    if user is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and compiled files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def personas(secretariat, pc_fr, pc_de, bureau_chair, expert, outsider):
    return {
        "secretariat": secretariat,
        "pc_fr": pc_fr,
        "pc_de": pc_de,
        "bureau_chair": bureau_chair,
        "expert": expert,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def member_state_fr(states) -> MemberState:
    return states["FR"]


n_plus_one.install()


@pytest.fixture(autouse=True)
def _n_plus_one_detection():
    """Every test runs with N+1 detection on (tests/n_plus_one.py): a relation loaded
    once per row in a page, an endpoint, a service or a task fails the test."""
    with n_plus_one.detecting():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery_unless_a_worker_test(request):
    """Tasks run in the test's process; the real-worker tests (marked ``worker``)
    send them to the broker instead."""
    from pompidou.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or previous
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language. A request to a /fr/ page activates
    French in the test's own thread (the test client serves it there), and
    ``reverse()`` in a later test would then build /fr/ addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the login lockout and the API throttles
    count there, and one test's failed logins must not lock the next test out."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _a_broker_database_per_process():
    """Each pytest-xdist process sends its tasks through its own Redis database.

    The real-worker and stack tests start Celery workers on the broker; two of them
    running at once in two processes (each on its own test database) would take
    each other's messages from one queue. With CELERY_BROKER_URL=redis://…/N, the
    process gwK uses database N+1+K (mod 16), for the tasks it sends and for the
    workers it starts (they inherit the environment)."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url.startswith("redis://") or not worker.startswith("gw"):
        yield
        return
    from urllib.parse import urlparse

    from pompidou.celery import app

    parsed = urlparse(url)
    base = int(parsed.path.strip("/") or 0)
    own = parsed._replace(path=f"/{(base + 1 + int(worker[2:])) % 16}").geturl()
    os.environ["CELERY_BROKER_URL"] = own
    app.conf.broker_url = own
    yield
    os.environ["CELERY_BROKER_URL"] = url

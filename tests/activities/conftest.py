import pytest

from tests.conftest import client_as


@pytest.fixture
def api():
    """An anonymous REST client."""
    return client_as(None)

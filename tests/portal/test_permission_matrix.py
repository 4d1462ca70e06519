"""The permission matrix as one table (issue 13, point 8): every URL pattern of the
portal × every role × the object it acts on, and the answer each role gets.

The rows live one table per app in ``tests/portal/matrix/``; a URL pattern without a
row (or a row for no URL) fails ``test_every_url_of_the_portal_has_a_row``. Every
refusal of an object-bearing URL is checked for the object's identifying text: a
403/404 that carries the data is a leak (the IDOR cells, ``IDOR`` in each table, ask
the detail URLs with an object the role may not see).

Speed: one world per table (not per row), one client per role, each request in a
transaction rolled back before the next, so a POST changes nothing the next role
meets.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.portal.matrix import (
    DENIED,
    ROLES,
    Row,
    activities,
    body,
    evaluation,
    meetings,
    outcome,
    portal,
    proposals,
    records,
    url_patterns,
)
from tests.portal.matrix.world import build

TABLES = {
    "proposals": proposals,
    "activities": activities,
    "evaluation": evaluation,
    "meetings": meetings,
    "portal": portal,
    "records": records,
}

# URL patterns no row covers, and why.
EXCLUDED = {
    # Django's own admin: staff-only by Django itself (non-staff are sent to its
    # login); the read-only back-office pages are tested in tests/programme/test_admin.py.
    "admin:",
    # Switches the language cookie and redirects: no data, no object, no role.
    "set_language",
}


def _excluded(name: str) -> bool:
    return any(name == e or (e.endswith(":") and name.startswith(e)) for e in EXCLUDED)


def test_every_url_of_the_portal_has_a_row():
    names = {name for name in url_patterns() if not _excluded(name)}
    rows = {name for table in TABLES.values() for name in table.TABLE}
    paths = {name for name in rows if name.startswith("/")}  # middleware answers (health)
    assert names - rows == set(), "a URL pattern without a row in tests/portal/matrix"
    assert rows - paths - names == set(), "a row for no URL pattern"
    for table in TABLES.values():
        assert {name for name, _target in table.IDOR} <= names


def test_the_rows_of_the_tables_do_not_overlap():
    seen: dict[str, str] = {}
    for app, table in TABLES.items():
        for name in table.TABLE:
            assert name not in seen, f"{name} in both {seen.get(name)} and {app}"
            seen[name] = app


@pytest.fixture
def world(personas, programme, states, media):
    return build(personas, programme, states)


def _address(name: str, row: Row, objects: dict) -> tuple[str, bool]:
    if name.startswith("/"):
        return name, False
    page, params = url_patterns()[name]
    given = objects[row.target]["kwargs"] if row.target else {}
    kwargs = {key: given[key] for key in params if key in given}
    with translation.override("en"):
        return reverse(name, kwargs=kwargs), page


def _ask(client, method: str, address: str, row: Row, *, page: bool):
    # Each role meets the same world: what one role's request changed (a submission,
    # a withdrawal, a login) is rolled back before the next one asks; the client's
    # cookies too, so its session is the one the database still holds.
    cookies = SimpleCookie()
    cookies.update(client.cookies)
    with transaction.atomic():
        if page or method in ("get", "head"):
            response = getattr(client, method)(address, row.data)
        else:
            response = getattr(client, method)(address, row.data, format="json")
        content = body(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, content


def _clients(users) -> dict[str, tuple[Client, APIClient]]:
    clients = {}
    for role in ROLES:
        page, api = Client(), APIClient()
        if role != "anonymous":
            page.force_login(users[role])
            api.force_login(users[role])
        clients[role] = (page, api)
    return clients


def _run(rows: dict, world) -> tuple[dict, list[str]]:
    users, objects = world
    clients = _clients(users)
    seen, leaks = {}, []
    for key, row in rows.items():
        name = key if isinstance(key, str) else key[0]
        address, page = _address(name, row, objects)
        secret = objects[row.target].get("secret") if row.target else None
        cells = {}
        for role in ROLES:
            client = clients[role][0 if page or name.startswith("/") else 1]
            response, content = _ask(client, row.method, address, row, page=page)
            cells[role] = outcome(response, page=page)
            if secret and cells[role] == DENIED and secret.encode() in content:
                leaks.append(f"{key} as {role}: {response.status_code} carries {secret!r}")
            if secret and row.shows and cells[role] == 200 and secret.encode() not in content:
                leaks.append(f"{key} as {role}: 200 without {secret!r} (a useless marker)")
        seen[key] = cells
    return seen, leaks


def _mismatches(rows: dict, seen: dict) -> dict:
    return {
        key: {
            role: (seen[key][role], "expected", want)
            for role, want in row.answers.items()
            if seen[key][role] != want
        }
        for key, row in rows.items()
        if seen[key] != row.answers
    }


@pytest.mark.parametrize("app", sorted(TABLES))
def test_each_role_gets_the_answer_of_the_table(world, app):
    """Every row as every role; then the IDOR cells: the detail URLs asked with the id
    of an object the role may not see answer 403 or 404 (or the login page), and no
    refusal carries the object's identifying text. One world for both."""
    table = TABLES[app]
    rows = {**table.TABLE, **table.IDOR}
    seen, leaks = _run(rows, world)
    assert _mismatches(rows, seen) == {}
    assert leaks == []

"""Run in a child process against one bench database (``python -m bench.probe``):
makes a session per role, resolves the endpoints (the list's last and middle pages,
a deep API page reached by following ``next`` links), and counts each endpoint's
queries once in process with the test client. Prints one JSON document."""

import json
import re
import signal
import sys
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.endpoints import ROLES, Endpoint, compile_year, resolve  # noqa: E402
from pompidou.listing import lists_changed  # noqa: E402

DEEP_FRACTION = 0.9
WALK_PAGE_SIZE = 500


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow


def clients() -> tuple[dict[str | None, Client], dict[str, str], str]:
    User = get_user_model()
    csrf = _get_new_csrf_string()
    out: dict[str | None, Client] = {None: Client()}
    cookies = {}
    for role, username in ROLES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.CSRF_COOKIE_NAME] = csrf
        out[role] = client
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out, cookies, csrf


def call(client: Client, e: Endpoint, csrf: str):
    if e.method == "POST":
        response = client.post(
            e.path, data=json.dumps(e.body), content_type="application/json", HTTP_X_CSRFTOKEN=csrf
        )
    else:
        response = client.get(e.path)
    size = 0
    if getattr(response, "streaming", False):
        for chunk in getattr(response, "streaming_content", ()):
            size += len(chunk)
    else:
        size = len(response.content)
    return response, size


def page_count(client: Client) -> int:
    """The number of pages of the activity list."""
    response = client.get("/en/activities/")
    page = (response.context or {}).get("page") if response.context is not None else None
    number = getattr(getattr(page, "paginator", None), "num_pages", None)
    if not number:
        found = [int(n) for n in re.findall(r"[?&]page=(\d+)", response.content.decode())]
        number = max(found, default=1)
    return int(number)


def deep_page(client: Client, limit: float) -> tuple[str, list[str]]:
    """Follow ``next`` from the first page (``WALK_PAGE_SIZE`` rows each) to about
    ``DEEP_FRACTION`` of the list, then ask that place for 100 rows."""
    url = f"/api/v1/activities/?page_size={WALK_PAGE_SIZE}"
    links = []
    started = time.monotonic()
    while url and time.monotonic() - started < limit:
        data = client.get(url).json()
        url = data.get("next")
        if url:
            parts = urlsplit(url)
            url = urlunsplit(("", "", parts.path, parts.query, ""))
            links.append(url)
    notes = [f"reached by following {len(links)} next links of {WALK_PAGE_SIZE} rows"]
    if url:
        notes.append(f"walk stopped after {limit:.0f} s")
    if not links:
        return "/api/v1/activities/?page_size=100", notes
    link = links[int(len(links) * DEEP_FRACTION) - 1 if len(links) > 1 else 0]
    parts = urlsplit(link)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    query["page_size"] = "100"
    if "page" in query:  # numbered pages: the same row, with pages of 100
        query["page"] = str((int(query["page"]) - 1) * WALK_PAGE_SIZE // 100 + 1)
    return urlunsplit(("", "", parts.path, urlencode(query), "")), notes


def main() -> None:
    limit = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    walk_limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    setup_test_environment()
    signal.signal(signal.SIGALRM, _alarm)
    by_role, cookies, csrf = clients()
    endpoints = resolve()
    results = []
    for e in endpoints:
        if e.name == "activity list, last page":
            e.path = f"/en/activities/?page={page_count(by_role[None])}"
        elif e.name == "activity list, middle page":  # the longest OFFSET either way
            e.path = f"/en/activities/?page={(page_count(by_role[None]) + 1) // 2}"
        elif e.name == "API activities, deep":
            e.path, e.notes = deep_page(by_role[None], walk_limit)
        client = by_role[e.role]
        row = e.to_dict()
        try:
            signal.alarm(int(limit))
            call(client, e, csrf)  # warm the caches the way a running server has them
            with CaptureQueriesContext(connection) as queries:
                started = time.monotonic()
                response, size = call(client, e, csrf)
                row["seconds"] = time.monotonic() - started
            row.update(status=response.status_code, queries=len(queries), bytes=size)
            lists_changed()  # what any save does: the cached lists and figures renewed
            with CaptureQueriesContext(connection) as queries:
                call(client, e, csrf)
            signal.alarm(0)
            row["queries_after_write"] = len(queries)
        except TooSlow:
            row.update(status=None, queries=None, bytes=None, too_slow=limit)
        results.append(row)
    print(
        "BENCH-RESULT "
        + json.dumps(
            {
                "endpoints": results,
                "cookies": cookies,
                "csrf": csrf,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "compile_year": compile_year(),
            }
        )
    )


if __name__ == "__main__":
    main()

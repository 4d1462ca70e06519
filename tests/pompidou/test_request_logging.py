"""Every request has an id: answered in X-Request-ID and written on each log line
of that request, as JSON on stdout with LOG_FORMAT=json."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pompidou.logging import RequestIdFilter, request_id_var

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    k: v
    for k, v in os.environ.items()
    if k == "PATH" or k.startswith(("LANG", "LC_", "HOME", "VIRTUAL_ENV"))
}

# One request through Django's test client in a fresh interpreter, as gunicorn
# would serve it; the script's own output goes to stderr so stdout holds only logs.
REQUEST_SCRIPT = """
import sys, django
django.setup()
from django.test import Client
response = Client().get("/en/accounts/login/", headers={"X-Request-ID": sys.argv[1]})
print(response.status_code, response.headers.get("X-Request-ID"), file=sys.stderr)
"""


def serve_one_request(request_id: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", REQUEST_SCRIPT, request_id],
        cwd=ROOT,
        env={**BASE, "DJANGO_SETTINGS_MODULE": "pompidou.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_log_format_json_a_request_writes_a_json_line_with_its_request_id():
    result = serve_one_request("nginx-4f2a9c1e", LOG_FORMAT="json")
    assert result.stderr.strip().splitlines()[-1] == "200 nginx-4f2a9c1e", result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    (access,) = [line for line in lines if line["logger"] == "pompidou.request"]
    assert access["request_id"] == "nginx-4f2a9c1e"
    assert access["message"] == "GET /en/accounts/login/ 200"
    assert (access["level"], access["method"], access["path"], access["status"]) == (
        "INFO",
        "GET",
        "/en/accounts/login/",
        200,
    )
    assert isinstance(access["duration_ms"], float) and "time" in access


def test_by_default_logs_are_plain_text_with_the_request_id():
    result = serve_one_request("dev-terminal-1")
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if "pompidou.request" in line]
    assert line.endswith("INFO pompidou.request [dev-terminal-1] GET /en/accounts/login/ 200")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_every_response_carries_a_request_id_generated_when_none_was_sent(client):
    first = client.get("/en/accounts/login/")
    second = client.get("/en/accounts/login/")
    assert len(first["X-Request-ID"]) == 32 and int(first["X-Request-ID"], 16) >= 0
    assert second["X-Request-ID"] != first["X-Request-ID"]


@pytest.mark.parametrize(
    "sent",
    ["abc", "x" * 129, "id\nFORGED LINE", "id with spaces", "ünïcode-id-123"],
)
def test_a_request_id_that_is_too_short_long_or_not_plain_is_replaced(client, sent):
    response = client.get("/en/accounts/login/", headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_a_plain_request_id_from_the_web_server_is_kept(client):
    response = client.get("/en/accounts/login/", headers={"X-Request-ID": "0f9e8d7c-6b5a"})
    assert response["X-Request-ID"] == "0f9e8d7c-6b5a"


def test_outside_a_request_log_lines_carry_a_dash():
    record = logging.LogRecord("celery", logging.INFO, __file__, 1, "task done", (), None)
    assert RequestIdFilter().filter(record) is True
    assert record.request_id == "-"
    token = request_id_var.set("inside-a-request")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
        RequestIdFilter().filter(record)
        assert record.request_id == "inside-a-request"
    finally:
        request_id_var.reset(token)


def test_a_task_queued_during_a_request_logs_under_that_requests_id():
    from types import SimpleNamespace

    from celery import signals

    from pompidou.logging import TASK_HEADER

    outside: dict = {}
    signals.before_task_publish.send(sender="t", headers=outside)
    assert outside == {}  # no request, no id

    token = request_id_var.set("req-queued-123")
    headers: dict = {}
    try:
        signals.before_task_publish.send(sender="t", headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {TASK_HEADER: "req-queued-123"}

    # On the worker: the id is the context of the task's lines, and only of them.
    task = SimpleNamespace(request=SimpleNamespace(**headers))
    signals.task_prerun.send(sender="task", task=task)
    assert request_id_var.get() == "req-queued-123"
    signals.task_postrun.send(sender="task", task=task)
    assert request_id_var.get() == "-"

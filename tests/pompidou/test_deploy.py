"""The production stack: nginx refuses oversized bodies with the portal's own limit
and serves files only through the portal's permission check; the compose file
validates with the example environment, which documents every variable the settings
read; its services wait for each other as the README says."""

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pompidou.lib.files import MAX_UPLOAD_REQUEST_BYTES

ROOT = Path(__file__).resolve().parents[2]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
ENV_EXAMPLE = ROOT / ".env.example"
READERS = {"env_str", "env_bool", "env_int", "env_list"}


def variables_read_by_settings() -> set[str]:
    """Every environment variable pompidou/settings.py reads, by the strict readers or
    os.environ / os.getenv, found in its syntax tree (no need to import it)."""
    tree = ast.parse((ROOT / "pompidou" / "settings.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        if called in READERS or (owner, called) in {("os.environ", "get"), ("os", "getenv")}:
            first = node.args[0]
            assert isinstance(first, ast.Constant), ast.unparse(node)
            names.add(first.value)
    for node in ast.walk(tree):  # os.environ["X"]
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(ast.literal_eval(node.slice))
    return names


def example_variables() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


@pytest.fixture(scope="module")
def compose() -> dict:
    """The stack as compose resolves it with the example environment."""
    command = compose_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("CI validates the compose file: install docker-compose (apt).")
        pytest.skip("neither docker-compose nor docker compose is installed")
    result = subprocess.run(
        [
            *command,
            "--env-file",
            str(ENV_EXAMPLE),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in example_variables()},
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


# --- nginx -------------------------------------------------------------------------


def test_nginx_refuses_bodies_over_the_portals_largest_request():
    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", NGINX, re.MULTILINE)
    assert int(size) * 1024 * 1024 == MAX_UPLOAD_REQUEST_BYTES
    assert "proxy_pass http://portal;" in NGINX and "server web:8000;" in NGINX


def test_nginx_serves_uploaded_files_only_from_an_internal_location():
    locations = dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", NGINX))
    assert "/media/" not in locations
    protected = locations["/protected/"]
    assert re.search(r"^\s*internal;", protected, re.MULTILINE)
    assert "alias /srv/media/;" in protected
    assert "X-Content-Type-Options nosniff" in protected
    # Every alias that reaches the media volume is internal.
    for path, body in locations.items():
        if "/srv/media" in body:
            assert "internal;" in body, path


# --- the compose stack ---------------------------------------------------------------


def test_every_variable_the_settings_read_is_documented_in_env_example():
    read = variables_read_by_settings()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "PROTECTED_MEDIA_ACCEL"} <= read
    missing = read - set(example_variables())
    assert not missing, f"add to .env.example (with a comment): {sorted(missing)}"


def test_every_variable_the_settings_read_reaches_the_app_containers(compose):
    for service in ("migrate", "web", "worker", "beat"):
        environment = compose["services"][service]["environment"]
        missing = variables_read_by_settings() - set(environment)
        assert not missing, f"{service} lacks {sorted(missing)}"
        assert environment["DEBUG"] == "false"
        assert environment["PROTECTED_MEDIA_ACCEL"] == "/protected/"


def test_the_compose_file_validates_with_the_example_environment(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "nginx"}
    assert services["db"]["image"].startswith("postgres:16")
    assert "pgdata" in str(services["db"]["volumes"]) and "pg_isready" in str(
        services["db"]["healthcheck"]["test"]
    )
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]
    assert "/data" in str(redis["volumes"]) and "ping" in str(redis["healthcheck"]["test"])
    assert set(compose["volumes"]) >= {"pgdata", "redisdata", "media", "static"}


def test_web_worker_and_beat_wait_for_healthy_services_and_the_one_shot_migrate(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
        assert "migrate" not in " ".join(map(str, services[name].get("command", [])))
    migrate = services["migrate"]
    assert "manage.py migrate --noinput" in " ".join(migrate["command"])
    assert migrate["restart"] == "no"
    assert set(migrate["depends_on"]) == {"db", "redis"}


def test_the_workers_of_gunicorn_and_celery_come_from_the_environment(compose):
    web, worker = compose["services"]["web"], compose["services"]["worker"]
    # `config` prints the shell's $ escaped ($$) for compose, as written in the file.
    assert re.search(r'--workers "\$\$?\{WEB_CONCURRENCY:-3\}"', " ".join(web["command"]))
    assert web["environment"]["WEB_CONCURRENCY"] == example_variables()["WEB_CONCURRENCY"]
    assert re.search(r'--concurrency "\$\$?\{WORKER_CONCURRENCY:-2\}"', " ".join(worker["command"]))
    # No fixed container name and no published port: web and worker scale (--scale).
    for service in (web, worker):
        assert "container_name" not in service and "ports" not in service


def test_healthchecks_use_healthz_and_readyz(compose):
    services = compose["services"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["nginx"]["healthcheck"]["test"])
    assert services["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_nginx_is_the_only_published_service_and_reads_media_read_only(compose):
    published = [name for name, s in compose["services"].items() if s.get("ports")]
    assert published == ["nginx"]
    nginx = compose["services"]["nginx"]
    volumes = [str(v) for v in nginx["volumes"]]
    assert any("default.conf" in v and "deploy/nginx.conf" in v for v in volumes)
    media = [v for v in nginx["volumes"] if "/srv/media" in str(v)]
    assert media and all(
        (v.get("read_only") if isinstance(v, dict) else str(v).endswith(":ro")) for v in media
    )
    assert "static" in COMPOSE_TEXT and "/srv/static" in COMPOSE_TEXT

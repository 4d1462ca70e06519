"""The production stack refuses an oversized body at the web server with the
portal's own limit."""

import re
from pathlib import Path

from pompidou.lib.files import MAX_UPLOAD_REQUEST_BYTES

ROOT = Path(__file__).resolve().parents[2]


def test_nginx_refuses_bodies_over_the_portals_largest_request():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, re.MULTILINE)
    assert int(size) * 1024 * 1024 == MAX_UPLOAD_REQUEST_BYTES
    assert "proxy_pass http://portal;" in conf and "server web:8000;" in conf


def test_the_compose_stack_publishes_nginx_in_front_of_gunicorn():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in compose
    assert '"8000:80"' in compose and '"8000:8000"' not in compose
    assert "static:/app/staticfiles" in compose and "static:/srv/static:ro" in compose

"""Content-Security-Policy: every response carries it, scripts and styles only from
the portal itself, and no template the browser receives has inline code the
policy would refuse (the browser tests in tests/e2e/test_csp.py prove the pages
run under it)."""

import json
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered into PDF by WeasyPrint, never sent to a browser: their <style> is the page layout.
PDF_TEMPLATES = {
    "documents/base.html",
    "documents/annual_programme.html",
    "documents/evaluation_report.html",
    "documents/partials/table.html",
}
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def served_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).as_posix() not in PDF_TEMPLATES
    ]


def test_no_served_template_has_an_inline_script_handler_or_style():
    found = []
    for path in served_templates():
        text = path.read_text()
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_template_scan_finds_what_the_policy_would_refuse():
    # The patterns above, tried on what they must catch and what they must let through.
    refused = [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<div style="width: 5%">',
        "<style>p{}</style>",
        '<a href="javascript:void(0)">',
    ]
    allowed = ['<script src="/static/js/portal.js" defer></script>', '<div data-progress="5">']
    for snippet in refused:
        assert any(p.search(snippet) for p in INLINE.values()), snippet
    for snippet in allowed:
        assert not any(p.search(snippet) for p in INLINE.values()), snippet


@pytest.mark.parametrize(
    "path", ["/en/accounts/login/", "/fr/accounts/login/", "/api/docs/", "/en/no-such-page/"]
)
def test_every_page_sends_a_policy_without_unsafe_inline(client, db, path):
    directives = policy(client.get(path))
    assert directives["script-src"][0] == "'self'"
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = " ".join(v for values in directives.values() for v in values)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header


def test_api_answers_carry_the_policy_too(client, db):
    response = client.get("/api/v1/member-states/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_swagger_page_loads_its_script_and_styles_from_the_portal(client, db):
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert not INLINE["inline script"].search(html) and "<style" not in html
    assert '<link rel="stylesheet" href="/static/css/swagger.css">' in html
    (script_url,) = re.findall(r'<script src="(/api/docs/\?[^"]*script[^"]*)"', html)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content and b"/api/schema/" in script.content
    assert b'"validatorUrl": null' in script.content


def test_a_nonce_is_added_only_to_a_page_that_uses_one(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def uses_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = CSPMiddleware(uses_nonce)(request)
    assert f"'nonce-{request.csp_nonce}'" in policy(response)["script-src"]
    plain = CSPMiddleware(lambda request: HttpResponse("no script"))(rf.get("/"))
    assert policy(plain)["script-src"] == ["'self'"]


def test_htmx_is_told_not_to_write_inline_styles(client, db):
    html = client.get("/en/accounts/login/").content.decode()
    (config,) = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert json.loads(config) == {
        "includeIndicatorStyles": False,
        "attributesToSettle": ["class", "width", "height"],
    }
    assert "htmx does not copy" not in html  # the template's comment stays a comment

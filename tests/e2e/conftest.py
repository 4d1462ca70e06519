"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Skipped with a reason where Chromium is not installed; in CI (CI=1) a missing
Chromium is a failure, not a skip. A failing test leaves a screenshot in
tests/e2e/artifacts/.

`stack` (a fixture) runs the portal as in production (gunicorn with DEBUG off, a
Celery worker) on the test database, for journeys through a real worker.

`check_page(page, name)` (a fixture) screenshots the current page at 1366 px and
at 390 px into tests/e2e/artifacts/<test name>/ and fails on any serious or
critical accessibility violation found by axe-core (vendored in vendor/axe-core).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.jobs.stack import ROOT, BrokerPort, Stack, database_url

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The widths the issue asks for: a laptop and a phone.
WIDTHS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# the test's own setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}.")
        pytest.skip(f"Chromium not installed ({CHROMIUM}); apt-get install chromium to run.")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation of every document the page loads
# to Python. An init script runs before the page's own scripts and is not itself
# subject to the policy.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__portalCspViolation(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber} (${e.sample || ""})`);
});
"""


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy during the test:
    the page's `securitypolicyviolation` events and its console's "Refused to …"
    lines. Any left at the end fails the test (see `page`)."""
    return []


# In the browser tests a compilation runs in the request (tasks run in process): the
# page comes back once the document is written in both languages, which on a busy
# machine takes longer than an ordinary click may.
COMPILE_TIMEOUT = 120_000


@pytest.fixture
def page(browser, request, csp_violations):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.expose_function(
        "__portalCspViolation", lambda text: csp_violations.append(f"event: {text}")
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    # Every page a browser test walks runs under the policy: a refusal is a bug
    # (a feature that silently does nothing in production), not noise.
    if csp_violations and not (failed is not None and failed.failed):
        pytest.fail(
            "Content-Security-Policy violations:\n  " + "\n  ".join(csp_violations),
            pytrace=False,
        )


class DatabaseSnapshot:
    """Every table's rows, copied out of PostgreSQL once (COPY … TO STDOUT) and written
    back over whatever a test left (TRUNCATE, then COPY … FROM STDIN) in one
    transaction. Django's foreign keys are deferred on PostgreSQL, so the tables may
    come back in any order. Restoring takes a fraction of a second where `load_demo`
    (about 5,000 queries) takes seconds, and it gives every browser test the same
    demo, down to the ids."""

    def __init__(self):
        from django.db import connection

        self.tables = connection.introspection.django_table_names(only_existing=True)
        self.rows: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            for table in self.tables:
                with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                    self.rows[table] = b"".join(bytes(block) for block in copy)

    def restore(self) -> None:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import connection, transaction

        quote = connection.ops.quote_name
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in self.tables)}")
            for table, rows in self.rows.items():
                if rows:
                    with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # Django's flush made new content types; the restored ones have the old ids.
        ContentType.objects.clear_cache()


_demo_snapshot: list[DatabaseSnapshot] = []


@pytest.fixture
def demo(transactional_db, settings):
    """The programme and the demo accounts, as after `make run`: loaded by `load_demo`
    for the first browser test of the process, restored from its snapshot for the
    others (each browser test ends with Django emptying the database)."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection, connections

    if _demo_snapshot:
        _demo_snapshot[0].restore()
    else:
        settings.DEBUG = True
        call_command("load_demo", stdout=StringIO())
        settings.DEBUG = False
        if connection.vendor == "postgresql":  # COPY is PostgreSQL's: elsewhere, load each time
            _demo_snapshot.append(DatabaseSnapshot())
    # The test's requests come through the live server's own connections; this one,
    # opened in the browser's context, would outlive the teardown of the database.
    connections.close_all()


def login(page, base_url: str, username: str, password: str = "pompidou-demo") -> None:
    page.goto(f"{base_url}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/en/")


def axe_violations(page) -> list[dict]:
    """The serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the test, not added as a <script>: the Content-Security-Policy
        # refuses an inline script tag, as it should.
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), impact: n.impact,
                                          summary: n.failureSummary}))})))""",
        AXE_TAGS,
    )
    return [v for v in results if v["impact"] in BLOCKING_IMPACTS]


def sideways(page) -> list[dict]:
    """The page scrolling sideways at this width (WCAG 1.4.10, reflow), as a violation
    naming the elements that stick out of the screen, or nothing."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width + 1) return null;
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                     + [...el.classList].map(c => "." + c).join(""))
                .slice(-8);
        }"""
    )
    if overflow is None:
        return []
    return [
        {
            "id": "page-scrolls-sideways",
            "impact": "serious",
            "help": "The whole page scrolls sideways: content sticks out of the screen",
            "nodes": [{"target": target} for target in overflow or ["(none found)"]],
        }
    ]


def describe_violations(violations: list[dict], max_targets: int = 4) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['width']} px] {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:max_targets]:
            lines.append(f"      {node['target']}")
        if len(v["nodes"]) > max_targets:
            lines.append(f"      … and {len(v['nodes']) - max_targets} more")
    return "\n".join(lines)


def page_check(page, name: str, out_dir: Path) -> list[dict]:
    """Screenshot the current page at each width into out_dir and run axe-core at each,
    and check that the page does not scroll sideways there.

    Returns the serious/critical violations, each tagged with the width it was
    seen at; the caller decides whether they fail the test.
    """
    page.wait_for_load_state("networkidle")
    out_dir.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    found = []
    try:
        for size in WIDTHS:
            page.set_viewport_size(size)
            page.wait_for_timeout(100)  # let media queries and layout settle
            page.screenshot(path=str(out_dir / f"{name}-{size['width']}.png"), full_page=True)
            for violation in axe_violations(page) + sideways(page):
                found.append({**violation, "width": size["width"]})
    finally:
        if original:
            page.set_viewport_size(original)
    return found


@pytest.fixture
def check_page(request):
    """`check_page(page, "name")`: screenshots at 1366 and 390 px, fails on serious/critical
    axe-core violations. `check_page(page, "name", fail=False)` returns them instead."""
    out_dir = ARTIFACTS / request.node.name

    def check(page, name: str, *, fail: bool = True) -> list[dict]:
        violations = page_check(page, name, out_dir)
        if fail and violations:
            pytest.fail(
                f"Accessibility violations on {name} ({page.url}):\n"
                + describe_violations(violations),
                pytrace=False,
            )
        return violations

    return check


def download(page, link) -> bytes:
    """Click ``link`` and return the bytes of the file the browser downloads."""
    with page.expect_download() as info:
        link.click()
    saved = info.value
    assert saved.failure() is None
    return saved.path().read_bytes()


# --- the portal as it runs in production: gunicorn (DEBUG off) and a Celery worker on
# PostgreSQL and Redis, the broker reached through a port a test may close and open.

_static: list[str] = []


@pytest.fixture
def stack(demo, tmp_path_factory, tmp_path):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.skip("no broker: set CELERY_BROKER_URL (Redis) to run the stack")
    url = urlparse(broker)
    port = BrokerPort((url.hostname or "127.0.0.1", url.port or 6379))
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port.port}{url.path or '/0'}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    if not _static:  # once per process: the files with their hashed names (DEBUG off)
        env["STATIC_ROOT"] = str(tmp_path_factory.mktemp("static"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        _static.append(env["STATIC_ROOT"])
    env["STATIC_ROOT"] = _static[0]
    # The demo's passwords were hashed with the tests' fast hasher, which the server
    # (production settings) does not know: hash the two used here its way.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User

    hasher = PBKDF2PasswordHasher()
    for user in User.objects.filter(username__in=["secretariat", "pc_de"]):
        user.password = hasher.encode("pompidou-demo", hasher.salt(), iterations=1000)
        user.save(update_fields=["password"])
    from pompidou.celery import app

    app.control.purge()
    processes = Stack(env, tmp_path)
    yield processes, port, mail
    processes.stop()
    port.down()

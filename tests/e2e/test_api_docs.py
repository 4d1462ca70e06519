"""The API's documentation in Chromium: the introduction a REST client starts from, the
endpoints grouped by resource, an example on a write, and nothing fetched from outside
the portal (it must work on a closed network)."""

import pytest
from playwright.sync_api import expect

from pompidou.schema import TAGS

pytestmark = pytest.mark.e2e


def test_api_docs_show_the_introduction_and_the_resources_without_leaving_the_portal(
    page, live_server, transactional_db
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_role("heading", name="Authentication", exact=True).first.wait_for()

    intro = page.locator(".information-container")
    for heading in ("Authentication", "Lists, pagination and filters", "Languages", "Errors"):
        expect(intro.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert "Authorization: Token" in intro.inner_text()
    assert "Accept-Language" in intro.inner_text()
    back = intro.get_by_role("link", name="← Back to the portal")
    assert back.get_attribute("href") == "/"

    groups = page.locator(".opblock-tag-section h3").all_inner_texts()
    names = [text.split("\n")[0].strip() for text in groups]
    assert names == [name for name, _description, _paths in TAGS]

    # A write, opened (the groups list their operations): its example request body.
    page.locator("#operations-Proposals-v1_proposals_create .opblock-summary").click()
    example = page.locator("#operations-Proposals-v1_proposals_create .body-param__example")
    example.first.wait_for()
    assert "Prison health" in example.first.inner_text()

    page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert not outside, outside

"""Personal data through the pages: a delegate (Claire Dubois, the French PC) reads
and downloads everything the portal holds about her; the Secretariat erases her
account after a confirmation; her proposal's page then shows a pseudonym, not her
name, and still counts its support. The privacy page is linked in the footer."""

import json
import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

TITLE = "Peer support in prisons of the Mediterranean"


def test_a_delegate_downloads_her_data_and_the_secretariat_erases_her_account(
    page, live_server, demo, check_page, tmp_path
):
    from django.contrib.auth.models import User

    from programme.models import WorkProgramme
    from proposals import services
    from tests.proposals.factories import submitted

    base = live_server.url
    programme = WorkProgramme.objects.order_by("-first_year").first()
    proposal = submitted(User.objects.get(username="pc_fr"), programme, title=TITLE)
    services.support_add(proposal=proposal, actor=User.objects.get(username="pc_de"))

    # The delegate opens "My data" from the menu under her name.
    login(page, base, "pc_fr")
    page.get_by_role("button", name="Claire Dubois").click()
    page.get_by_test_id("nav-my-data").click()
    page.wait_for_url(f"{base}/en/accounts/my-data/")
    main = page.locator("main")
    assert "Claire" in page.get_by_test_id("account").inner_text()
    assert TITLE in page.get_by_test_id("section-proposals.Proposal").inner_text()
    check_page(page, "my-data")

    # The same data as one JSON file.
    with page.expect_download() as info:
        page.get_by_test_id("download-json").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert re.fullmatch(r"my-data-\d{4}-\d{2}-\d{2}\.json", path.name)
    data = json.loads(path.read_text())
    assert data["account"]["username"] == "pc_fr"
    proposals = next(s for s in data["sections"] if s["model"] == "proposals.Proposal")
    assert TITLE in [row["title"] for row in proposals["rows"]]
    page.get_by_role("button", name="Claire Dubois").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/logout/")

    # The Secretariat finds her account and erases it, after confirming.
    login(page, base, "secretariat")
    page.get_by_role("button", name="Sophie Laurent").click()
    page.get_by_test_id("nav-erase").click()
    page.wait_for_url(f"{base}/en/accounts/erase/")
    page.get_by_label("Search accounts").fill("dubois")
    page.get_by_role("button", name="Find accounts").click()
    row = page.get_by_test_id("account-pc_fr")
    assert "Claire Dubois" in row.inner_text()
    check_page(page, "erase-list")
    row.get_by_role("link", name="Erase pc_fr").click()
    page.get_by_role("button", name="Erase the account").click()
    assert "Tick the box to confirm the erasure." in main.inner_text()
    assert "Say why the account is erased." in main.inner_text()
    page.get_by_label("Why the account is erased").fill("She left the Group and asked for it.")
    page.get_by_label("I understand that this cannot be undone.").check()
    check_page(page, "erase-confirm")
    page.get_by_role("button", name="Erase the account").click()
    page.wait_for_url(f"{base}/en/accounts/erase/")
    message = page.get_by_role("status").inner_text()
    assert "The account is erased: it now shows as “Former member " in message
    pseudonym = re.search(r"Former member [0-9a-f]{6}", message).group(0)

    # Her proposal no longer names her, and keeps its support.
    page.goto(f"{base}/en/proposals/{proposal.pk}/")
    text = main.inner_text()
    assert "Claire" not in text and "Dubois" not in text and "pc_fr" not in text
    assert pseudonym in text
    assert "Germany" in text  # the support stays
    check_page(page, "proposal-after-erasure")

    # The privacy page, from the footer.
    page.get_by_test_id("footer-privacy").click()
    page.wait_for_url(f"{base}/en/privacy/")
    assert "Deleted after 180 days." in page.get_by_test_id("login-retention").inner_text()
    check_page(page, "privacy")

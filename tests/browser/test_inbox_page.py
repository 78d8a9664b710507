"""The officials' inbox in a real browser: decisions leave the page in place."""
from playwright.sync_api import expect

from tests.support.browser import login_page
from tests.support.village import AHMAD, waiting


def test_in_a_browser_rows_leave_and_the_count_follows(db, browser, live_server):
    waiting(status="diverifikasi", days=2), waiting(status="diverifikasi", nik=AHMAD)
    page = login_page(browser, live_server, "sekdes")  # the Kasi approves from the page alone
    page.goto(f"{live_server}/kotak-masuk")
    rows, count = page.locator("form.row"), page.locator("#inbox-count")
    expect(count).to_have_text("2")
    page.evaluate("window.sameDocument = true")
    rows.first.locator("button[value=setujui]").click()
    expect(rows).to_have_count(1)
    expect(count).to_have_text("1")
    expect(page.locator("#pesan")).to_contain_text("Budi Santoso disetujui")
    rows.first.locator("button[value=tolak]").click()  # no reason yet: refused, row stays
    expect(page.locator("#pesan")).to_contain_text("Tuliskan alasannya")
    rows.first.locator("input[name=note]").fill("Data tidak sesuai")
    rows.first.locator("select[name=category]").select_option("data_tidak_sesuai")
    rows.first.locator("button[value=tolak]").click()
    expect(rows).to_have_count(0)
    expect(count).to_have_text("0")
    assert page.evaluate("window.sameDocument") is True  # never a full page load

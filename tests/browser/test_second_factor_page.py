"""The Kades turns on the second factor in a real browser, then logs in with a recovery code;
the pages break no Content-Security-Policy rule."""
import re

import pyotp
from playwright.sync_api import expect

from tests.support.browser import log_in


def test_the_kades_sets_up_a_second_factor_and_logs_in_with_it(browser, live_server, db):
    page = browser.new_context().new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    log_in(page, live_server, "kades")
    assert "/akun/dua-langkah/" in page.url
    expect(page.locator(".qr-code svg")).to_be_visible()
    key = page.locator("li", has_text="Tidak bisa memindai").locator("strong").inner_text()
    page.fill("#code", pyotp.TOTP(key.replace(" ", "")).now())
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("sudah terpasang")
    codes = re.findall(r"[a-z0-9]{5}-[a-z0-9]{5}", page.locator(".recovery-codes").inner_text())
    assert len(codes) == 10
    page.click("text=Sudah saya simpan, lanjutkan")
    assert page.url.endswith("/kotak-masuk")
    page.click("header button:has-text('Keluar')")
    log_in(page, live_server, "kades")
    assert page.url.endswith("/masuk/kode")
    page.fill("#code", codes[0])
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Kotak masuk")
    assert not refused

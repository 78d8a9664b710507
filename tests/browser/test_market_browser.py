"""A whole sale in the system Chromium: list, approve, order, confirm, deliver, complete."""
import io
import threading

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

import models
import seed
from app import create_app
from models import Product
from tests.conftest import BUDI, SITI

CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


@pytest.fixture
def market_server(tmp_path):
    """The app with the demo village on a free port of 127.0.0.1, CSRF on, in a thread."""
    app = create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "browser-test"})
    models.create_tables()
    with models.db.connection_context():
        seed.seed_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def signed_in(browser, base, login):
    page = browser.new_context(viewport={"width": 360, "height": 640}).new_page()
    page.goto(f"{base}/masuk")
    page.fill("#login", login)
    page.fill("#password", seed.DEMO_PASSWORD)
    page.click("button:text('Masuk')")
    page.wait_for_load_state()
    return page


def test_a_sale_from_listing_to_completed(market_server, browser, tmp_path):
    base = market_server
    photo = tmp_path / "dodol.jpg"
    Image.effect_noise((1000, 800), 50).convert("RGB").save(photo, "JPEG")

    seller = signed_in(browser, base, SITI)
    seller.goto(f"{base}/lapak-saya")
    seller.click("text=Tambah produk")
    seller.fill("#name", "Dodol nanas")
    seller.select_option("#category", "makanan")
    seller.select_option("#unit", "bungkus")
    seller.fill("#price", "18000")
    seller.fill("#stock", "3")
    seller.set_input_files("#photos", str(photo))
    seller.click("button:text('Simpan produk')")
    expect(seller.locator("#pesan")).to_contain_text("setelah disetujui operator")

    operator = signed_in(browser, base, "operator")
    operator.goto(f"{base}/operator/lapak")
    operator.locator("li", has_text="Dodol nanas").get_by_role("button", name="Setujui").click()
    expect(operator.locator("#pesan")).to_contain_text("Tampil di katalog")

    buyer = signed_in(browser, base, BUDI)
    buyer.goto(f"{base}/lapak?q=dodol")
    buyer.click("text=Dodol nanas")
    expect(buyer.locator("picture img").first).to_be_visible()
    buyer.get_by_role("link", name="Pesan", exact=True).click()
    buyer.locator("input[type=number]").first.fill("2")
    buyer.check("input[value=antar]")
    buyer.click("button:text('Periksa pesanan')")
    expect(buyer.locator("tfoot")).to_contain_text("Rp 36.000")
    buyer.get_by_role("button", name="Pesan", exact=True).click()
    expect(buyer.locator("h1")).to_contain_text("Pesanan #")
    order_url = buyer.url

    seller.goto(f"{base}/lapak-saya")
    seller.evaluate("window.notReloaded = true")
    row = seller.locator(".order-row").first
    for button, status in (("Terima pesanan", "Diterima penjual, sedang disiapkan Belum dibayar"),
                           ("Antar sekarang", "Sedang diantar Belum dibayar"),
                           ("Selesai", "Selesai Belum dibayar"), ("Tandai lunas", "Selesai Lunas")):
        row.get_by_role("button", name=button).click()
        expect(row.locator(".state")).to_have_text(status)
    assert seller.evaluate("window.notReloaded") is True  # htmx swapped the row, no page load

    buyer.goto(order_url)
    expect(buyer.locator("main")).to_contain_text("Selesai")
    with models.db.connection_context():
        assert Product.get(Product.name == "Dodol nanas").stock == 1

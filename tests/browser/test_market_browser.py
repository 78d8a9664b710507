"""A whole sale in the system Chromium: list, approve, order, confirm, deliver, complete."""
from PIL import Image
from playwright.sync_api import expect

from balai.market.models import Product
from tests.support.browser import log_in, phone_context
from tests.support.village import BUDI, SITI


def signed_in(browser, base, login):
    page = phone_context(browser).new_page()
    log_in(page, base, login)
    return page


def test_a_sale_from_listing_to_completed(db, live_server, browser, tmp_path):
    photo = tmp_path / "dodol.jpg"
    Image.effect_noise((1000, 800), 50).convert("RGB").save(photo, "JPEG")

    seller = signed_in(browser, live_server, SITI)
    seller.goto(f"{live_server}/lapak-saya")
    seller.click("text=Tambah produk")
    seller.fill("#name", "Dodol nanas")
    seller.select_option("#category", "makanan")
    seller.select_option("#unit", "bungkus")
    seller.fill("#price", "18000")
    seller.fill("#stock", "3")
    seller.set_input_files("#photos", str(photo))
    seller.click("button:text('Simpan produk')")
    expect(seller.locator("#pesan")).to_contain_text("setelah disetujui operator")

    operator = signed_in(browser, live_server, "operator")
    operator.goto(f"{live_server}/operator/lapak")
    operator.locator("li", has_text="Dodol nanas").get_by_role("button", name="Setujui").click()
    expect(operator.locator("#pesan")).to_contain_text("Tampil di katalog")

    buyer = signed_in(browser, live_server, BUDI)
    buyer.goto(f"{live_server}/lapak?q=dodol")
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

    seller.goto(f"{live_server}/lapak-saya")
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
    assert Product.get(Product.name == "Dodol nanas").stock == 1
    buyer.goto(f"{live_server}/notifikasi")
    expect(buyer.locator("main")).to_contain_text("sedang diantar")

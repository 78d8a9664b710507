"""The catalogue keeps the page-weight budget of issue 5, measured in Chromium as pageweight.py."""
import pytest

from balai.demo import seed
from balai.market.models import Product, ProductPhoto
from balai.media import process_image
from tests.support.browser import network_session, phone_context, visit

KB = 1024
COLOURS = [((39, 174, 96), (212, 239, 223)), ((241, 196, 15), (253, 246, 208)),
           ((236, 112, 99), (250, 219, 216)), ((52, 73, 94), (174, 182, 191))]


@pytest.fixture
def photographed(app, db):
    """Every demo product with a photo, and enough of them for a "Muat lagi"."""
    shop = Product.select().first().shop
    for n in range(8):
        Product.create(shop=shop, name=f"Kue basah {n + 1}", category="makanan", price=5000,
                       unit="bungkus", stock=10, status="disetujui")
    with app.app_context():
        for n, product in enumerate(Product.select()):
            image = process_image(seed.demo_picture(COLOURS[n % len(COLOURS)]))
            ProductPhoto.create(product=product, key=image.key, image=image.as_dict())


FIRST_SCREEN = """Array.from(document.images)
    .filter(img => img.getBoundingClientRect().top < innerHeight)
    .map(img => new URL(img.currentSrc).pathname)"""


def test_catalogue_first_visit(photographed, live_server, page, cdp):
    cost = visit(page, cdp, live_server + "/lapak")
    photos = {path: size for path, size in cost["sizes"].items() if path.startswith("/lapak/foto/")}
    assert cost["status"] == 200 and len(photos) >= 2
    assert cost["bytes"] - sum(photos.values()) <= 32 * KB, cost["sizes"]
    assert cost["requests"] - len(photos) <= 4, cost["sizes"]
    assert cost["by_kind"]["document"] <= 14 * KB
    assert cost["origins"] == [live_server.removeprefix("http://")]
    assert sum(photos[path] for path in page.evaluate(FIRST_SCREEN)) <= 24 * KB
    assert page.locator(".products img[loading=lazy][width][height]").count() == 10


def test_catalogue_repeat_visit_and_muat_lagi(photographed, browser, live_server):
    context = phone_context(browser, service_workers="block")
    page = context.new_page()
    cdp = network_session(context, page)
    visit(page, cdp, live_server + "/lapak")
    assert visit(page, cdp, live_server + "/lapak")["bytes"] <= 8 * KB
    sizes = {}
    cdp.on("Network.loadingFinished",
           lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]}))
    html = page.evaluate("url => fetch(url, {headers: {'HX-Request': 'true'}}).then(r => r.text())",
                         "/lapak?halaman=2")
    page.wait_for_load_state("networkidle")
    context.close()
    assert "<html" not in html and "<picture>" in html
    assert len(sizes) == 1 and sum(sizes.values()) <= 2 * KB, sizes

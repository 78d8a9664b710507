"""The page-weight budget of issue 5, measured in Chromium as ../shared/tools/pageweight.py does:
bytes on the wire (compressed bodies plus headers) at 360x640. Bytes only, never timings."""
import datetime

import pytest

from balai.db import now
from balai.demo import seed
from balai.news.models import News
from balai.people.models import User
from tests.support.browser import log_in, network_session, phone_context, visit
from tests.support.village import make_request

KB = 1024


@pytest.fixture
def news_pictures(app, db):
    """The demo news with their pictures, as `flask seed-demo` makes them (tests seed without)."""
    with app.app_context():
        for item in News.select():
            item.delete_instance()
        seed.seed_news()


def test_home_first_visit_fits_the_first_round_trips(news_pictures, live_server, page, cdp):
    encodings = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding")}))
    cost = visit(page, cdp, live_server + "/")
    assert cost["status"] == 200
    images = {path: size for path, size in cost["sizes"].items() if "/gambar/" in path}
    text = {path: size for path, size in cost["sizes"].items() if path not in images}
    assert images, "the demo news pictures are on the first screen"
    assert sum(images.values()) <= 24 * KB, images
    assert sum(text.values()) <= 32 * KB and len(text) <= 4, text  # HTML, CSS, JS (icon inline)
    assert cost["by_kind"]["document"] <= 14 * KB
    assert cost["origins"] == [live_server.removeprefix("http://")]
    assert not any("favicon" in path for path in cost["sizes"]), cost["sizes"]
    assert {encodings[url] for url in encodings if "/gambar/" not in url} == {"br"}, encodings


@pytest.mark.parametrize("service_workers", ["allow", "block"])
def test_home_repeat_visit_costs_little(browser, live_server, service_workers):
    """With the service worker or without it (then the HTML comes back as a 304)."""
    context = phone_context(browser, service_workers=service_workers)
    page = context.new_page()
    cdp = network_session(context, page)
    visit(page, cdp, live_server + "/")
    cost = visit(page, cdp, live_server + "/")
    context.close()
    assert cost["bytes"] <= 8 * KB, cost["sizes"]
    static_bytes = sum(size for path, size in cost["sizes"].items() if path.startswith("/static/"))
    assert static_bytes == 0, cost["sizes"]


def test_inbox_with_fifty_waiting_requests(app, db, browser_context, live_server):
    for _ in range(50):
        make_request(status="diajukan")
    page = browser_context.new_page()
    log_in(page, live_server, "kasipem")
    cdp = network_session(browser_context, page)
    cost = visit(page, cdp, live_server + "/kotak-masuk")
    assert page.locator("main form.row").count() == 50
    assert cost["bytes"] <= 10 * KB, cost["sizes"]


def test_after_the_first_page_only_html_travels(browser_context, live_server):
    """The static files came with the login page, which set a session cookie; later pages, the
    resident's private ones too, use the browser's copies without asking again (no 304s)."""
    page = browser_context.new_page()
    cdp = network_session(browser_context, page)
    visit(page, cdp, live_server + "/masuk")
    for path in ("/", "/masuk"):
        assert_only_html(visit(page, cdp, live_server + path), path)
    log_in(page, live_server, "3213051508900001")
    for path in ("/surat", "/surat"):
        assert_only_html(visit(page, cdp, live_server + path), path)


def assert_only_html(cost, path):
    """Nothing but the page itself crossed the network (or nothing: the service worker had it)."""
    assert cost["status"] == 200
    assert {p: size for p, size in cost["sizes"].items() if size} in ({}, {path: cost["bytes"]})


@pytest.fixture
def two_pages_of_news(db):
    """Enough published news that the home page's "Muat lagi" has a full second page."""
    author = User.get(User.username == "operator")
    for number in range(20):
        item = News(title=f"Kabar desa nomor {number}", category=seed.NEWS[0][1], status="terbit",
                    author=author, publish_at=now() - datetime.timedelta(days=60 + number))
        item.set_body("Kerja bakti membersihkan saluran air di setiap RW. " * 6)
        item.save()


FETCH = """([url, method, body]) => fetch(url, {method, headers: {"HX-Request": "true"},
  body: body ? new URLSearchParams(body) : undefined}).then(r => r.text())"""


def htmx_cost(page, cdp, path, method="GET", body=None):
    """(fragment, bytes on the wire) of one request made the way htmx makes it."""
    sizes = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]}))
    html = page.evaluate(FETCH, [path, method, body])
    page.wait_for_load_state("networkidle")
    assert len(sizes) == 1, sizes
    return html, sum(sizes.values())


def test_news_page_of_muat_lagi_fits_in_two_kb(two_pages_of_news, live_server, page, cdp):
    visit(page, cdp, live_server + "/")
    html, size = htmx_cost(page, cdp, "/?halaman=2")
    assert "<html" not in html and html.count("Kabar desa nomor") == 10
    assert size <= 2 * KB


def test_inbox_row_action_fits_in_two_kb(db, browser_context, live_server):
    letter = make_request(status="diajukan")
    page = browser_context.new_page()
    log_in(page, live_server, "kasipem")
    page.goto(f"{live_server}/kotak-masuk/{letter.id}")  # the Kasi approves what they opened
    cdp = network_session(browser_context, page)
    html, size = htmx_cost(page, cdp, f"/kotak-masuk/{letter.id}", "POST",
                           {"action": "setujui", "version": str(letter.version)})
    assert "<html" not in html and "disetujui" in html
    assert size <= 2 * KB

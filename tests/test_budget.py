"""The page-weight budget of issue 5, measured in Chromium as ../shared/tools/pageweight.py does:
bytes on the wire (compressed bodies plus headers) at 360x640. Bytes only, never timings."""
import pytest

from tests.browser_support import log_in, network_session, phone_context, visit
from tests.conftest import make_request

KB = 1024


def test_home_first_visit_fits_the_first_round_trips(live_server, page, cdp):
    encodings = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding")}))
    cost = visit(page, cdp, live_server + "/")
    assert cost["status"] == 200
    assert set(encodings.values()) == {"br"}, encodings  # Chromium asks for and gets brotli
    assert cost["bytes"] <= 32 * KB, cost["sizes"]
    assert cost["requests"] <= 4, cost["sizes"]
    assert cost["by_kind"]["document"] <= 14 * KB
    assert cost["origins"] == [live_server.removeprefix("http://")]
    assert not any("favicon" in path for path in cost["sizes"]), cost["sizes"]


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


def htmx_fragment_path(app):
    """The news list's "Muat lagi" page once news exists; until then the htmx error fragment."""
    if "news" in app.blueprints or "berita" in app.blueprints:
        return "/?halaman=2"
    return "/berita/belum-ada"  # TODO(issue 5): drop once the news blueprint is merged


def test_htmx_partial_fits_in_two_kb(app, live_server, page, cdp):
    visit(page, cdp, live_server + "/")
    path = htmx_fragment_path(app)
    sizes, statuses = {}, {}
    cdp.on("Network.responseReceived", lambda e: statuses.update({e["requestId"]: e["response"]["status"]}))
    cdp.on("Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]}))
    html = page.evaluate("url => fetch(url, {headers: {'HX-Request': 'true'}}).then(r => r.text())", path)
    page.wait_for_load_state("networkidle")
    assert "<html" not in html and html.strip()
    assert len(sizes) == 1 and sum(sizes.values()) <= 2 * KB, sizes

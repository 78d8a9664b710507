"""Real-browser helpers shared by the browser tests and bench/: a live server and byte counting.

    with LiveServer(app) as base_url: ...           # the app on 127.0.0.1, in a thread
    browser = launch_browser(playwright)            # the system Chromium, never the internet
    browser = launch_browser(playwright, ("*.desa.test",))  # those names too, on 127.0.0.1
    context = phone_context(browser)                # 360x640, 2x pixels, touch
    page = login_page(browser, base_url, "kasipem")  # a logged-in tab, cookies of its own
    upload_syarat(page, tmp_path)                   # a real photo and PDF on the syarat page
    cost = visit(page, cdp, url)                    # bytes on the wire, as pageweight.py counts

`visit` counts exactly like ../shared/tools/pageweight.py: for every request the DevTools protocol
reports, `encodedDataLength` at `Network.loadingFinished` (compressed body plus headers), after
the load event and network idle.
"""
import json
import threading
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.support.files import image_bytes, pdf_bytes

CHROMIUM = "/usr/bin/chromium"
KINDS = {"Document": "document", "Stylesheet": "stylesheet", "Script": "script", "Image": "image",
         "Font": "font", "Fetch": "fetch", "XHR": "fetch", "Manifest": "other", "Other": "other"}
# Playwright's own wait for an action or a navigation; the tests give expect() as long (its own
# 5 s is too short for a photo shrunk in the browser and uploaded on a loaded 2-core machine).
WAIT_MS = 30_000
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
        "uploadThroughput": 400_000 / 8}


class LiveServer:
    """The Flask app served over real HTTP on 127.0.0.1 (random port) from a background thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.url

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join()


def host_rules(mapped=()):
    """Chromium's resolver: the mapped names (patterns such as *.desa.test) go to 127.0.0.1, the
    loopback names stay, every other name is not found (the first MAP that matches wins)."""
    rules = [f"MAP {name} 127.0.0.1" for name in mapped]
    rules += ["MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1", "EXCLUDE localhost"]
    return "--host-resolver-rules=" + " , ".join(rules)


def launch_browser(playwright, mapped=()):
    return playwright.chromium.launch(executable_path=CHROMIUM,
                                      args=["--disable-gpu", "--no-sandbox", host_rules(mapped)])


def phone_context(browser, **options):
    """A fresh profile (empty cache) that looks like a resident's phone."""
    return browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=2,
                               is_mobile=True, has_touch=True, **options)


def network_session(context, page, slow=False):
    """A DevTools session on page that sees every request (optionally on a slow 3G line)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW)
    return cdp


def visit(page, cdp, url):
    """Load url once and return what it cost: bytes, requests, origins, paths, timings."""
    sizes, kinds, urls, started = {}, {}, {}, time.perf_counter()

    def on_response(event):
        urls[event["requestId"]] = event["response"]["url"]
        kinds[event["requestId"]] = KINDS.get(event.get("type", "Other"), "other")

    def on_finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    nav = json.loads(page.evaluate(
        "JSON.stringify(performance.getEntriesByType('navigation')[0] || {})"))
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    by_kind = {}
    for request_id, size in sizes.items():
        kind = kinds.get(request_id, "other")
        by_kind[kind] = by_kind.get(kind, 0) + size
    return {
        "url": url,
        "status": response.status if response else None,
        "requests": len(sizes),
        "bytes": sum(sizes.values()),
        "by_kind": by_kind,
        "sizes": {urlsplit(urls.get(rid, "?")).path: size for rid, size in sizes.items()},
        "origins": sorted({urlsplit(u).netloc for u in urls.values()}),
        "ttfb_ms": round(nav.get("responseStart", 0) - nav.get("requestStart", 0), 1),
        "load_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def log_in(page, base_url, login, password="sukamaju123"):
    """Log the browser in through the login form, as a resident or official would."""
    page.goto(f"{base_url}/masuk")
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click('main button[type="submit"]')


def login_page(browser, base_url, login, javascript=True):
    """A tab in a browser context of its own (its own cookies), logged in as `login`."""
    page = browser.new_context(java_script_enabled=javascript).new_page()
    log_in(page, base_url, login)
    assert "/masuk" not in page.url, f"could not log in as {login}"
    return page


def upload_syarat(page, tmp_path):
    """On the syarat page: a real small JPEG and PDF, then on to the check page."""
    (tmp_path / "ktp.jpg").write_bytes(image_bytes(size=(800, 500)))
    (tmp_path / "kk.pdf").write_bytes(pdf_bytes())
    page.set_input_files("#syarat-ktp", str(tmp_path / "ktp.jpg"))
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))
    expect(page.locator("#syarat-ktp")).to_have_js_property("validationMessage", "")  # shrunk
    page.click("button:has-text('Simpan dan lanjutkan')")
    expect(page.locator("h1")).to_have_text("Periksa sebelum mengajukan")


def on_host(base_url, host):
    """The live server's base URL under another host name (the port kept)."""
    return f"http://{host}:{urlsplit(base_url).port}"

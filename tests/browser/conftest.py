"""Real-browser test support: the app served on 127.0.0.1 and the system Chromium."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

import seed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason="system Chromium missing")
    for item in items:
        if "tests/browser/" in str(item.fspath) and not Path(CHROMIUM).exists():
            item.add_marker(skip)


@pytest.fixture
def server(app):
    """The app on a free port of 127.0.0.1, with CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True  # the real forms and the htmx header carry it
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module: Playwright's event loop must not outlive it, or code that
    calls asyncio.run() later in the same process (pyHanko's signing) fails."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def login_page(browser, server, login, javascript=True):
    """A page in a fresh browser context (its own cookies), logged in as `login`."""
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    page.goto(server + "/masuk")
    page.fill("#login", login)
    page.fill("#password", seed.DEMO_PASSWORD)
    page.click("main form button")
    page.wait_for_load_state()
    assert "/masuk" not in page.url, f"login as {login} failed"
    return page

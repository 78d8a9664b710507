import os

import pytest

os.environ.setdefault("BALAI_HUEY_IMMEDIATE", "1")

from balai import create_app, schema  # noqa: E402
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from tests.support.village import BUDI, SITI, Login  # noqa: E402


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
                      "WTF_CSRF_ENABLED": False})
    schema.create_tables()
    with database.db.connection_context():
        seed.seed_demo(app.config["KEYS_DIR"])
    yield app
    if not database.db.is_closed():
        database.db.close()


@pytest.fixture
def db(app):
    """The database for the test itself (each request still opens and closes its own)."""
    database.db.connect(reuse_if_open=True)
    yield database.db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app):
    return Login(app)


@pytest.fixture
def budi(login):
    return login.as_(BUDI)


@pytest.fixture
def siti(login):
    return login.as_(SITI)


@pytest.fixture
def kasipem(login):
    return login.as_("kasipem")


@pytest.fixture
def kasikesra(login):
    return login.as_("kasikesra")


@pytest.fixture
def sekdes(login):
    return login.as_("sekdes")


@pytest.fixture
def kades(login):
    return login.as_("kades")


@pytest.fixture
def operator(login):
    return login.as_("operator")


# Browser fixtures: a real server and the system Chromium (see tests/support/browser.py).
# `live_server` is the base URL of this test's app (fresh demo database); `page` is a phone-sized
# tab with an empty cache; `cdp` counts its bytes: `visit(page, cdp, url)`.

@pytest.fixture
def live_server(app):
    from tests.support.browser import LiveServer
    with LiveServer(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API holds an event loop while it runs,
    which must not outlive the module (other tests use asyncio or start their own Playwright)."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch_browser
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(browser):
    from tests.support.browser import phone_context
    context = phone_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def cdp(browser_context, page):
    from tests.support.browser import network_session
    return network_session(browser_context, page)

import os
import shutil

import pytest

os.environ.setdefault("BALAI_HUEY_IMMEDIATE", "1")

from balai import create_app, schema, storage  # noqa: E402
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.routes import make_objects  # noqa: E402
from tests.support.village import BUDI, SITI, Login  # noqa: E402


@pytest.fixture(autouse=True)
def store_of_each_village(monkeypatch):
    """An app whose documents go to S3 (BALAI_STORAGE_URL=s3://bucket/prefix set when pytest
    starts, see tests/services/s3.sh, or a test's STORAGE_URL setting) keeps them under
    prefix/test-<run>-<its data dir's digest> (postgres.store_url): fresh for each test, the same
    for two apps of one data dir (a restart) and for the servers a test starts on it."""
    init_app = storage.init_app

    def per_village(app):
        app.config["STORAGE_URL"] = postgres.store_url(app.config["STORAGE_URL"],
                                                       app.config["DATA_DIR"])
        init_app(app)
    monkeypatch.setattr(storage, "init_app", per_village)


@pytest.fixture
def app_settings():
    """Settings of this test's app; a test may parametrize it. A cheap password hash: logins
    are how most tests begin, and test_auth.py keeps the real one for every role."""
    return {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}


def make_app(data_dir, settings):
    return create_app({"TESTING": True, "DATA_DIR": str(data_dir), "SECRET_KEY": "test",
                       "WTF_CSRF_ENABLED": False, **settings})


@pytest.fixture(autouse=True)
def own_database(request, monkeypatch):
    """On PostgreSQL (DATABASE_URL postgresql://...), data of this test's own, which every app
    the test builds uses (and every server it starts): the demo village reset for tests with
    `app` (see demo_data), else an empty schema. On SQLite each data folder holds its own."""
    if not postgres.ENABLED:
        monkeypatch.delenv("DATABASE_URL", raising=False)  # a sqlite:/// one would be shared
        yield
        return
    monkeypatch.setenv("BALAI_SECRET_KEY",
                       os.environ.get("BALAI_SECRET_KEY") or postgres.SECRET_KEY)
    if "demo_data" in request.fixturenames:
        for name in ("DATABASE_URL", "BALAI_OWNER_DATABASE_URL"):
            monkeypatch.setenv(name, "")  # demo_data sets them; put back after the test
        yield
        close_pool()
        return
    schema_name, url = postgres.empty_schema()
    for name, value in postgres.app_settings(url).items():
        monkeypatch.setenv(name, value)
    yield
    close_pool()
    postgres.drop_schema(schema_name)


def close_pool():
    """Close this process's connections to the database the app used last."""
    if database.db.obj is not None:
        if not database.db.is_closed():
            database.db.close()
        if hasattr(database.db.obj, "close_all"):
            database.db.close_all()


def seed_demo(data_dir, settings):
    app = make_app(data_dir, settings)
    schema.create_tables()
    with database.db.connection_context():
        seed.seed_demo(storage.Folder(data_dir), app.config["PASSWORD_HASH_METHOD"])
    close_pool()


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """Copies a data folder holding the demo village (database, signing keys) into a test's.
    Seeded once per session for each app_settings: every test still starts from a database of
    its own, without building twenty tables and the village again (on PostgreSQL: the demo
    database, reset; tests/support/postgres.py)."""
    seeded, databases = {}, {}

    def copy_to(data_dir, settings):
        key = tuple(sorted(settings.items()))
        if key not in seeded:
            seeded[key] = tmp_path_factory.mktemp("demo-data")
            if postgres.ENABLED:
                databases[key] = postgres.DemoDatabase(lambda url: seed_demo(
                    seeded[key], {**settings, **postgres.app_config(url)}))
            else:
                seed_demo(seeded[key], settings)
        elif postgres.ENABLED:
            databases[key].reset()
        shutil.copytree(seeded[key], data_dir, dirs_exist_ok=True, copy_function=shutil.copy)
        if postgres.ENABLED:
            # own_database puts them back
            os.environ.update(postgres.app_settings(databases[key].url))
    yield copy_to
    for demo in databases.values():
        demo.drop()
    if postgres.ENABLED:
        postgres.drop(postgres.SCRATCH)


def move_keys_to_store(app):
    """The demo signing keys, seeded into the data dir's folder, into an S3 app's store."""
    folder = storage.Folder(app.config["DATA_DIR"])
    for key, _ in folder.listing("keys/"):
        storage.documents(app).put(key, folder.get(key))
    shutil.rmtree(folder.path("keys"))


@pytest.fixture
def app(tmp_path, app_settings, demo_data):
    demo_data(tmp_path, app_settings)
    app = make_app(tmp_path, app_settings)
    if isinstance(storage.documents(app), storage.Bucket):
        move_keys_to_store(app)
    yield app
    if not database.db.is_closed():
        database.db.close()


@pytest.fixture
def db(app):
    """The database for the test itself (each request still opens and closes its own)."""
    database.db.connect(reuse_if_open=True)
    yield database.db


@pytest.fixture
def objects(app, db):
    """Real ids for every URL argument: a draft and an issued letter of Budi's, and the rest."""
    return make_objects(app)


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


@pytest.fixture
def kabupaten(app):
    """The regency office's account (it belongs to no village), logged in on the regency's host."""
    from balai.people.models import User
    from balai.villages.context import regency_context
    from tests.support.villages import REGENCY_HOST, login_on
    app.config["REGENCY_HOST"] = REGENCY_HOST
    with app.app_context(), regency_context():
        User.add_official("kabupaten", "kabupaten", "Dinas PMD", seed.DEMO_PASSWORD)
    return login_on(app, REGENCY_HOST, "kabupaten")


# Browser fixtures: a real server and the system Chromium (see tests/support/browser.py).
# `live_server` is the base URL of this test's app (fresh demo database); `page` is a phone-sized
# tab with an empty cache; `cdp` counts its bytes: `visit(page, cdp, url)`.

@pytest.fixture
def live_server(app):
    from tests.support.browser import LiveServer
    with LiveServer(app) as url:
        yield url


@pytest.fixture(scope="module")
def mapped_hosts():
    """Host names (patterns) the module's Chromium resolves to 127.0.0.1; a module may override
    it. Any other name outside loopback resolves to nothing."""
    return ()


@pytest.fixture(scope="module")
def browser(mapped_hosts):
    """One Chromium per test module: Playwright's sync API holds an event loop while it runs,
    which must not outlive the module (other tests use asyncio or start their own Playwright)."""
    from playwright.sync_api import expect, sync_playwright

    from tests.support.browser import WAIT_MS, launch_browser
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, mapped_hosts)
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

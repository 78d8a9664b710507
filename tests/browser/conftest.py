"""Real-browser tests of the pages: the `live_server` and `browser` fixtures live in
tests/conftest.py, the helpers in tests/support/browser.py. Here CSRF checks are on, as in
production; without the system Chromium these tests are skipped."""
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason="system Chromium missing")
    for item in items:
        if "tests/browser/" in str(item.fspath) and not Path(CHROMIUM).exists():
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def csrf_checked(app):
    """The real forms and the htmx header carry the token; an expired one must be refused."""
    app.config["WTF_CSRF_ENABLED"] = True

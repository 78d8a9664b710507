"""Every page of the route walk, for every role, on a 360x740 phone: none scrolls sideways,
and no label of a facts list breaks inside a word.

The pages are those of tests/support/routes.py (the route walk's list, with real objects), as
each role sees them; only HTML pages that answer 200 are laid out (files, images and redirects
are skipped). One browser, one context per role, logged in once."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from balai import db as database
from tests.support.browser import log_in
from tests.support.routes import ROLES, make_objects, urls
from tests.support.village import BUDI, SITI

LOGINS = {"budi": BUDI, "siti": SITI}
PHONE = {"width": 360, "height": 740}
# What is wrong with the laid-out page, or null: wider than the screen (and what sticks out),
# or a label of a facts list broken inside a word ("Kewarganegar|aan").
PROBLEMS = r"""() => {
    const root = document.documentElement;
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
    const split = [];
    for (const dt of document.querySelectorAll('dl.facts dt')) {
        const text = dt.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) continue;
        const range = document.createRange();
        for (const word of text.data.matchAll(/[^\s\/-]+/g)) {
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            if (range.getClientRects().length > 1) split.push(word[0]);
        }
    }
    if (root.scrollWidth <= root.clientWidth && !split.length) return null;
    const wide = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5).map(name);
    return {scrollWidth: root.scrollWidth, wide: wide.slice(0, 5), split: split};
}"""


@pytest.fixture
def walk_objects(app):
    """The route walk's objects, made in a thread of their own: issuing the letter signs it
    with asyncio, which Playwright's running event loop forbids in this one."""
    def made():
        try:
            return make_objects(app)
        finally:
            database.db.close()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(made).result()


def test_no_page_scrolls_sideways_at_360_px(app, walk_objects, browser, live_server):
    objects = walk_objects
    pages = sorted({url for _, url in urls(app, objects)})
    too_wide, laid_out = [], 0
    for role in ROLES:
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        if role:
            log_in(page, live_server, LOGINS.get(role, role))
        for url in pages:
            answer = context.request.get(live_server + url, max_redirects=0)
            if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
                continue
            page.goto(live_server + url, wait_until="load")
            laid_out += 1
            if overflow := page.evaluate(PROBLEMS):
                too_wide.append(f"{role or 'anonim'} {url}: {overflow}")
        context.close()
    assert laid_out > 150
    assert not too_wide, "\n".join(too_wide)


@pytest.fixture(autouse=True)
def no_page_cache(app):
    """Every anonymous page rendered for this test, not replayed from another's cache."""
    app.config["PUBLIC_PAGE_CACHE"] = False

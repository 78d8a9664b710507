"""The page cache's fast path (balai.web.page_cache.FastPath): a cookie-less GET of a kept public
page is answered before Flask runs, with exactly the answer Flask gives (status, every header,
every byte), and never for anyone with a cookie or after the database changed."""
import datetime
import re
import time

import pytest
from flask import request_started
from werkzeug.http import parse_date
from werkzeug.test import Client

from balai.db import now
from balai.news.models import PAGE_SIZE, News
from balai.people.devices import COOKIE as DEVICE_COOKIE

BR_GZIP = {"Accept-Encoding": "br, gzip"}
HTMX = {"HX-Request": "true"}
VARIANTS = [
    {},
    BR_GZIP,
    {"Accept-Encoding": "gzip, deflate"},
    {"Accept-Encoding": "gzip;q=0, br;q=0"},
    {**BR_GZIP, **HTMX},
    HTMX,
    {**BR_GZIP, **HTMX, "HX-History-Restore-Request": "true"},
    {**BR_GZIP, "Host": "balai.example.id"},
]
HTTPS = "https://balai.example.id/"  # Strict-Transport-Security: a scheme of its own


@pytest.fixture
def flask_runs(app):
    """How many requests reached Flask (a fast answer does not)."""
    seen = []
    record = lambda sender, **extra: seen.append(1)  # noqa: E731
    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


@pytest.fixture
def fast(app):
    return Client(app.wsgi_app)


@pytest.fixture
def normal(app):
    """Flask's own path, without the fast path in front."""
    return Client(app.wsgi_app.wsgi_app)


def whole(response):
    """Status, headers and body; the Date only as present (its second may differ)."""
    headers = [(name, "(date)" if name == "Date" else value) for name, value in response.headers]
    return response.status, headers, response.get_data()


def publish(title, minutes_ago=1):
    item = News(title=title, status="terbit",
                publish_at=now() - datetime.timedelta(minutes=minutes_ago))
    item.set_body("Di lapangan desa.")
    item.save()


def public_paths(client):
    """The home page, its second page ("Muat lagi") and a news article."""
    for number in range(PAGE_SIZE):
        publish(f"Kabar desa {number}", minutes_ago=number + 1)
    home = client.get("/").get_data(as_text=True)
    assert "halaman=2" in home
    article = re.search(r'href="(/berita/[a-z0-9-]+)"', home).group(1)
    return ["/", "/?halaman=2", article]


def conditional(client, path, headers):
    """The variant with If-None-Match set to the page's own ETag, and one with a stale ETag."""
    etag = client.get(path, headers=headers).headers["ETag"]
    return [{**headers, "If-None-Match": etag}, {**headers, "If-None-Match": 'W/"lama"'}]


@pytest.mark.parametrize("base_url", ["http://localhost/", HTTPS])
def test_fast_answers_are_flasks_answers(fast, normal, flask_runs, db, base_url):
    for path in public_paths(normal):
        conditionals = conditional(normal, path, BR_GZIP) + conditional(normal, path, HTMX)
        for headers in VARIANTS + conditionals:
            ask = dict(path=path, headers=headers, base_url=base_url)
            expected = whole(normal.get(**ask))  # a kept page, through Flask
            fast.get(**ask)  # seen once: Flask answers it, and the fast path keeps the answer
            before = len(flask_runs)
            answer = fast.get(**ask)
            assert len(flask_runs) == before, ask  # answered without Flask
            assert whole(answer) == expected, ask
            assert whole(normal.get(**ask)) == expected


def test_https_and_http_are_told_apart(fast):
    for _ in range(3):
        plain, secure = fast.get("/"), fast.get("/", base_url=HTTPS)
    assert "Strict-Transport-Security" in secure.headers
    assert "Strict-Transport-Security" not in plain.headers


def test_the_date_is_now(fast, flask_runs):
    for _ in range(2):
        fast.get("/", headers=BR_GZIP)
    time.sleep(1.1)
    asked_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    before = len(flask_runs)
    answer = fast.get("/", headers=BR_GZIP)
    assert len(flask_runs) == before
    assert parse_date(answer.headers["Date"]) >= asked_at


def test_fragment_and_page_are_told_apart(fast):
    for _ in range(3):
        page, fragment = fast.get("/", headers=BR_GZIP), fast.get("/", headers={**BR_GZIP, **HTMX})
    page_html = fast.get("/").get_data(as_text=True)
    fragment_html = fast.get("/", headers=HTMX).get_data(as_text=True)
    assert "<html" in page_html and "<html" not in fragment_html
    assert page.get_data() != fragment.get_data()
    assert page.headers["ETag"] != fragment.headers["ETag"]
    for response in (page, fragment):
        vary = set(re.split(r",\s*", response.headers["Vary"]))
        assert {"HX-Request", "Accept-Encoding", "Cookie"} <= vary
        assert response.headers["Content-Encoding"] == "br"
        assert response.headers["Cache-Control"] == "no-cache"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    again = fast.get("/", headers={**BR_GZIP, "If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize("cookie", ["session", "remember_token", DEVICE_COOKIE, "lain"])
def test_any_cookie_takes_the_normal_path(app, fast, flask_runs, cookie):
    for _ in range(3):
        fast.get("/", headers=BR_GZIP)
    with_cookie = Client(app.wsgi_app)
    with_cookie.set_cookie(cookie, "abc")
    before = len(flask_runs)
    for _ in range(2):
        assert with_cookie.get("/", headers=BR_GZIP).status_code == 200
    assert len(flask_runs) == before + 2


def test_a_logged_in_visitor_never_gets_the_kept_page(fast, budi):
    for _ in range(3):
        fast.get("/", headers=BR_GZIP)
    page = budi.get("/")
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Surat Saya" in page.get_data(as_text=True)


def test_only_get(fast, normal, flask_runs):
    for _ in range(3):
        fast.get("/")
    before = len(flask_runs)
    head = fast.head("/")
    assert len(flask_runs) == before + 1
    assert whole(head) == whole(normal.head("/"))
    assert fast.post("/").status_code in (400, 405)


def test_news_published_shows_at_once(fast, flask_runs, db):
    for _ in range(3):
        old = fast.get("/").get_data(as_text=True)
    assert "Lomba panjat pinang" not in old
    publish("Lomba panjat pinang")
    before = len(flask_runs)
    assert "Lomba panjat pinang" in fast.get("/").get_data(as_text=True)
    assert len(flask_runs) == before + 1

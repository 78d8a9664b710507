"""News in a real browser (issue 5): "Muat lagi", search as you type, the article page's tags, the
feed link, and the operator's editor with a photo; each with JavaScript and, where it matters,
without."""
import datetime
import io
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from balai.db import now
from balai.news.models import News, NewsIndex
from balai.people.models import User
from tests.support.browser import log_in, phone_context

PAGE_SIZE = 10
NEWS_ITEMS = "main ul.news > li:not(.more)"


@pytest.fixture
def many_news(db):
    """Fifteen published items (no demo news): a full first page and half a second one."""
    NewsIndex.delete().execute()
    News.delete().execute()
    author = User.get(User.username == "operator")
    items = []
    for number in range(15):
        item = News(title=f"Kabar desa nomor {number}", status="terbit", author=author,
                    category="Kegiatan", publish_at=now() - datetime.timedelta(days=number + 1))
        item.set_body(f"Posyandu balita di RW {number} dibuka hari Selasa. Bawa buku KIA.")
        item.save()
        items.append(item)
    return items


@pytest.fixture
def no_js_page(browser):
    context = phone_context(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


def item_titles(page):
    return page.locator(f"{NEWS_ITEMS} h3").all_inner_texts()


def test_muat_lagi_appends_the_next_page_without_reloading(many_news, live_server, page):
    page.goto(live_server + "/")
    assert item_titles(page) == [f"Kabar desa nomor {n}" for n in range(PAGE_SIZE)]
    page.evaluate("window.sameDocument = true")
    page.click("text=Muat lagi")
    page.wait_for_function(f"() => document.querySelectorAll('{NEWS_ITEMS}').length === 15")
    assert item_titles(page) == [f"Kabar desa nomor {n}" for n in range(15)]
    assert page.evaluate("window.sameDocument") is True  # no page load in between
    assert page.url == live_server + "/"
    assert page.locator("text=Muat lagi").count() == 0  # the last page has no more to load


def test_muat_lagi_is_a_plain_link_without_javascript(many_news, live_server, no_js_page):
    page = no_js_page
    page.goto(live_server + "/")
    assert page.locator("text=Muat lagi").get_attribute("href") == "/?halaman=2"
    page.click("text=Muat lagi")
    page.wait_for_url(live_server + "/?halaman=2")
    assert item_titles(page) == [f"Kabar desa nomor {n}" for n in range(PAGE_SIZE, 15)]
    assert page.locator("h1").inner_text() == "Desa Sukamaju"  # a whole page, not a fragment


def test_search_as_you_type_sends_one_request_after_a_pause(many_news, live_server, page):
    searches = []
    page.on("request", lambda r: "/berita/cari" in r.url and searches.append(r))
    page.goto(live_server + "/berita/cari")
    searches.clear()
    page.evaluate("window.sameDocument = true")
    page.type("#q", "kabar nomor 12", delay=20)  # faster than the 400 ms pause
    page.wait_for_selector("#hasil li")
    page.wait_for_load_state("networkidle")
    assert len(searches) == 1, [r.url for r in searches]
    assert searches[0].headers.get("hx-request") == "true"
    assert "q=kabar+nomor+12" in searches[0].url
    assert page.locator("#hasil h2").first.inner_text() == "Kabar desa nomor 12"
    assert page.evaluate("window.sameDocument") is True


def test_search_is_a_plain_get_form_without_javascript(many_news, live_server, no_js_page):
    page = no_js_page
    page.goto(live_server + "/")  # the home page's search box
    page.fill("#q", "posyandu RW 7")
    page.click("form.search button")
    page.wait_for_url("**/berita/cari?q=posyandu+RW+7")
    assert page.locator("#hasil h2").first.inner_text() == "Kabar desa nomor 7"
    assert page.locator("#q").input_value() == "posyandu RW 7"


def meta(page, selector):
    found = page.locator(f"head meta[{selector}]")
    return found.get_attribute("content") if found.count() else None


def test_article_page_has_tags_for_sharing_and_prev_next(many_news, live_server, page):
    middle = many_news[5]
    page.goto(f"{live_server}/berita/{middle.slug}")
    assert page.title().startswith("Kabar desa nomor 5")
    assert meta(page, 'name="description"').startswith("Posyandu balita di RW 5")
    assert meta(page, 'property="og:title"') == "Kabar desa nomor 5"
    assert meta(page, 'property="og:url"').endswith(f"/berita/{middle.slug}")
    assert meta(page, 'property="og:image"') is None  # no photo, no image tag
    page.click("a[rel=prev]")
    page.wait_for_url(f"**/berita/{many_news[6].slug}")
    page.click("a[rel=next]")
    page.wait_for_url(f"**/berita/{middle.slug}")
    feed = page.locator('head link[rel=alternate][type="application/atom+xml"]').get_attribute("href")
    response = page.request.get(live_server + feed)
    assert response.ok and "<feed" in response.text() and "Kabar desa nomor 5" in response.text()


def big_photo():
    """A 4000x3000 phone photo of a few MB (noise does not compress)."""
    out = io.BytesIO()
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(out, "JPEG", quality=92)
    return out.getvalue()


LOADED = "img => img.complete && img.naturalWidth > 0"


def picture_size(page, img):
    """(width, height) an <img> declares, after checking the WebP it shows has exactly that size."""
    handle = img.element_handle()
    page.wait_for_function(LOADED, arg=handle)
    declared = (int(img.get_attribute("width")), int(img.get_attribute("height")))
    shown = page.evaluate("img => [img.naturalWidth, img.naturalHeight, img.currentSrc]", handle)
    assert tuple(shown[:2]) == declared and shown[2].endswith(".webp"), shown
    return declared


def assert_four_by_three(size, widest):
    width, height = size
    assert width <= widest and abs(width * 3 - height * 4) <= 4, size


def test_operator_publishes_news_with_a_photo(many_news, live_server, page, browser, tmp_path):
    photo = big_photo()
    (tmp_path / "jembatan.jpg").write_bytes(photo)
    log_in(page, live_server, "operator")
    page.goto(live_server + "/berita/tulis")
    page.fill("#title", "Jembatan Dusun II selesai")
    page.fill("#body", "Jembatan **baru** sudah bisa dilalui.")
    page.check('input[name=pinned]')
    page.set_input_files("#image", tmp_path / "jembatan.jpg")  # bytes would take seconds to send
    page.wait_for_function("() => document.querySelector('#image').validity.valid")
    with page.expect_request(lambda r: r.method == "POST") as posted:
        page.click("main button[type=submit]")
    sent = int(posted.value.all_headers()["content-length"])
    assert sent < len(photo) / 4, (sent, len(photo))  # shrunk in the browser
    page.wait_for_url("**/berita/kelola")
    assert "Jembatan Dusun II selesai" in page.locator("#pesan").inner_text()

    anonymous = phone_context(browser)
    home = anonymous.new_page()
    home.goto(live_server + "/")
    first = home.locator(NEWS_ITEMS).first
    assert first.locator("h3").inner_text() == "Jembatan Dusun II selesai"
    assert "Disematkan" in first.locator(".meta").inner_text()
    img = first.locator("img")
    assert img.get_attribute("loading") == "lazy"
    assert_four_by_three(picture_size(home, img), widest=320)  # the thumbnail

    home.click("text=Jembatan Dusun II selesai")
    og_image = urlsplit(meta(home, 'property="og:image"')).path  # on the village's public address
    assert len(home.request.get(live_server + og_image).body()) <= 50 * 1024
    assert_four_by_three(picture_size(home, home.locator("article img")), widest=800)
    anonymous.close()


CONTROLLED = "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
KEPT = "url => caches.match(url, {ignoreVary: true}).then(Boolean)"


def test_news_pages_read_online_stay_readable_offline(many_news, live_server, page, browser_context):
    page.goto(live_server + "/")
    page.wait_for_function(CONTROLLED)
    read = [f"{live_server}/berita/{item.slug}" for item in many_news[:3]]
    for url in read:
        page.goto(url)
        page.wait_for_function(KEPT, arg=url)
    browser_context.set_offline(True)
    for number, url in enumerate(read):
        page.goto(url)
        assert page.locator("h1").inner_text() == f"Kabar desa nomor {number}"
    with pytest.raises(PlaywrightError):  # a page never read is not there
        page.goto(f"{live_server}/berita/{many_news[9].slug}")

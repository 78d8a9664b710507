"""The draft letter on an official's phone (issue 14): the page images load, the decision form
starts within the first one and a half screens at 360x740, and a preview still being made
appears by itself with JavaScript (htmx polling) or by the reload link without it."""
from playwright.sync_api import expect

from balai.db import now
from balai.letters import preview
from balai.letters.preview import LetterPreview
from tests.support.browser import log_in
from tests.support.village import make_request

PHONE = {"width": 360, "height": 740}
FIRST_SCREENS = 1.5 * PHONE["height"]  # 1110 px


def phone(browser, live_server, login, javascript=True):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, live_server, login)
    return page


def loaded_pages(page):
    images = page.locator("#pratinjau img")
    expect(images.first).to_be_visible()
    page.wait_for_function("[...document.querySelectorAll('#pratinjau img')]"
                           ".every(img => img.complete && img.naturalWidth === 800)")
    return images


def test_each_step_decides_within_the_first_screens_at_360_px(db, browser, live_server):
    for login, status in (("kasipem", "diajukan"), ("sekdes", "diverifikasi"),
                          ("kades", "diperiksa")):
        letter = make_request(status=status)
        page = phone(browser, live_server, login)
        page.goto(f"{live_server}/kotak-masuk/{letter.id}")
        image = loaded_pages(page).first.bounding_box()
        assert image["width"] <= PHONE["width"] and image["height"] > image["width"], login
        form = page.locator("form.actions").bounding_box()
        assert form["y"] <= FIRST_SCREENS, (login, form)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.context.close()


def test_a_preview_still_being_made_appears_by_itself(app, db, browser, live_server):
    letter = make_request(status="diperiksa")
    LetterPreview.create(request=letter.id, version=letter.version, pages=0, asked_at=now())
    page = phone(browser, live_server, "kades")
    page.goto(f"{live_server}/kotak-masuk/{letter.id}")
    expect(page.locator("#pratinjau")).to_contain_text("Pratinjau surat sedang disiapkan…")
    page.evaluate("window.sameDocument = true")
    with app.app_context():
        preview.render(letter.id, letter.version)  # the worker's part
    loaded_pages(page)
    assert page.evaluate("window.sameDocument") is True  # swapped in by htmx, no reload
    page.context.close()


def test_without_javascript_the_reload_link_shows_it(app, db, browser, live_server):
    letter = make_request(status="diverifikasi")
    LetterPreview.create(request=letter.id, version=letter.version, pages=0, asked_at=now())
    page = phone(browser, live_server, "sekdes", javascript=False)
    page.goto(f"{live_server}/kotak-masuk/{letter.id}")
    expect(page.locator("#pratinjau")).to_contain_text("Pratinjau surat sedang disiapkan…")
    with app.app_context():
        preview.render(letter.id, letter.version)
    page.click("text=Muat ulang halaman")
    loaded_pages(page)
    page.context.close()

"""In the browser: the service worker keeps public pages for offline reading and never private
ones; app.js shrinks photos before upload and shows progress."""
import io

from PIL import Image

from tests.support.browser import log_in

CONTROLLED = "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
CACHED = "url => caches.match(url, {ignoreVary: true}).then(r => r ? r.headers.get('Cache-Control') : null)"


def test_home_page_is_readable_offline(live_server, page, browser_context):
    page.goto(live_server + "/")
    page.wait_for_function(CONTROLLED)
    page.goto(live_server + "/")  # this visit goes through the service worker, which keeps it
    page.wait_for_function("url => caches.match(url, {ignoreVary: true})", arg=live_server + "/")
    browser_context.set_offline(True)
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Desa Sukamaju"


def test_private_pages_are_never_kept(live_server, page):
    log_in(page, live_server, "3213051508900001")
    page.goto(live_server + "/")
    page.wait_for_function(CONTROLLED)
    for _ in range(2):
        page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(CACHED, live_server + "/") is None


def big_photo():
    image = Image.effect_noise((3000, 2000), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


TEST_FORM = """() => {
  const form = document.createElement("form");
  form.method = "post"; form.action = "/masuk"; form.enctype = "multipart/form-data";
  form.dataset.progress = "";
  form.innerHTML = '<input type="file" name="foto" data-shrink><button>Kirim</button>';
  document.querySelector("main").append(form);
}"""
SHRUNK = """() => {
  const file = document.querySelector("input[data-shrink]").files[0];
  return file && ["image/webp", "image/jpeg"].includes(file.type) && createImageBitmap(file)
    .then(image => [file.size, image.width, image.height]);
}"""


def test_photo_is_shrunk_before_upload_and_sent_with_progress(live_server, page, tmp_path):
    photo = big_photo()
    (tmp_path / "foto.jpg").write_bytes(photo)
    page.goto(live_server + "/")
    page.evaluate(TEST_FORM)
    page.set_input_files("input[data-shrink]", tmp_path / "foto.jpg")  # bytes: seconds to send
    page.wait_for_function("() => document.querySelector('input[data-shrink]').validity.valid")
    size, width, height = page.evaluate(SHRUNK)
    assert max(width, height) == 1600 and size < len(photo) / 2
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.click("form[data-progress] button")
    page.wait_for_selector("main form input[name=login]")  # the answer (login form, 422) is shown

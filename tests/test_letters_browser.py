"""The upload page in a real browser: htmx removal, the browser's size check, and no JavaScript."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import BUDI, make_request
from tests.files import image_bytes, pdf_bytes

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="system Chromium missing")


@pytest.fixture
def server(app):
    app.config["WTF_CSRF_ENABLED"] = True  # the real forms and the htmx header carry it
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
        yield browser
        browser.close()


def logged_in_page(browser, server, javascript=True):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(server + "/masuk")
    page.fill("#login", BUDI)
    page.fill("#password", "sukamaju123")
    page.click("main form button")
    return page


@pytest.mark.parametrize("javascript", [True, False])
def test_upload_remove_and_submit(browser, server, db, tmp_path, javascript):
    req = make_request()
    (tmp_path / "ktp.jpg").write_bytes(image_bytes(size=(2400, 1200)))
    (tmp_path / "kk.pdf").write_bytes(pdf_bytes())
    page = logged_in_page(browser, server, javascript)
    page.goto(f"{server}/surat/{req.id}/syarat")
    page.set_input_files("#syarat-ktp", str(tmp_path / "ktp.jpg"))
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))
    if javascript:  # the photo is shrunk in the browser first; the form waits for it
        page.wait_for_function("() => document.querySelector('#syarat-ktp').validity.valid")
    page.click("text=Simpan dan lanjutkan")
    page.wait_for_url("**/periksa")
    page.click("text=Ubah syarat")
    if javascript:
        page.evaluate("window.notReloaded = true")
    page.click("button:has-text('Hapus Foto Kartu Keluarga')")
    page.wait_for_selector("text=Berkas sudah dihapus")
    assert page.url.endswith("/syarat") and req.attachment_for("kk") is None
    if javascript:  # htmx swapped the field in place
        assert page.evaluate("window.notReloaded") is True
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))
    page.click("text=Simpan dan lanjutkan")
    page.click("button:has-text('Ajukan')")
    page.wait_for_selector("text=Permohonan Anda sudah diajukan")
    assert type(req).get_by_id(req.id).status == "diajukan"


def test_browser_refuses_a_too_big_file_before_sending(browser, server, db):
    req = make_request()
    page = logged_in_page(browser, server)
    page.goto(f"{server}/surat/{req.id}/syarat")
    page.set_input_files("#syarat-ktp", files=[{"name": "besar.jpg", "mimeType": "image/jpeg",
                                                "buffer": b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024)}])
    page.click("text=Simpan dan lanjutkan")
    assert page.url.endswith("/syarat")
    assert "terlalu besar" in page.eval_on_selector("#syarat-ktp", "el => el.validationMessage")
    assert req.attachments.count() == 0

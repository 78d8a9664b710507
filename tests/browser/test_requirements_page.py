"""The upload page in a real browser: htmx removal, with and without JavaScript."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import login_page
from tests.support.files import image_bytes, pdf_bytes
from tests.support.village import BUDI, make_request


@pytest.mark.parametrize("javascript", [True, False])
def test_upload_remove_and_submit(browser, live_server, db, tmp_path, javascript):
    req = make_request()
    (tmp_path / "ktp.jpg").write_bytes(image_bytes(size=(2400, 1200)))
    (tmp_path / "kk.pdf").write_bytes(pdf_bytes())
    page = login_page(browser, live_server, BUDI, javascript)
    page.goto(f"{live_server}/surat/{req.id}/syarat")
    page.set_input_files("#syarat-ktp", str(tmp_path / "ktp.jpg"))
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))
    if javascript:  # the photo is shrunk in the browser first; the form waits for it
        expect(page.locator("#syarat-ktp")).to_have_js_property("validationMessage", "")
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


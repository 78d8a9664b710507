"""Dokumen saya on a 360 px phone, with and without JavaScript (CSRF on): a KTP and KK kept on
the first request are used for the next one with one tap each, and no page scrolls sideways."""
import pytest
from playwright.sync_api import expect

from balai.letters.kept import KeptDocument
from balai.letters.models import LetterRequest
from tests.support.browser import log_in, phone_context, upload_syarat
from tests.support.village import BUDI, make_request

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_kept_ktp_is_used_for_the_next_request_on_a_phone(browser, live_server, db, tmp_path,
                                                            javascript):
    context = phone_context(browser, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, live_server, BUDI)
    first, second = make_request(), make_request(slug="usaha")
    page.goto(f"{live_server}/surat/{first.id}/syarat")
    assert page.evaluate(NO_SIDEWAYS)
    page.check("input[name='simpan-ktp']")
    page.check("input[name='simpan-kk']")
    upload_syarat(page, tmp_path)
    assert KeptDocument.select().count() == 2

    page.goto(f"{live_server}/surat/{second.id}/syarat")
    expect(page.locator("button:has-text('Pakai dari Dokumen saya')")).to_have_count(2)
    assert page.evaluate(NO_SIDEWAYS)
    page.click("button:has-text('Pakai dari Dokumen saya untuk Foto KTP')")
    expect(page.locator("text=KTP dari Dokumen saya dipakai")).to_be_visible()
    page.click("button:has-text('Pakai dari Dokumen saya untuk Foto Kartu Keluarga')")
    expect(page.locator("text=Kartu Keluarga dari Dokumen saya dipakai")).to_be_visible()
    page.click("button:has-text('Simpan dan lanjutkan')")
    expect(page.locator("h1")).to_have_text("Periksa sebelum mengajukan")
    assert {a.requirement_key for a in LetterRequest.get_by_id(second.id).attachments} == {
        "ktp", "kk"}

    page.goto(f"{live_server}/akun/dokumen")
    assert page.evaluate(NO_SIDEWAYS)
    page.click("button:has-text('Hapus KTP')")
    expect(page.locator("text=KTP sudah dihapus dari Dokumen saya")).to_be_visible()
    assert LetterRequest.get_by_id(second.id).attachment_for("ktp") is not None
    context.close()

"""Bad input in a real browser: too-big files, an expired form token under htmx, double clicks."""
from playwright.sync_api import expect

from balai.letters.models import LetterRequest
from tests.support.browser import login_page, upload_syarat
from tests.support.files import pdf_bytes
from tests.support.village import BUDI, make_request, waiting

THIRTY_MB = 30 * 1024 * 1024


def big_file(tmp_path):
    path = tmp_path / "foto-ktp-besar.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * THIRTY_MB)
    return path


def test_a_30_mb_file_is_refused_before_upload(browser, live_server, db, tmp_path):
    req = make_request()
    page = login_page(browser, live_server, BUDI)
    page.goto(f"{live_server}/surat/{req.id}/syarat")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#syarat-ktp", str(big_file(tmp_path)))
    page.click("text=Simpan dan lanjutkan")
    expect(page.locator("#syarat-ktp")).to_have_js_property(
        "validationMessage", "Berkas foto-ktp-besar.jpg terlalu besar. Paling besar 5 MB.")
    page.click("text=Simpan dan lanjutkan")
    assert posts == [] and page.url.endswith("/syarat")
    assert req.attachments.count() == 0


def test_without_javascript_the_server_answers_a_30_mb_file_with_a_clear_page(browser, live_server,
                                                                              db, tmp_path):
    req = make_request()
    page = login_page(browser, live_server, BUDI, javascript=False)
    page.goto(f"{live_server}/surat/{req.id}/syarat")
    page.set_input_files("#syarat-ktp", str(big_file(tmp_path)))
    page.click("text=Simpan dan lanjutkan")
    expect(page.locator("main")).to_contain_text("Berkas yang Anda kirim terlalu besar")
    expect(page.locator("main")).to_contain_text("5 MB")
    assert req.attachments.count() == 0


def expire_form_tokens(page):
    """What a page left open past the token's lifetime holds: tokens the server refuses."""
    page.evaluate("""() => {
        document.querySelector('meta[name="csrf-token"]').content = 'kedaluwarsa';
        document.querySelectorAll('input[name="csrf_token"]').forEach(i => i.value = 'kedaluwarsa');
    }""")


def test_an_expired_token_under_htmx_asks_to_reload_in_the_message_area(browser, live_server, db):
    letter = waiting(status="diverifikasi")  # the Sekdes approves from the list
    page = login_page(browser, live_server, "sekdes")
    page.goto(f"{live_server}/kotak-masuk")
    expire_form_tokens(page)
    page.evaluate("window.sameDocument = true")
    page.locator("form.row button[value=setujui]").click()
    expect(page.locator("#pesan")).to_contain_text("Muat ulang halaman, lalu kirim lagi")
    expect(page.locator("form.row")).to_have_count(1)  # the row stays; no page swapped in
    expect(page.locator("h1")).to_have_text("Kotak masuk")
    assert page.evaluate("window.sameDocument") is True
    assert "CSRF" not in page.content() and "Bad Request" not in page.content()
    assert LetterRequest.get_by_id(letter.id).status == "diverifikasi"
    page.reload()
    page.locator("form.row button[value=setujui]").click()
    expect(page.locator("form.row")).to_have_count(0)
    assert LetterRequest.get_by_id(letter.id).status == "diperiksa"


def test_an_expired_token_on_an_htmx_removal_keeps_the_file(browser, live_server, db, tmp_path):
    req = make_request()
    (tmp_path / "kk.pdf").write_bytes(pdf_bytes())
    page = login_page(browser, live_server, BUDI)
    page.goto(f"{live_server}/surat/{req.id}/syarat")
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))
    with page.expect_navigation():  # the file went up when chosen; this reloads the page
        page.click("text=Simpan dan lanjutkan")  # KTP still missing: the page comes back
    expect(page.locator("main")).to_contain_text("Sudah diunggah")
    expire_form_tokens(page)
    page.click("button:has-text('Hapus Foto Kartu Keluarga')")
    expect(page.locator("#pesan")).to_contain_text("Muat ulang halaman")
    expect(page.locator("main")).to_contain_text("Sudah diunggah")
    assert req.attachment_for("kk") is not None


def test_the_same_submit_sent_twice_is_one_transition(browser, live_server, db, tmp_path):
    """A double click that gets past the browser: the second identical POST changes nothing."""
    req = make_request()
    first = login_page(browser, live_server, BUDI, javascript=False)
    first.goto(f"{live_server}/surat/{req.id}/syarat")
    upload_syarat(first, tmp_path)
    second = first.context.new_page()
    second.goto(f"{live_server}/surat/{req.id}/periksa")
    first.click("button:has-text('Ajukan')")
    expect(first.locator("#pesan")).to_contain_text("Permohonan Anda sudah diajukan")
    second.click("button:has-text('Ajukan')")
    expect(second.locator("#pesan")).to_contain_text("Permohonan ini sudah diajukan.")
    assert [e.action for e in req.events] == ["ajukan"]
    assert LetterRequest.get_by_id(req.id).version == 1

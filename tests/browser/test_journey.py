"""The whole letter service in a real browser: a resident asks, three officials approve, the
resident downloads the letter, and its QR code leads back to the verification page."""
from concurrent.futures import ThreadPoolExecutor

import pypdfium2
import zxingcpp
from playwright.sync_api import expect
from pypdf import PdfReader

from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.signing import pdf_check
from balai.villages.models import Village
from tests.support.browser import login_page, upload_syarat
from tests.support.village import BUDI


def submit_domisili(page, live_server, tmp_path):
    """Budi asks for a Surat Keterangan Domisili through every page; returns the request."""
    page.goto(f"{live_server}/surat")
    page.click("text=Ajukan surat baru")
    page.check("label:has-text('Surat Keterangan Domisili')")
    page.dblclick("button:has-text('Lanjutkan')")  # a double click still makes one request
    expect(page.locator("h1")).to_have_text("Surat Keterangan Domisili: isian")
    page.fill("#keperluan", "Melamar pekerjaan di kota")
    page.click("button:has-text('Simpan dan lanjutkan')")
    expect(page.locator("h1")).to_have_text("Surat Keterangan Domisili: syarat")
    upload_syarat(page, tmp_path)
    expect(page.locator("main")).to_contain_text("Melamar pekerjaan di kota")
    page.dblclick("button:has-text('Ajukan')")
    expect(page.locator("#pesan")).to_contain_text("sudah diajukan")
    letter = LetterRequest.get_by_id(int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert LetterRequest.select().count() == 1
    assert [e.action for e in letter.events] == ["ajukan"]
    return letter


def approve_from_inbox_row(browser, live_server, official, letter):
    page = login_page(browser, live_server, official)
    page.goto(f"{live_server}/kotak-masuk")
    row = page.locator("form.row", has=page.locator(f"a[href$='/kotak-masuk/{letter.id}']"))
    row.locator("button[value=setujui]").click()
    expect(page.locator("#pesan")).to_contain_text("Budi Santoso disetujui")
    expect(row).to_have_count(0)
    page.context.close()


def approve_from_detail_page(browser, live_server, official, letter):
    page = login_page(browser, live_server, official)
    page.goto(f"{live_server}/kotak-masuk")
    page.click(f"a[href$='/kotak-masuk/{letter.id}']")
    expect(page.locator("main")).to_contain_text("Melamar pekerjaan di kota")
    if official == "kades":
        page.fill("input[name=passphrase]", seed.DEMO_SIGNING_PASSPHRASE)  # the Kades signs
    page.click("button[value=setujui]")
    expect(page.locator("#pesan")).to_contain_text("Budi Santoso")
    expect(page.locator("#pesan .msg-error")).to_have_count(0)
    page.context.close()


def check_status(app, pdf):
    """The file check's verdict, from a thread: it runs asyncio, which Playwright forbids here."""
    def check():
        with app.app_context():
            return pdf_check.check_pdf(pdf).status
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(check).result()


def qr_codes(pdf_path):
    image = pypdfium2.PdfDocument(pdf_path)[0].render(scale=3).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_a_resident_asks_three_officials_approve_and_the_letter_verifies(app, browser, live_server,
                                                                         db, tmp_path):
    Village.update(public_url=live_server).execute()
    resident = login_page(browser, live_server, BUDI)
    letter = submit_domisili(resident, live_server, tmp_path)
    assert letter.status == "diajukan" and letter.attachments.count() == 2

    approve_from_detail_page(browser, live_server, "kasipem", letter)  # the Kasi opens it first
    approve_from_inbox_row(browser, live_server, "sekdes", letter)
    approve_from_detail_page(browser, live_server, "kades", letter)

    letter = LetterRequest.get_by_id(letter.id)
    assert letter.status == "selesai" and letter.number
    resident.reload()
    expect(resident.locator("main")).to_contain_text("Selesai")
    expect(resident.locator("main")).to_contain_text(f"Nomor surat: {letter.number}")
    with resident.expect_download() as download:
        resident.click("text=Unduh surat (PDF)")
    pdf_path = tmp_path / "surat.pdf"
    download.value.save_as(pdf_path)

    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "Budi Santoso" in text or "BUDI SANTOSO" in text
    assert letter.number in text
    verify_url = f"{live_server}/verifikasi/{letter.verify_token}"
    assert qr_codes(pdf_path) == [verify_url]
    assert check_status(app, pdf_path.read_bytes()) == pdf_check.ASLI  # signed by the Kades

    resident.goto(verify_url)
    expect(resident.locator("main")).to_contain_text("masih berlaku")
    expect(resident.locator("main")).to_contain_text(letter.number)
    expect(resident.locator("main")).to_contain_text("Surat Keterangan Domisili")


def test_the_same_request_is_submitted_with_javascript_off(browser, live_server, db, tmp_path):
    resident = login_page(browser, live_server, BUDI, javascript=False)
    letter = submit_domisili(resident, live_server, tmp_path)
    assert letter.status == "diajukan" and letter.attachments.count() == 2

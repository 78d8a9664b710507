"""The letter journey's steps in a real browser, shared by the journey tests: a resident asks
for a Surat Keterangan Domisili, officials approve it (the Kades signs), the resident downloads
the letter, whose signature and QR code are then checked.

    letter = submit_domisili(page, base_url, tmp_path, purpose)
    approve_from_detail_page(browser, base_url, "kasipem", letter, purpose, "Budi Santoso")
    approve_from_inbox_row(browser, base_url, "sekdes", letter, "Budi Santoso")
    pdf_path = download_letter(page, tmp_path / "surat.pdf")
"""
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import pypdfium2
import zxingcpp
from playwright.sync_api import expect
from pypdf import PdfReader

from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.signing import pdf_check
from balai.villages.context import village_context
from tests.support.browser import login_page, upload_syarat

PURPOSE = "Melamar pekerjaan di kota"
BUDI_NAME = "Budi Santoso"


def submit_domisili(page, base_url, tmp_path, purpose=PURPOSE):
    """The logged-in resident asks for a Surat Keterangan Domisili through every page; returns
    the request (read in the village the test works for)."""
    page.goto(f"{base_url}/surat")
    page.click("text=Ajukan surat baru")
    page.check("label:has-text('Surat Keterangan Domisili')")
    page.dblclick("button:has-text('Lanjutkan')")  # a double click still makes one request
    expect(page.locator("h1")).to_have_text("Surat Keterangan Domisili: isian")
    page.fill("#keperluan", purpose)
    page.click("button:has-text('Simpan dan lanjutkan')")
    expect(page.locator("h1")).to_have_text("Surat Keterangan Domisili: syarat")
    upload_syarat(page, tmp_path)
    expect(page.locator("main")).to_contain_text(purpose)
    page.dblclick("button:has-text('Ajukan')")
    expect(page.locator("#pesan")).to_contain_text("sudah diajukan")
    letter = LetterRequest.get_by_id(int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert LetterRequest.select().count() == 1
    assert [e.action for e in letter.events] == ["ajukan"]
    return letter


def approve_from_inbox_row(browser, base_url, official, letter, resident=BUDI_NAME):
    page = login_page(browser, base_url, official)
    page.goto(f"{base_url}/kotak-masuk")
    row = page.locator("form.row", has=page.locator(f"a[href$='/kotak-masuk/{letter.id}']"))
    row.locator("button[value=setujui]").click()
    expect(page.locator("#pesan")).to_contain_text(f"{resident} disetujui")
    expect(row).to_have_count(0)
    page.context.close()


def approve_from_detail_page(browser, base_url, official, letter, purpose=PURPOSE,
                             resident=BUDI_NAME, passphrase=seed.DEMO_SIGNING_PASSPHRASE):
    page = login_page(browser, base_url, official)
    page.goto(f"{base_url}/kotak-masuk")
    page.click(f"a[href$='/kotak-masuk/{letter.id}']")
    expect(page.locator("main")).to_contain_text(purpose)
    if official == "kades":
        page.fill("input[name=passphrase]", passphrase)  # the Kades signs
    page.click("button[value=setujui]")
    expect(page.locator("#pesan")).to_contain_text(resident)
    expect(page.locator("#pesan .msg-error")).to_have_count(0)
    page.context.close()


def download_letter(page, pdf_path):
    """On the resident's page of an issued letter: download the PDF to pdf_path."""
    with page.expect_download() as download:
        page.click("text=Unduh surat (PDF)")
    download.value.save_as(pdf_path)
    return pdf_path


def pdf_text(pdf_path):
    return "".join(page.extract_text() for page in PdfReader(pdf_path).pages)


def check_pdf(app, pdf, village=None):
    """The file check's verdict (in `village`, else the only one), from a thread: it runs
    asyncio, which Playwright forbids here (and a thread starts with no village chosen)."""
    def check():
        with app.app_context(), village_context(village) if village else nullcontext():
            return pdf_check.check_pdf(pdf)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(check).result()


def qr_codes(pdf_path):
    image = pypdfium2.PdfDocument(pdf_path)[0].render(scale=3).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]

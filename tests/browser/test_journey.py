"""The whole letter service in a real browser: a resident asks, three officials approve, the
resident downloads the letter, and its QR code leads back to the verification page."""
from playwright.sync_api import expect

from balai.letters.models import LetterRequest
from balai.signing import pdf_check
from balai.villages.models import Village
from tests.support.browser import login_page
from tests.support.journey import (
    approve_from_detail_page,
    approve_from_inbox_row,
    check_pdf,
    download_letter,
    pdf_text,
    qr_codes,
    submit_domisili,
)
from tests.support.village import BUDI


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
    pdf_path = download_letter(resident, tmp_path / "surat.pdf")

    text = pdf_text(pdf_path)
    assert "Budi Santoso" in text or "BUDI SANTOSO" in text
    assert letter.number in text
    verify_url = f"{live_server}/verifikasi/{letter.verify_token}"
    assert qr_codes(pdf_path) == [verify_url]
    assert check_pdf(app, pdf_path.read_bytes()).status == pdf_check.ASLI  # signed by the Kades

    resident.goto(verify_url)
    expect(resident.locator("main")).to_contain_text("masih berlaku")
    expect(resident.locator("main")).to_contain_text(letter.number)
    expect(resident.locator("main")).to_contain_text("Surat Keterangan Domisili")


def test_the_same_request_is_submitted_with_javascript_off(browser, live_server, db, tmp_path):
    resident = login_page(browser, live_server, BUDI, javascript=False)
    letter = submit_domisili(resident, live_server, tmp_path)
    assert letter.status == "diajukan" and letter.attachments.count() == 2

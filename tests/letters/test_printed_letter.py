"""The printed letter (issue 14): a kop without a logo is centred (no empty logo cell), the letter
prints how long it is valid, and a footer says it is signed electronically, naming who issued
the certificate: the village's own CA, or BSrE (BSSN) when the remote signer is used."""
import datetime
import io
import re

from pypdf import PdfReader

from balai.letters import issuance
from balai.letters.models import LetterRequest
from balai.letters.pdf import letter_html, render_draft, render_letter
from balai.media import logo_key
from balai.signing.issuer import BSRE, issuer_name
from balai.signing.keys import CA_PEM_FILE, key_file_key
from balai.signing.models import SignerCertificate
from balai.storage import documents
from balai.villages.models import Village
from balai.web.filters import indonesian_date
from tests.support.files import image_bytes
from tests.support.village import make_request

UU_ITE = ("Sesuai UU ITE No. 11 Tahun 2008 Pasal 5 ayat (1), informasi elektronik dan/atau "
          "dokumen elektronik dan/atau hasil cetaknya merupakan alat bukti hukum yang sah.")


def text_of(pdf):
    """The PDF's text, as one line with single spaces (the footer wraps where it likes)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def footer(issuer, village):
    return (f"Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
            f"elektronik yang diterbitkan oleh {issuer}. {UU_ITE} Keasliannya dapat diperiksa "
            f"dengan memindai kode QR atau di {village.public_url.rstrip('/')}/verifikasi")


def test_an_issued_letter_prints_its_validity_and_the_village_cas_name(app, kades_user, signer):
    letter = make_request(status="diperiksa")
    with app.test_request_context():
        issued = issuance.issue_letter(letter.id, kades_user, signer=signer)
        pdf = documents().get(issuance.letter_key(issued.pdf_file))
        ca_name = issuer_name(documents().get(key_file_key(CA_PEM_FILE)).decode())
    village = Village.current()
    text = text_of(pdf)
    assert ca_name.startswith("CA ") and village.name in ca_name
    assert footer(ca_name, village) in text
    valid_until = indonesian_date(village.localtime(issued.issued_at).date() + datetime.timedelta(
        days=issued.letter_type.validity_days))
    assert f"Berlaku sampai {valid_until}" in text
    assert BSRE not in text and "DRAF" not in text
    page = app.test_client().get(f"/verifikasi/{issued.verify_token}").get_data(as_text=True)
    assert f"sampai {valid_until})" in page  # the date the verification page gives


def test_with_the_remote_signer_the_footer_names_bsre(app, db):
    letter = LetterRequest.get_by_id(make_request(status="diperiksa").id)
    app.config["BALAI_TTE_URL"] = "http://127.0.0.1:9"  # never called: only rendered here
    with app.test_request_context():
        pdf = render_letter(letter, Village.current(), "470/001/2026",
                            datetime.date(2026, 1, 5), "https://desa.test/verifikasi/x",
                            SignerCertificate.get())
    text = text_of(pdf)
    assert footer("Balai Sertifikasi Elektronik (BSrE), BSSN", Village.current()) in text
    assert "Berlaku sampai 4 Februari 2026" in text  # 30 days for a Surat Keterangan Domisili
    assert "diterbitkan oleh CA " not in text


def test_the_draft_is_marked_and_has_no_number_qr_or_signature(app, db):
    letter = LetterRequest.get_by_id(make_request(status="diperiksa").id)
    with app.test_request_context():
        text = text_of(render_draft(letter, Village.current(), datetime.date(2026, 1, 5)))
    assert "DRAF / CONTOH" in text and "belum bernomor, belum ditandatangani" in text
    assert "Nomor: (diberikan saat ditandatangani)" in text
    assert "Belum ditandatangani" in text and "Kode QR dibuat saat surat ditandatangani" in text
    assert "Berlaku sampai 4 Februari 2026" in text
    assert "diterbitkan oleh CA Desa" in text  # as it will print, with the Kades's certificate


def kop_cells(app, letter):
    with app.test_request_context():
        html = letter_html(letter, Village.current(), datetime.date(2026, 1, 5), number="1",
                           qr=None, signer_name="X", signer_title=["Kepala Desa"], issuer="CA")
    kop = re.search(r'<table class="kop"><tr>(.*?)</tr></table>', html, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", kop, re.S), kop


def test_without_a_logo_the_kop_is_one_centred_cell(app, db):
    letter = LetterRequest.get_by_id(make_request(status="diperiksa").id)
    cells, kop = kop_cells(app, letter)
    assert len(cells) == 1 and "PEMERINTAH" in cells[0]
    assert 'width="100%" class="kop-text"' in kop
    with app.app_context():  # with a logo: the logo's cell, then the text
        documents().put(logo_key("logo-test.png"), image_bytes("PNG", size=(64, 64)))
    Village.update(logo="logo-test.png").execute()
    cells, kop = kop_cells(app, letter)
    assert len(cells) == 2 and "<img" in cells[0] and "PEMERINTAH" in cells[1]

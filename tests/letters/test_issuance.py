"""Issuing a letter: number, PDF (text, logo, QR, paper), storage, and voiding on failure."""
import datetime
import io
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from balai.letters import issuance
from balai.letters import pdf as letter_pdf
from balai.letters.models import LetterRequest, OutOfTurn, WorkflowError
from balai.letters.register import RegisterEntry
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing import pdf_check
from balai.villages.models import Village
from tests.support.stored import letter_bytes, put_upload, stored_keys, stored_names
from tests.support.village import make_request

PUBLIC_URL = "https://sukamaju.desa.id"
MM = 72 / 25.4


@pytest.fixture
def ctx(app, db):
    Village.update(public_url=PUBLIC_URL).execute()
    with app.app_context():
        yield app


@pytest.fixture
def kades(db):
    return User.by_login("kades")


def issue(kades, signer):
    letter = make_request(status="diperiksa")
    return issuance.issue_letter(letter.id, kades, "Setuju", letter.version, signer=signer)


def pdf_path(app, letter):
    """The stored letter, as a file object."""
    return io.BytesIO(letter_bytes(app, letter.pdf_file))


def qr_text(path):
    page = pypdfium2.PdfDocument(path)[0]
    image = page.render(scale=3).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_issuing_numbers_renders_and_stores_the_letter(ctx, kades, signer):
    letter = issue(kades, signer)
    year = Village.current().localtime(letter.issued_at).year
    assert letter.status == "selesai"
    assert letter.number.startswith("470/001/3213052001/") and letter.number.endswith(f"/{year}")
    assert len(letter.verify_token) >= 22  # >= 128 bits in URL-safe base64
    entry = RegisterEntry.get(RegisterEntry.request == letter)
    assert (entry.status, entry.number, entry.seq, entry.year) == ("terbit", letter.number, 1, year)
    assert [e.action for e in letter.timeline()][-2:] == ["setujui", "terbit"]
    path = pdf_path(ctx, letter)
    assert stored_names(ctx, "letters") == {letter.pdf_file} and len(letter.pdf_file) == 36
    text = pypdf.PdfReader(path).pages[0].extract_text()
    for expected in ("Budi Santoso", "3213051508900001", letter.number, "SURAT KETERANGAN DOMISILI",
                     "H. Ujang Suryana", "Melamar pekerjaan", "KECAMATAN SUKAMAJU"):
        assert expected in text
    assert qr_text(path) == [f"{PUBLIC_URL}/verifikasi/{letter.verify_token}"]


def test_the_next_letter_takes_the_next_number(ctx, kades, signer):
    numbers = [issue(kades, signer).number for _ in range(2)]
    assert [n.split("/")[1] for n in numbers] == ["001", "002"]


def test_month_and_year_follow_the_village_time_zone(ctx, kades, signer, monkeypatch):
    # 31 December 18:00 UTC is already 1 January 01:00 in Asia/Jakarta.
    monkeypatch.setattr(issuance, "now", lambda: datetime.datetime(2026, 12, 31, 18, 0))
    letter = issue(kades, signer)
    assert letter.number == "470/001/3213052001/I/2027"
    assert "1 Januari 2027" in pypdf.PdfReader(pdf_path(ctx, letter)).pages[0].extract_text()


def test_f4_paper(ctx, kades, signer):
    Village.update(paper="F4").execute()
    box = pypdf.PdfReader(pdf_path(ctx, issue(kades, signer))).pages[0].mediabox
    assert (round(box.width / MM), round(box.height / MM)) == (215, 330)


def logo_sizes(path):
    return {(image.image.width, image.image.height)
            for image in pypdf.PdfReader(path).pages[0].images}


def test_the_logo_from_the_uploads_is_in_the_letter(ctx, kades, signer):
    logo = io.BytesIO()
    Image.new("RGB", (37, 41), "green").save(logo, "PNG")
    put_upload(ctx, "logo.png", logo.getvalue())
    Village.update(logo="logo.png").execute()
    assert (37, 41) in logo_sizes(pdf_path(ctx, issue(kades, signer)))


def test_a_logo_outside_the_allowed_folders_is_not_loaded(ctx, kades, signer, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    Image.new("RGB", (37, 41), "red").save(outside / "logo.png")
    Village.update(logo="../outside/logo.png").execute()
    assert (37, 41) not in logo_sizes(pdf_path(ctx, issue(kades, signer)))


def test_the_stored_letter_is_signed_and_recorded(ctx, kades, signer):
    letter = issue(kades, signer)
    stored = letter_bytes(ctx, letter.pdf_file)
    assert letter.sha256 == signing.sha256(stored)
    assert letter.signer_id == signer.row.id and letter.signed_at == letter.issued_at
    verdict = pdf_check.check_pdf(stored, LetterRequest.issued_lookup)
    assert verdict.status == pdf_check.ASLI and verdict.letter.id == letter.id
    assert "ditandatangani H. Ujang Suryana (Kepala Desa)" in letter.timeline()[-1].note


@pytest.mark.parametrize("position, lines", [
    ("Plt. Kepala Desa", ["Plt. Kepala Desa Sukamaju"]),
    ("a.n. Kepala Desa, Sekretaris Desa", ["a.n. Kepala Desa Sukamaju", "Sekretaris Desa"])])
def test_the_signer_name_and_title_come_from_the_certificate(ctx, kades, signer, position, lines):
    signer.row.holder_name, signer.row.position = "Asep Saepudin", position
    text = pypdf.PdfReader(pdf_path(ctx, issue(kades, signer))).pages[0].extract_text()
    assert all(line in text for line in lines) and "Asep Saepudin" in text
    assert "H. Ujang Suryana" not in text


class Meanwhile:
    """A signer that lets something happen to the request before signing."""

    def __init__(self, signer, happen):
        self.row, self.signer, self.happen = signer.row, signer, happen

    def sign(self, pdf, **kwargs):
        self.happen()
        return self.signer.sign(pdf, **kwargs)


def test_a_render_failure_voids_the_number_and_changes_nothing(ctx, kades, signer, monkeypatch):
    def broken(*args):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(issuance, "render_letter", broken)
    letter = make_request(status="diperiksa")
    with pytest.raises(issuance.IssueFailed) as failed:
        issuance.issue_letter(letter.id, kades, "", letter.version, signer=signer)
    entry = RegisterEntry.get()
    assert entry.number in str(failed.value) and "dicatat batal" in str(failed.value)
    assert entry.status == "batal" and "printer on fire" in entry.void_reason
    after = LetterRequest.get_by_id(letter.id)
    assert (after.status, after.number, after.pdf_file) == ("diperiksa", None, None)
    assert after.version == 0
    assert not stored_keys(ctx, "letters/")


def test_a_request_changed_meanwhile_voids_the_number(ctx, kades, signer):
    letter = make_request(status="diperiksa")

    def returned():
        LetterRequest.get_by_id(letter.id).apply("kembalikan", kades, "Data kurang",
                                                     category="berkas_kurang")

    with pytest.raises(WorkflowError):
        issuance.issue_letter(letter.id, kades, "", 0, signer=Meanwhile(signer, returned))
    assert RegisterEntry.get().status == "batal"
    after = LetterRequest.get_by_id(letter.id)
    assert (after.status, after.number, after.pdf_file) == ("dikembalikan", None, None)
    assert not stored_keys(ctx, "letters/")
    # The next letter takes the next number: the voided one stays in the register.
    assert issue(kades, signer).number.split("/")[1] == "002"


@pytest.mark.parametrize("login, status, version", [
    ("sekdes", "diperiksa", 0), ("kades", "diverifikasi", 0), ("kades", "diperiksa", 3)])
def test_refused_up_front_takes_no_number(ctx, signer, login, status, version):
    letter = make_request(status=status)
    with pytest.raises(WorkflowError) as refused:
        issuance.issue_letter(letter.id, User.by_login(login), "", version, signer=signer)
    assert refused.value.status == (409 if version else 403)
    assert not RegisterEntry.select().exists()
    assert isinstance(refused.value, OutOfTurn) == (not version)


@pytest.mark.parametrize("uri", ["/etc/passwd", "../secret_key", "http://127.0.0.1/x.png",
                                 "file:///etc/hostname"])
def test_the_link_callback_refuses_anything_outside_static_and_uploads(ctx, uri):
    assert letter_pdf.link_callback(uri, None) == ""


def test_the_link_callback_allows_static_files(ctx):
    icon = Path(ctx.static_folder) / "icon.svg"
    assert letter_pdf.link_callback(str(icon), None) == str(icon.resolve())

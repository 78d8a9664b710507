import datetime
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.status import SignatureCoverageLevel

from balai.demo import seed
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing import pdf_check
from balai.signing.models import SignerCertificate
from balai.storage import Folder, documents
from tests.support.signing import (
    LETTER_TEXT,
    former_kades_key,
    letter_pdf,
    other_village,
    rendered_letter_pdf,
)

UTC = datetime.timezone.utc
PASSPHRASE = seed.DEMO_SIGNING_PASSPHRASE


@pytest.fixture
def ctx(app, db):
    with app.app_context():
        yield app


@pytest.fixture
def kades_cert(ctx):
    return SignerCertificate.current_for(User.by_login("kades"))


@pytest.fixture
def signed(kades_cert):
    return signing.sign_pdf(letter_pdf(), kades_cert, PASSPHRASE,
                            verify_url="http://127.0.0.1:5000/verifikasi/tok123")


def official(username, role="sekdes", name="Drs. Karta Wijaya"):
    return User.create(username=username, role=role, full_name=name, active=True,
                       password_hash="x")


def test_demo_kades_has_a_current_certificate(kades_cert, ctx):
    assert kades_cert.position == "Kepala Desa"
    assert kades_cert.holder_name == "H. Ujang Suryana"
    assert documents(ctx).exists(signing.key_file_key(kades_cert.key_file))
    assert seed.demo_signing_passphrase(documents(ctx)) == PASSPHRASE


def test_signed_letter_is_asli_and_names_the_letter(signed, kades_cert):
    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert len(embedded) == 1
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    asked = []

    def lookup(digest, token):
        asked.append(token)
        return ("surat-1", digest)

    verdict = pdf_check.check_pdf(signed, lookup)
    assert verdict.status == pdf_check.ASLI, verdict.reason
    assert verdict.letter == "surat-1" and asked == ["tok123"]
    assert verdict.signer == kades_cert
    assert abs(verdict.signed_at - signing.utcnow().replace(tzinfo=None)) < datetime.timedelta(minutes=1)
    assert verdict.sha256 == signing.sha256(signed)


def test_rendered_letter_with_qr_code_signs_and_validates(kades_cert):
    signed = signing.sign_pdf(rendered_letter_pdf(), kades_cert, PASSPHRASE)
    assert signed.startswith(rendered_letter_pdf())  # an incremental update: the page is untouched
    assert pdf_check.check_pdf(signed).status == pdf_check.ASLI


def test_signature_covers_the_whole_file(signed, kades_cert):
    # what check_pdf's child process reports, read here directly
    pems = {kades_cert.fingerprint: (kades_cert.cert_pem, kades_cert.chain_pem)}
    status = [pdf_check.read_signatures(signed, pems)[1]]
    assert status[0].coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status[0].intact and status[0].valid and status[0].trusted


def test_one_flipped_byte_is_diubah(signed):
    assert signed.count(LETTER_TEXT) == 1
    tampered = signed.replace(LETTER_TEXT, LETTER_TEXT.replace(b"001", b"002"))
    verdict = pdf_check.check_pdf(tampered)
    assert verdict.status == pdf_check.DIUBAH
    assert "rusak" in verdict.reason


def test_bytes_appended_after_signing_are_diubah(signed):
    assert pdf_check.check_pdf(signed + b"\n% tambahan\n").status == pdf_check.DIUBAH


def test_incremental_update_after_signing_is_diubah(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = pdf_check.check_pdf(out.getvalue())
    assert verdict.status == pdf_check.DIUBAH
    assert "setelah ditandatangani" in verdict.reason


@pytest.mark.parametrize("cut, status", [(0.5, pdf_check.DIUBAH), (0.9, pdf_check.DIUBAH),
                                         (0.0, pdf_check.BUKAN)])
def test_broken_files(signed, cut, status):
    data = signed[:int(len(signed) * cut)] if cut else b"%PDF-1.4 bukan surat"
    assert pdf_check.check_pdf(data).status == status


def test_file_differing_from_the_issued_letter_is_diubah(signed):
    verdict = pdf_check.check_pdf(signed, lambda digest, token: ("surat-1", "0" * 64))
    assert verdict.status == pdf_check.DIUBAH and verdict.letter == "surat-1"


def test_letter_signed_by_another_village_is_bukan(ctx, tmp_path):
    ca, (key, cert) = other_village()
    outsider = official("lain", role="kades", name="Kepala Desa Lain")
    data = signing.p12_bytes("lain", key, cert, [ca[1]], "sandi-lain-123")
    elsewhere = Folder(tmp_path / "desa-lain")
    row = signing.import_p12(elsewhere, data, outsider, "Kepala Desa", "sandi-lain-123")
    signed = signing.unlock(row, "sandi-lain-123", elsewhere).sign(letter_pdf())
    row.delete_instance()  # the other village's register, not ours
    verdict = pdf_check.check_pdf(signed)
    assert verdict.status == pdf_check.BUKAN
    assert "tidak dibuat dengan sertifikat desa ini" in verdict.reason


def test_unsigned_pdf_is_bukan(ctx):
    verdict = pdf_check.check_pdf(letter_pdf())
    assert verdict.status == pdf_check.BUKAN
    assert "tidak memiliki tanda tangan" in verdict.reason


def register_former_kades(store):
    ca_cert, (key, cert) = former_kades_key()
    data = signing.p12_bytes("former", key, cert, [ca_cert], PASSPHRASE)
    return signing.add_to_register(store, data, cert, [ca_cert], official("mantan"),
                                   "Kepala Desa", "dibuat")


def test_letter_of_former_kades_stays_asli_after_the_certificate_expired(ctx):
    row = register_former_kades(documents(ctx))
    signed_at = datetime.datetime(2022, 6, 1, 9, 30, tzinfo=UTC)
    signed = signing.sign_pdf(letter_pdf(), row, PASSPHRASE, signing_time=signed_at)
    verdict = pdf_check.check_pdf(signed)
    assert verdict.status == pdf_check.ASLI, verdict.reason
    assert verdict.signed_at == signed_at.replace(tzinfo=None)
    assert verdict.signer == row


def test_former_kades_key_is_refused_today(ctx):
    row = register_former_kades(documents(ctx))
    assert SignerCertificate.current_for(row.user) is None
    for attempt in (signing.check_passphrase, lambda r, p: signing.sign_pdf(letter_pdf(), r, p)):
        with pytest.raises(signing.SigningError, match="masa berlaku sertifikat sudah berakhir"):
            attempt(row, PASSPHRASE)


def test_acting_official_signs_only_within_the_designated_period(ctx, kades_cert):
    ca_key, ca_cert, _ = signing.open_p12(seed.demo_signing_material()[0], PASSPHRASE)
    today = datetime.date.today()
    row = signing.enroll(documents(ctx), (ca_key, ca_cert), User.by_login("sekdes"),
                         "Plt. Kepala Desa", "sandi-plt-123",
                         period=(today - datetime.timedelta(days=30), today + datetime.timedelta(days=1)))
    assert SignerCertificate.current_for(row.user) == row
    assert pdf_check.check_pdf(signing.sign_pdf(letter_pdf(), row, "sandi-plt-123")).status == "asli"
    later = datetime.datetime.now(UTC) + datetime.timedelta(days=3)
    assert SignerCertificate.current_for(row.user, later.replace(tzinfo=None)) is None
    with pytest.raises(signing.SigningError, match="masa jabatan"):
        signing.sign_pdf(letter_pdf(), row, "sandi-plt-123", signing_time=later)


def test_letter_signed_outside_the_designated_period_is_not_asli(ctx):
    row = register_former_kades(documents(ctx))
    signed = signing.sign_pdf(letter_pdf(), row, PASSPHRASE,
                              signing_time=datetime.datetime(2022, 6, 1, tzinfo=UTC))
    row.period_to = datetime.date(2021, 12, 31)
    row.save()
    assert pdf_check.check_pdf(signed).status == pdf_check.BUKAN


def test_wrong_passphrase_is_refused_and_changes_nothing(kades_cert, ctx):
    key_file = signing.key_file_key(kades_cert.key_file)
    before = documents(ctx).get(key_file), SignerCertificate.select().count()
    for attempt in (signing.check_passphrase, lambda row, p: signing.sign_pdf(letter_pdf(), row, p)):
        with pytest.raises(signing.SigningError, match="Kata sandi tanda tangan salah"):
            attempt(kades_cert, "bukan-sandinya")
    assert (documents(ctx).get(key_file), SignerCertificate.select().count()) == before
    signing.check_passphrase(kades_cert, PASSPHRASE)


def test_missing_key_file_is_a_clear_error(kades_cert, ctx):
    documents(ctx).delete(signing.key_file_key(kades_cert.key_file))
    with pytest.raises(signing.SigningError, match="tidak ditemukan"):
        signing.sign_pdf(letter_pdf(), kades_cert, PASSPHRASE)


def test_key_file_of_another_certificate_is_refused(kades_cert, ctx):
    row = register_former_kades(documents(ctx))
    kades_cert.key_file = row.key_file
    with pytest.raises(signing.SigningError, match="tidak cocok"):
        signing.check_passphrase(kades_cert, PASSPHRASE)


class Upload:
    def __init__(self, data, filename="surat.pdf"):
        self.stream, self.filename = io.BytesIO(data), filename


@pytest.mark.parametrize("upload, message", [
    (None, "Pilih berkas PDF"),
    (Upload(b"\x89PNG\r\n\x1a\n....", "foto.png"), "bukan PDF"),
    (Upload(b"%PDF-1.4\n" + b"0" * pdf_check.MAX_UPLOAD_BYTES), "terlalu besar"),
])
def test_upload_that_cannot_be_checked(upload, message):
    with pytest.raises(pdf_check.UploadError, match=message):
        pdf_check.read_upload(upload)


def test_pdf_upload_is_read():
    assert pdf_check.read_upload(Upload(letter_pdf())) == letter_pdf()


def test_imported_key_of_another_type_signs_through_pyhanko(ctx):
    from cryptography.hazmat.primitives.asymmetric import ed25519
    ca_key, ca_cert, _ = signing.open_p12(seed.demo_signing_material()[0], PASSPHRASE)
    key = ed25519.Ed25519PrivateKey.generate()
    start = signing.utcnow() - datetime.timedelta(minutes=1)
    cert = signing._certificate(signing._name("Ed Kades", "Desa Sukamaju"), ca_cert.subject,
                                key.public_key(), ca_key, start,
                                start + datetime.timedelta(days=30), is_ca=False)
    row = signing.import_p12(documents(ctx),
                             signing.p12_bytes("ed", key, cert, [ca_cert], "sandi-ed-123"),
                             official("ed"), "Kepala Desa", "sandi-ed-123")
    signed = signing.sign_pdf(letter_pdf(), row, "sandi-ed-123")
    assert pdf_check.check_pdf(signed).status == pdf_check.ASLI

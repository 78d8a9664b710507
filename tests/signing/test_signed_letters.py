"""Signed letters end to end: approval with the passphrase (one and many), revocation, the
public verification page with its file check and rate limit, and the signer register page."""
import datetime
import logging
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from peewee import OperationalError

from balai.db import now
from balai.demo import seed
from balai.letters import issuance
from balai.letters.models import LetterEvent
from balai.letters.register import RegisterEntry
from balai.notify.models import Notification
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing.models import SignerCertificate, VerifyHit
from balai.storage import documents
from balai.villages.models import Village
from tests.support.signing import (
    NIK,
    PASSPHRASE,
    approve,
    check_upload,
    letter_pdf,
    reloaded,
    running_tte,
    slow,
    stored_pdf,
)
from tests.support.village import AHMAD, SITI, make_request


def nothing_happened(letter):
    after = reloaded(letter)
    assert (after.status, after.number, after.version) == ("diperiksa", None, letter.version)
    assert not RegisterEntry.select().exists()


def test_an_approved_letter_is_a_signed_pdf_that_checks_as_asli(app, issued, client):
    pdf = stored_pdf(app, issued)
    assert b"/ByteRange" in pdf and issued.signer.holder_name == "H. Ujang Suryana"
    page = check_upload(client, pdf).get_data(as_text=True)
    assert "ASLI" in page and issued.number in page and issued.sha256 in page


def test_the_resident_is_told_the_number_of_the_issued_letter(issued):
    told = Notification.get(Notification.key.startswith("letter-event:")
                            & Notification.message.contains("sudah terbit"))
    assert told.recipient.person_id == issued.person_id and told.link == f"/surat/{issued.id}"
    assert f"dengan nomor {issued.number}" in told.message


def test_one_flipped_byte_is_diubah(app, issued, client):
    pdf = bytearray(stored_pdf(app, issued))
    middle = len(pdf) // 3
    pdf[middle] ^= 0x01
    page = check_upload(client, bytes(pdf)).get_data(as_text=True)
    assert "DIUBAH" in page and "ASLI" not in page


def test_the_qr_code_on_the_page_opens_the_verification_page(app, issued, client):
    page = pypdfium2.PdfDocument(stored_pdf(app, issued))[0]
    codes = zxingcpp.read_barcodes(page.render(scale=3).to_pil())
    assert len(codes) == 1
    response = client.get(urlsplit(codes[0].text).path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and issued.number in html
    for shown in ("Berlaku", "H. Ujang Suryana, Kepala Desa", issued.sha256, "Bu** Sa*****"):
        assert shown in html
    assert "3213051508900001" not in html and "Sukamaju No. 12" not in html


def test_the_passphrase_goes_nowhere(db, kades, caplog):
    letter = make_request(status="diperiksa")
    with caplog.at_level(logging.DEBUG):
        approve(kades, letter)
        wrong = approve(kades, make_request(status="diperiksa", nik=SITI), "salah-" + PASSPHRASE)
    assert wrong.status_code == 422 and PASSPHRASE not in wrong.get_data(as_text=True)
    assert PASSPHRASE not in caplog.text
    assert not LetterEvent.select().where(LetterEvent.note.contains(PASSPHRASE)).exists()


def test_a_wrong_passphrase_changes_nothing(db, kades):
    letter = make_request(status="diperiksa")
    response = approve(kades, letter, "bukan-sandinya")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kata sandi tanda tangan salah" in page
    assert 'type="password" id="passphrase" name="passphrase" autocomplete="off">' in page
    assert "bukan-sandinya" not in page
    nothing_happened(letter)


def test_an_empty_passphrase_is_asked_for(db, kades):
    letter = make_request(status="diperiksa")
    response = approve(kades, letter, "")
    assert response.status_code == 422 and "Ketik kata sandi" in response.get_data(as_text=True)
    nothing_happened(letter)


def test_a_kades_without_a_certificate_is_told_how_to_get_one(db, kades):
    SignerCertificate.delete().execute()
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 422
    assert "flask --app app signing-setup" in response.get_data(as_text=True)
    nothing_happened(letter)


@pytest.mark.parametrize("ended", [{"valid_to": datetime.datetime(2025, 1, 1)},
                                   {"period_to": datetime.date(2025, 1, 1)}])
def test_a_former_kades_certificate_cannot_sign(db, kades, ended):
    SignerCertificate.update(ended).execute()
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 422 and "tidak berlaku" in response.get_data(as_text=True)
    nothing_happened(letter)


def test_someone_else_still_cannot_approve_for_the_kades(db, sekdes):
    letter = make_request(status="diperiksa")
    assert approve(sekdes, letter).status_code == 403
    nothing_happened(letter)


def test_an_acting_official_approves_and_signs_in_the_kades_step(app, db, sekdes):
    ca_key, ca_cert, _ = signing.open_p12(seed.demo_signing_material()[0], PASSPHRASE)
    today = datetime.date.today()
    signing.enroll(documents(app), (ca_key, ca_cert), User.by_login("sekdes"),
                   "Plt. Kepala Desa", "sandi-plt-123",
                   period=(today - datetime.timedelta(days=1), today + datetime.timedelta(days=30)))
    letter = make_request(status="diperiksa")
    assert f"/kotak-masuk/{letter.id}" in sekdes.get("/kotak-masuk").get_data(as_text=True)
    assert approve(sekdes, letter, "sandi-plt-123").status_code == 303
    after = reloaded(letter)
    assert after.status == "selesai" and after.signer.position == "Plt. Kepala Desa"
    assert after.signer.user.username == "sekdes"
    detail = sekdes.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert f"/surat-terbit/{letter.id}/cabut" in detail  # acting for the Kades, they may revoke
    waiting = make_request(status="diverifikasi")
    waiting.apply("setujui", User.by_login("sekdes"))
    told = Notification.select().where(Notification.message.contains("menunggu persetujuan"))
    assert sorted(row.recipient.username for row in told) == ["kades", "sekdes"]


@pytest.fixture
def tte(app, db):
    row = SignerCertificate.get()
    row.nik = NIK
    row.save()
    with app.app_context(), running_tte(app, row) as server:
        yield server


def test_a_remote_service_timing_out_holds_its_number(app, db, kades, tte):
    slow(app, tte)
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 503
    assert "tidak menjawab dalam 0.5 detik" in response.get_data(as_text=True)
    after = reloaded(letter)  # the service may have signed it: the number waits for the Kades
    assert (after.status, after.number, after.version) == ("diperiksa", None, letter.version)
    assert [entry.status for entry in RegisterEntry.select()] == ["tertahan"]
    tte.mode = "ok"
    assert approve(kades, letter).status_code == 303
    assert reloaded(letter).number.split("/")[1] == "002"
    assert [form["nik"] for _, _, form in tte.received] == [NIK, NIK]


def test_a_number_taken_after_ours_makes_a_failed_one_void(db, kades, tte):
    first = make_request(status="diperiksa")

    def meanwhile():  # another approval takes the next number while the service hangs
        year = Village.current().localtime(now()).year
        RegisterEntry.create(year=year, seq=2, number="x/002", request=None, status="terbit")

    tte.mode = "error"
    tte.before = meanwhile
    assert approve(kades, first).status_code == 503
    assert [e.status for e in RegisterEntry.select().order_by(RegisterEntry.seq)] == \
        ["batal", "terbit"]


def picks(*letters, version=None):
    return [f"{letter.id}:{letter.version if version is None else version}" for letter in letters]


def sign_many(client, values, passphrase=PASSPHRASE):
    return client.post("/kotak-masuk/tandatangani", data={"pilih": values,
                                                           "passphrase": passphrase})


def test_batch_signs_each_letter_and_reports_the_one_that_failed(db, kades, sekdes):
    first, changed, third = (make_request(status="diperiksa", nik=nik)
                             for nik in (seed.RESIDENTS[0]["nik"], SITI, AHMAD))
    values = picks(first, changed, third)
    reloaded(changed).apply("kembalikan", User.by_login("kades"), "Foto KK buram",
                              category="berkas_tidak_jelas")
    response = sign_many(kades, values)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 dari 3 surat terbit" in page
    numbers = [reloaded(letter).number for letter in (first, third)]
    assert [n.split("/")[1] for n in numbers] == ["001", "002"]
    assert all(number in page for number in numbers)
    assert "Siti Aminah" in page and "sudah diproses" in page
    assert reloaded(changed).status == "dikembalikan"


def test_batch_goes_on_when_one_letter_meets_an_unexpected_error(db, kades, monkeypatch):
    letters = [make_request(status="diperiksa", nik=nik) for nik in (SITI, AHMAD)]
    real, calls = issuance.take_number, []

    def busy_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args)
    monkeypatch.setattr(issuance, "take_number", busy_once)
    page = sign_many(kades, picks(*letters)).get_data(as_text=True)
    assert "1 dari 2 surat terbit" in page and "gangguan di server" in page
    assert reloaded(letters[0]).status == "diperiksa" and reloaded(letters[1]).number in page


def test_batch_refuses_more_than_twenty(db, kades):
    letters = [make_request(status="diperiksa") for _ in range(21)]
    response = sign_many(kades, picks(*letters))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "paling banyak 20 surat" in page
    assert page.count(" checked>") == 21  # the choice is kept
    assert not RegisterEntry.select().exists()


def test_batch_with_a_wrong_passphrase_or_nothing_picked(db, kades):
    letter = make_request(status="diperiksa")
    wrong = sign_many(kades, picks(letter), "salah-salah")
    assert wrong.status_code == 422
    assert "Kata sandi tanda tangan salah" in wrong.get_data(as_text=True)
    empty = sign_many(kades, [])
    assert empty.status_code == 422 and "Pilih dulu" in empty.get_data(as_text=True)
    nothing_happened(letter)


def test_batch_is_for_the_kades_only(db, sekdes):
    letter = make_request(status="diperiksa")
    assert sign_many(sekdes, picks(letter)).status_code == 403
    nothing_happened(letter)


def test_the_kades_inbox_offers_the_batch_form(db, kades):
    letter = make_request(status="diperiksa")
    page = kades.get("/kotak-masuk").get_data(as_text=True)
    assert f'name="pilih" value="{letter.id}:0" form="tandatangani"' in page
    assert 'id="tandatangani"' in page and 'name="passphrase"' in page


def revoke(client, letter, reason="Data pemohon keliru"):
    return client.post(f"/surat-terbit/{letter.id}/cabut", data={"note": reason})


@pytest.mark.parametrize("who", ["kades", "operator"])
def test_a_revoked_letter_says_dicabut_and_the_resident_is_told(request, app, issued, client,
                                                                who):
    assert revoke(request.getfixturevalue(who), issued).status_code == 303
    page = client.get(f"/verifikasi/{issued.verify_token}").get_data(as_text=True)
    assert "dicabut" in page and "Data pemohon keliru" in page
    upload = check_upload(client, stored_pdf(app, issued)).get_data(as_text=True)
    assert "DICABUT" in upload and issued.number in upload
    told = Notification.get(Notification.key.startswith(f"letter-revoked:{issued.id}:"))
    assert told.recipient.person_id == issued.person_id and issued.number in told.message
    assert revoke(request.getfixturevalue(who), issued).status_code == 409  # once only


def test_a_revocation_needs_a_reason(issued, kades):
    response = revoke(kades, issued, "  ")
    assert response.status_code == 422 and "Tuliskan alasan" in response.get_data(as_text=True)
    assert reloaded(issued).revoked_at is None


@pytest.mark.parametrize("who, status", [("budi", 404), ("siti", 404), ("kasipem", 403)])
def test_only_the_kades_and_operator_revoke(request, issued, who, status):
    client = request.getfixturevalue(who)
    assert client.get(f"/surat-terbit/{issued.id}/cabut").status_code == status
    assert revoke(client, issued).status_code == status
    assert reloaded(issued).revoked_at is None


def test_the_detail_page_links_to_revocation(issued, kades):
    page = kades.get(f"/kotak-masuk/{issued.id}").get_data(as_text=True)
    assert f"/surat-terbit/{issued.id}/cabut" in page


def test_verification_is_rate_limited_per_address(db, client, monkeypatch):
    monkeypatch.setattr(VerifyHit, "LIMIT", 3)
    for _ in range(3):
        assert client.get("/verifikasi/tidak-ada").status_code == 404
    refused = client.get("/verifikasi")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "Tunggu satu menit" in refused.get_data(as_text=True)
    other = client.get("/verifikasi", environ_overrides={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


@pytest.mark.parametrize("data, name, message", [
    (b"MZ\x90\x00 bukan pdf", "surat.pdf", "bukan PDF"),
    (b"%PDF-1.7\n" + b"0" * (12 * 1024 * 1024), "besar.pdf", "paling besar 10 MB"),
    (b"", "", "Pilih berkas PDF")])
def test_unusable_uploads_get_a_message(db, client, data, name, message):
    response = check_upload(client, data, name=name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_an_upload_over_the_request_limit_gets_the_same_message(db, client):
    response = check_upload(client, b"%PDF-1.7\n" + b"0" * (27 * 1024 * 1024))
    assert response.status_code == 413
    assert "paling besar 10 MB" in response.get_data(as_text=True)


def test_an_unsigned_pdf_is_not_from_this_village(db, client):
    page = check_upload(client, b"%PDF-1.4 bukan surat").get_data(as_text=True)
    assert "BUKAN DARI DESA INI" in page


def test_a_signed_file_the_village_never_issued_is_not_asli(app, db, client):
    with app.app_context():
        signed = signing.sign_pdf(letter_pdf(), SignerCertificate.get(), PASSPHRASE,
                                  verify_url="http://127.0.0.1:5000/verifikasi/tidak-ada")
    page = check_upload(client, signed).get_data(as_text=True)
    assert "BUKAN DARI DESA INI" in page and "tidak tercatat" in page


def test_the_operator_sees_the_signer_register(db, operator, kades):
    row = SignerCertificate.get()
    page = operator.get("/operator/penanda-tangan").get_data(as_text=True)
    assert row.fingerprint in page and "H. Ujang Suryana" in page and "Dibuat oleh desa" in page
    assert "/operator/penanda-tangan" in operator.get("/operator/").get_data(as_text=True)
    assert kades.get("/operator/penanda-tangan").status_code == 403

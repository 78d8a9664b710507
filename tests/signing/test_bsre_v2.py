"""Signing with BSrE's Esign Client API v2 (BALAI_BSRE_API=v2) through the Kades's inbox, against
a fake BSrE on 127.0.0.1 (tests/support/bsre_v2.py) built from BSrE's published API guide as
public clients use it:
- kiiskominfokepri/esign-ts DOCS.md, src/v2/EsignClient.ts (endpoints, Basic auth, the JSON of
  `/api/v2/sign/pdf` with nik|email, passphrase|totp, signatureProperties, file: [base64];
  `/api/v2/user/check/status`), src/dto/SignatureProperties.ts (tampilan INVISIBLE | VISIBLE
  with imageBase64, page, originX, originY, width, height, reason, location),
  src/v2/UserStatusResponse.ts (ISSUE, NOT_REGISTERED, NO_CERTIFICATE, EXPIRED, ...),
  tests/v2/Esign.test.ts (the answer {time, file: [base64]});
- the error answer {"status_code": 2031, "error": "Passphrase anda salah"} (HTTP 400) and 2011
  (signer not registered) as Laravel and Go BSrE clients on GitHub switch on them.
"""
import base64
import logging
from pathlib import Path

import pytest
from huey.signals import SIGNAL_ENQUEUED

from balai.letters.register import RegisterEntry
from balai.people.models import User
from balai.schema import MODELS
from balai.signing import pdf_check
from balai.signing.models import SignerCertificate
from balai.storage import documents
from tests.support.bsre_v2 import TOTP, running_bsre
from tests.support.notify import verified
from tests.support.signing import (
    NIK,
    PASSPHRASE,
    approve,
    reloaded,
    running_tte,
    slow,
    stored_pdf,
)
from tests.support.village import make_request

SIGN, STATUS = "/api/v2/sign/pdf", "/api/v2/user/check/status"


@pytest.fixture
def kades_row(app, db):
    row = SignerCertificate.get()
    row.nik = NIK
    row.save()
    return row


@pytest.fixture
def bsre(app, kades_row):
    with app.app_context(), running_bsre(app, kades_row) as server:
        yield server


def sign_with(client, letter, secret, cara):
    return client.post(f"/kotak-masuk/{letter.id}", data={
        "action": "setujui", "note": "", "passphrase": secret, "cara": cara,
        "version": letter.version})


def nothing_taken(letter):
    after = reloaded(letter)
    assert (after.status, after.number, after.version) == ("diperiksa", None, letter.version)
    assert not RegisterEntry.select().where(RegisterEntry.status != "batal").exists()


def test_v2_signs_a_letter_end_to_end(app, kades, bsre):
    letter = make_request(status="diperiksa")
    assert approve(kades, letter).status_code == 303
    after = reloaded(letter)
    assert after.status == "selesai" and after.number
    assert pdf_check.check_pdf(stored_pdf(app, after)).status == pdf_check.ASLI
    assert [entry.status for entry in RegisterEntry.select()] == ["terbit"]
    assert [path for path, _, _ in bsre.received] == [STATUS, SIGN]  # status first, one call
    (body,) = bsre.calls(SIGN)
    assert body["nik"] == NIK and body["passphrase"] == PASSPHRASE and "totp" not in body
    assert body["signatureProperties"][0]["tampilan"] == "INVISIBLE"
    assert base64.b64decode(body["file"][0]).startswith(b"%PDF-")


def test_the_kades_can_sign_with_a_totp_code(app, kades, bsre):
    letter = make_request(status="diperiksa")
    page = kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert 'name="cara" value="totp"' in page and 'name="cara" value="passphrase"' in page
    assert sign_with(kades, letter, TOTP, "totp").status_code == 303
    assert pdf_check.check_pdf(stored_pdf(app, reloaded(letter))).status == pdf_check.ASLI
    (body,) = bsre.calls(SIGN)
    assert body["totp"] == TOTP and "passphrase" not in body


@pytest.mark.parametrize("status, code, words", [
    ("NOT_REGISTERED", 2011, "belum terdaftar sebagai pengguna BSrE"),
    ("NO_CERTIFICATE", 2021, "belum memiliki sertifikat elektronik BSrE yang aktif"),
    ("EXPIRED", None, "sudah habis masa berlakunya"),
])
def test_a_signer_bsre_would_refuse_is_refused_before_numbering(kades, bsre, status, code,
                                                                words):
    bsre.statuses[NIK] = status
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and words in page and "Belum ada nomor surat" in page
    assert code is None or f"kode {code}" in page
    assert not RegisterEntry.select().exists()  # the register is unchanged
    nothing_taken(letter)
    assert bsre.calls(SIGN) == []


@pytest.mark.parametrize("code, cara, words", [
    (2031, "passphrase", "Kata sandi (passphrase) tanda tangan BSrE salah (kode 2031)"),
    (2031, "totp", "Kode TOTP salah atau sudah kedaluwarsa (kode 2031)"),
    (2011, "passphrase", "NIK penanda tangan belum terdaftar sebagai pengguna BSrE (kode 2011)"),
    (2021, "passphrase", "belum memiliki sertifikat elektronik BSrE yang aktif (kode 2021)"),
    (2999, "passphrase", "BSrE menolak permintaan tanda tangan (kode 2999: Gagal)"),
])
def test_each_error_code_is_told_in_indonesian(kades, bsre, code, cara, words):
    bsre.code = code
    letter = make_request(status="diperiksa")
    response = sign_with(kades, letter, TOTP if cara == "totp" else PASSPHRASE, cara)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and words in page
    assert "Surat belum ditandatangani dan tetap menunggu persetujuan Anda" in page
    nothing_taken(letter)  # the number was given back
    assert len(bsre.calls(SIGN)) == 1


def test_a_wrong_passphrase_is_refused_by_bsre_once(kades, bsre):
    letter = make_request(status="diperiksa")
    response = approve(kades, letter, "bukan-sandinya")
    assert response.status_code == 422 and "kode 2031" in response.get_data(as_text=True)
    nothing_taken(letter)


def test_a_timeout_after_sending_holds_the_number_and_asks_to_check(app, kades, bsre):
    slow(app, bsre)
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "tidak menjawab dalam 0.5 detik" in page
    (held,) = RegisterEntry.select()
    assert held.status == "tertahan"
    assert f"Nomor {held.number} ditahan" in page and "periksa riwayat dokumen" in page
    assert reloaded(letter).number is None
    assert len(bsre.calls(SIGN)) == 1  # not sent again
    inbox = kades.get("/kotak-masuk").get_data(as_text=True)
    assert "Nomor surat tertahan" in inbox and held.number in inbox


def test_a_connection_dropped_after_sending_holds_the_number(kades, bsre):
    bsre.mode = "drop"
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 503
    assert "terputus setelah surat dikirim" in response.get_data(as_text=True)
    assert [entry.status for entry in RegisterEntry.select()] == ["tertahan"]
    assert len(bsre.calls(SIGN)) == 1


def test_a_status_check_that_fails_takes_no_number(kades, bsre):
    bsre.mode = "down"
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 503 and "sedang bermasalah (kode 503)" in \
        response.get_data(as_text=True)
    assert not RegisterEntry.select().exists()
    assert bsre.calls(SIGN) == []


def test_an_answer_without_a_readable_file_holds_the_number(kades, bsre):
    bsre.mode = "garbled"  # a 200: BSrE may well have signed it
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 503
    assert "tanpa berkas surat yang dapat dibaca" in response.get_data(as_text=True)
    assert [entry.status for entry in RegisterEntry.select()] == ["tertahan"]


@pytest.mark.parametrize("mode", ["error", "slow"])
def test_a_failed_signing_call_is_never_retried(app, kades, bsre, mode):
    bsre.mode = mode
    if mode == "slow":
        slow(app, bsre)
    letters = [make_request(status="diperiksa") for _ in range(3)]
    response = kades.post("/kotak-masuk/tandatangani", data={
        "pilih": [f"{letter.id}:{letter.version}" for letter in letters],
        "passphrase": PASSPHRASE})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("Belum dikirim ke layanan") == 2
    assert len(bsre.calls(SIGN)) == 1 and len(bsre.calls(STATUS)) == 1


def test_a_refused_passphrase_is_not_sent_again_for_the_rest_of_a_batch(kades, bsre):
    bsre.code = 2031
    letters = [make_request(status="diperiksa") for _ in range(3)]
    response = kades.post("/kotak-masuk/tandatangani", data={
        "pilih": [f"{letter.id}:{letter.version}" for letter in letters],
        "passphrase": PASSPHRASE})
    page = response.get_data(as_text=True)
    assert page.count("kata sandi atau kode TOTP ditolak pada surat sebelumnya") == 2
    assert len(bsre.calls(SIGN)) == 1  # a second wrong try could lock the Kades's account
    for letter in letters:
        nothing_taken(letter)


@pytest.mark.parametrize("cara, secret", [  # 8 digits: 6 turn up by chance in timestamps
    ("passphrase", "Rah4sia-Kades-BSrE"), ("totp", "86420913")])
def test_no_secret_is_logged_stored_or_queued(app, kades, bsre, caplog, cara, secret):
    queued, huey = [], app.extensions["queue"].huey
    huey.signal(SIGNAL_ENQUEUED)(lambda signal, task: queued.append(huey.serialize_task(task)))
    bsre.passphrase = bsre.totp = secret
    caplog.set_level(logging.DEBUG)
    signed, refused = make_request(status="diperiksa"), make_request(status="diperiksa")
    verified(User.get(User.person == signed.person), "email", "budi@example.test")
    assert sign_with(kades, signed, secret, cara).status_code == 303
    slow(app, bsre)
    assert sign_with(kades, refused, secret, cara).status_code == 503
    assert queued  # the issued letter's e-mail to Budi went through the queue
    assert bsre.calls(SIGN)[0][cara] == secret  # it did reach BSrE
    needle = secret.encode()
    assert needle not in caplog.text.encode()
    assert not [data for data in queued if needle in data]
    for model in MODELS:
        for row in model.select().dicts():
            assert needle not in repr(row).encode(), model.__name__
    store = documents(app)
    for key, _ in store.listing(""):
        assert needle not in store.get(key), key
    for path in Path(app.config["DATA_DIR"]).rglob("*"):  # the SQLite files, huey's, any log
        assert not path.is_file() or needle not in path.read_bytes(), path


def test_totp_needs_api_v2(app, kades, kades_row):
    letter = make_request(status="diperiksa")
    assert 'value="totp"' not in kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    response = sign_with(kades, letter, TOTP, "totp")
    assert response.status_code == 422
    assert "Kode TOTP hanya dapat dipakai" in response.get_data(as_text=True)
    nothing_taken(letter)


def test_an_unknown_api_version_is_refused_before_numbering(app, kades, bsre):
    app.config["BALAI_BSRE_API"] = "v3"
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 422 and "BALAI_BSRE_API" in response.get_data(as_text=True)
    nothing_taken(letter)
    assert bsre.received == []


def test_v1_still_signs_when_chosen(app, kades, kades_row):
    with app.app_context(), running_tte(app, kades_row) as tte:
        app.config.update(BALAI_BSRE_API="v1", BALAI_TTE_TIMEOUT="10")  # a busy machine
        letter = make_request(status="diperiksa")
        assert approve(kades, letter).status_code == 303
        assert pdf_check.check_pdf(stored_pdf(app, reloaded(letter))).status == pdf_check.ASLI
        assert [path for path, _, _ in tte.received] == ["/api/sign/pdf"]

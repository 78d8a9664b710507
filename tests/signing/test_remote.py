import datetime
import socket

import pytest

from balai.db import db as database
from balai.demo import seed
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing import pdf_check
from balai.signing import remote as signing_remote
from balai.signing.models import SignerCertificate
from tests.support.signing import NIK, letter_pdf, running_tte, slow


@pytest.fixture
def kades_cert(app, db):
    with app.app_context():
        row = SignerCertificate.current_for(User.by_login("kades"))
        row.nik = NIK
        row.save()
        yield row


@pytest.fixture
def tte(app, kades_cert):
    with running_tte(app, kades_cert) as server:
        yield server


def remote_sign(app, row, passphrase=seed.DEMO_SIGNING_PASSPHRASE):
    signer = signing_remote.signer_for(row, passphrase, app.config)
    return signer.sign(letter_pdf(), verify_url="http://127.0.0.1:5000/verifikasi/tok123")


def test_remote_service_returns_a_signed_pdf_that_validates(app, tte, kades_cert):
    signed = remote_sign(app, kades_cert)
    assert pdf_check.check_pdf(signed).status == pdf_check.ASLI
    path, authorization, form = tte.received[0]
    assert path == "/api/sign/pdf" and authorization == "Bearer rahasia-aplikasi"
    assert form["nik"] == NIK and form["file"] == letter_pdf()


def test_remote_service_timing_out_is_a_clear_error(app, tte, kades_cert):
    slow(app, tte)
    with pytest.raises(signing.SigningError, match="tidak menjawab dalam 0.5 detik"):
        remote_sign(app, kades_cert)


def test_remote_service_failing_is_a_clear_error(app, tte, kades_cert):
    tte.mode = "error"
    with pytest.raises(signing.SigningError, match="sedang bermasalah \\(kode 500\\)"):
        remote_sign(app, kades_cert)


def test_remote_service_refusing_the_passphrase(app, tte, kades_cert):
    with pytest.raises(signing.SigningError, match="menolak NIK atau kata sandi"):
        remote_sign(app, kades_cert, "bukan-sandinya")


def test_remote_service_down_is_a_clear_error(app, kades_cert):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app.config["BALAI_TTE_URL"] = f"http://127.0.0.1:{port}"
    with pytest.raises(signing.SigningError, match="tidak dapat dihubungi"):
        remote_sign(app, kades_cert)


def test_remote_signing_never_runs_inside_a_transaction(app, tte, kades_cert):
    with database.atomic(), pytest.raises(RuntimeError):
        remote_sign(app, kades_cert)
    assert tte.received == []


def test_remote_signer_needs_the_nik(app, tte, kades_cert):
    kades_cert.nik = None
    with pytest.raises(signing.SigningError, match="NIK"):
        remote_sign(app, kades_cert)


def test_without_a_service_the_local_key_signs(app, kades_cert, monkeypatch):
    monkeypatch.delenv("BALAI_TTE_URL", raising=False)
    signed = remote_sign(app, kades_cert)
    assert pdf_check.check_pdf(signed).status == pdf_check.ASLI
    with pytest.raises(signing.SigningError, match="Kata sandi tanda tangan salah"):
        signing_remote.signer_for(kades_cert, "salah-salah", app.config)


def test_expired_certificate_is_refused_before_calling_the_service(app, tte, kades_cert):
    kades_cert.valid_to = datetime.datetime(2025, 1, 1)
    with pytest.raises(signing.SigningError, match="tidak berlaku"):
        remote_sign(app, kades_cert)
    assert tte.received == []

from pathlib import Path

import pytest

from balai.demo import seed
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing import pdf_check
from balai.signing.models import SignerCertificate
from balai.storage import documents
from tests.support.signing import letter_pdf, other_village
from tests.support.stored import stored_keys

DEMO = seed.DEMO_SIGNING_PASSPHRASE


@pytest.fixture
def cli(app, db):
    runner = app.test_cli_runner()
    return lambda args, text="": runner.invoke(args=args, input=text)


def key_file(app, name):
    return documents(app).get(signing.key_file_key(name))


def test_setup_for_an_acting_official(app, cli):
    result = cli(["signing-setup", "--username", "sekdes", "--position", "Plt. Kepala Desa",
                  "--from", "2026-01-01", "--to", "2099-12-31"],
                 f"{DEMO}\nsandi-plt-2026\nsandi-plt-2026\n")
    assert result.exit_code == 0, result.output
    row = SignerCertificate.get(SignerCertificate.user == User.by_login("sekdes"))
    assert (row.position, row.source, str(row.period_from)) == ("Plt. Kepala Desa", "dibuat", "2026-01-01")
    assert row.fingerprint in result.output
    with app.app_context():
        signed = signing.sign_pdf(letter_pdf(), row, "sandi-plt-2026")
        assert pdf_check.check_pdf(signed).status == pdf_check.ASLI
    for path in Path(app.config["DATA_DIR"]).rglob("*"):
        assert not path.is_file() or b"sandi-plt-2026" not in path.read_bytes()
    assert all(b"sandi-plt-2026" not in documents(app).get(key) for key in stored_keys(app, ""))


def test_setup_makes_the_village_ca_once_with_rsa(app, cli):
    for name in (signing.CA_FILE, signing.CA_PEM_FILE):
        documents(app).delete(signing.key_file_key(name))
    result = cli(["signing-setup", "--key-type", "rsa3072"],
                 "sandi-ca-baru\nsandi-ca-baru\nsandi-kades-baru\nsandi-kades-baru\n")
    assert result.exit_code == 0, result.output
    ca_key, ca_cert, _ = signing.open_p12(key_file(app, signing.CA_FILE), "sandi-ca-baru")
    assert "Desa Sukamaju" in ca_cert.subject.rfc4514_string()
    row = SignerCertificate.current_for(User.by_login("kades"))
    assert row.chain_pem == signing.pem(ca_cert)
    with app.app_context():
        unlocked = signing.unlock(row, "sandi-kades-baru")
        assert unlocked.signer.signing_key.algorithm == "rsa"


def test_setup_with_the_wrong_ca_passphrase_changes_nothing(app, cli):
    files = {key: documents(app).get(key) for key in stored_keys(app, "keys/")}
    result = cli(["signing-setup"], "bukan-sandi-ca\nsandi-kades-1\nsandi-kades-1\n")
    assert result.exit_code != 0 and "Kata sandi CA desa salah" in result.output
    assert SignerCertificate.select().count() == 1 and {key: documents(app).get(key) for key in stored_keys(app, "keys/")} == files


def test_setup_refuses_a_short_passphrase(app, cli):
    result = cli(["signing-setup"], f"{DEMO}\npendek\npendek\n")
    assert result.exit_code != 0 and "paling sedikit 8 karakter" in result.output
    assert SignerCertificate.select().count() == 1


def test_import_a_p12_issued_elsewhere(app, cli, tmp_path):
    ca, (key, cert) = other_village()
    path = tmp_path / "kades.p12"
    path.write_bytes(signing.p12_bytes("x", key, cert, [ca[1]], "sandi-impor-1"))
    wrong = cli(["signing-import", str(path), "--username", "kades"], "salah-sandi\n")
    assert wrong.exit_code != 0 and "Kata sandi tanda tangan salah" in wrong.output
    assert SignerCertificate.select().count() == 1
    result = cli(["signing-import", str(path), "--username", "kades"], "sandi-impor-1\n")
    assert result.exit_code == 0, result.output
    row = SignerCertificate.get(SignerCertificate.fingerprint == signing.fingerprint(cert))
    assert row.source == "impor" and key_file(app, row.key_file) == path.read_bytes()
    again = cli(["signing-import", str(path), "--username", "kades"], "sandi-impor-1\n")
    assert "sudah ada" in again.output


def test_import_a_certificate_held_by_a_remote_service(app, cli, tmp_path):
    _, (_, cert) = other_village()
    path = tmp_path / "bsre.pem"
    path.write_text(signing.pem(cert))
    assert "--nik" in cli(["signing-import", str(path)]).output
    result = cli(["signing-import", str(path), "--nik", "3213051508700009"])
    assert result.exit_code == 0, result.output
    row = SignerCertificate.get(SignerCertificate.fingerprint == signing.fingerprint(cert))
    assert row.key_file is None and row.nik == "3213051508700009"
    with app.app_context(), pytest.raises(signing.SigningError, match="dipegang layanan"):
        signing.unlock(row, "apa-saja-123")


def test_demo_accounts_print_the_signing_passphrase(cli):
    assert f"Kata sandi tanda tangan Kepala Desa (demo): {DEMO}" in cli(["demo-accounts"]).output

"""`add-village` and `--village` on the commands; the regency office's account: a user of no
village, who logs in on the regency's host and is a stranger on every village's."""
import pyotp
import pytest

from balai.letters.models import LetterType
from balai.people.models import LoginFailure, User
from balai.people.second_factor import RecoveryCode, SecondFactor
from balai.signing.keys import CA_FILE, key_file_key
from balai.storage import documents
from balai.villages.context import regency_context, village_context
from balai.villages.models import Village
from tests.support.villages import client_on, login_on

REGENCY = "kabupaten.subang.test"
PASSWORD = "Rahasia-kabupaten-2026"


@pytest.fixture
def app_settings():
    return {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "REGENCY_HOST": REGENCY}


def cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_add_village_copies_the_letter_types_and_makes_its_own_ca(app, db):
    result = cli(app, "add-village", "--name", "Desa Cibeureum", "--host", "Cibeureum.Desa.Test",
                 "--from-template", "--ca-passphrase", "ca-cibeureum-2026",
                 "--first-host", "sukamaju.desa.test")
    assert result.exit_code == 0, result.output
    village = Village.get(Village.host == "cibeureum.desa.test")
    assert "Desa Cibeureum" in result.output and "jenis surat disalin" in result.output
    assert "Masih perlu:" in result.output and "signing-setup" not in result.output  # CA made
    assert village.sender_name == "Desa Cibeureum"
    with village_context(1):
        template = sorted(LetterType.select().tuples().execute(), key=lambda row: row[0])
        slugs = {letter_type.slug for letter_type in LetterType.select()}
    with village_context(village.id):
        assert {letter_type.slug for letter_type in LetterType.select()} == slugs
        assert documents(app).exists(key_file_key(CA_FILE))
        assert not User.select().exists()
    assert template
    again = cli(app, "add-village", "--name", "Lain", "--host", "cibeureum.desa.test")
    assert again.exit_code != 0 and "sudah dipakai" in again.output


@pytest.mark.parametrize("host, message", [
    ("https://cibeureum.desa.test", "Tulis nama host saja"),
    ("cibeureum.desa.test:8080", "Tulis nama host saja"),
    ("cibe reum.desa.test", "Tulis nama host saja"),
    (REGENCY, "alamat kantor kabupaten"),
])
def test_add_village_refuses_a_host_by_the_regency_forms_rule(app, db, host, message):
    result = cli(app, "add-village", "--name", "Desa Cibeureum", "--host", host)
    assert result.exit_code != 0 and message in result.output
    assert not Village.select().where(Village.name == "Desa Cibeureum").exists()


def test_the_village_that_ran_alone_is_given_its_host_with_the_second(app, db):
    """Village 1 answered on any host; with two villages each answers on its own alone, so the
    second is added only with village 1's host, in the same transaction."""
    refused = cli(app, "add-village", "--name", "Desa B", "--host", "b.desa.test")
    assert refused.exit_code != 0 and "--first-host" in refused.output
    assert "Desa Sukamaju belum punya alamat web sendiri" in refused.output
    same = cli(app, "add-village", "--name", "Desa B", "--host", "b.desa.test",
               "--first-host", "b.desa.test")
    assert same.exit_code != 0 and "harus berbeda" in same.output
    assert Village.select().count() == 1 and Village.get_by_id(1).host is None
    added = cli(app, "add-village", "--name", "Desa B", "--host", "b.desa.test",
                "--first-host", "Sukamaju.Desa.Test")
    assert added.exit_code == 0, added.output
    assert "Desa Sukamaju kini menjawab di https://sukamaju.desa.test saja" in added.output
    assert Village.get_by_id(1).host == "sukamaju.desa.test"
    assert client_on(app, "sukamaju.desa.test").get("/").status_code == 200
    assert client_on(app, "lain.desa.test").get("/").status_code == 404


def test_with_several_villages_a_command_asks_which(app, db):
    assert cli(app, "add-village", "--name", "Desa B", "--host", "b.desa.test",
               "--first-host", "sukamaju.desa.test").exit_code == 0
    made = cli(app, "create-user", "--username", "opb", "--role", "operator", "--name", "Op B",
               "--password", "Kunci-rahasia-B-2026")
    assert made.exit_code != 0 and "--village" in made.output
    made = cli(app, "create-user", "--username", "operator", "--role", "operator", "--name",
               "Op B", "--password", "Kunci-rahasia-B-2026", "--village", "b.desa.test")
    assert made.exit_code == 0, made.output  # "operator" is taken in village 1 alone
    with village_context(Village.get(Village.host == "b.desa.test").id):
        assert User.get(User.username == "operator").full_name == "Op B"


def test_the_regency_account_logs_in_on_the_regency_host_alone(app, db):
    made = cli(app, "create-user", "--username", "subang", "--role", "kabupaten", "--name",
               "Dinas PMD Subang", "--password", PASSWORD)
    assert made.exit_code == 0, made.output
    with regency_context():
        assert User.get(User.username == "subang").village_id is None
    regency = login_on(app, REGENCY, "subang", PASSWORD)
    assert regency.get("/akun/sandi").status_code == 200
    village = client_on(app, "sukamaju.desa.test")
    refused = village.post("/masuk", data={"login": "subang", "password": PASSWORD})
    assert refused.status_code == 422  # a stranger in the village
    kades = client_on(app, REGENCY).post("/masuk", data={"login": "kades",
                                                          "password": "sukamaju123"})
    assert kades.status_code == 422  # a village's account is a stranger at the regency


def test_the_regency_account_turns_on_its_second_factor_and_logs_in_with_a_code(app, db):
    assert cli(app, "create-user", "--username", "subang", "--role", "kabupaten", "--name",
               "Dinas PMD Subang", "--password", PASSWORD).exit_code == 0
    client = login_on(app, REGENCY, "subang", PASSWORD)
    assert client.get("/akun/dua-langkah/").status_code == 200
    with app.app_context(), regency_context():
        secret = SecondFactor.get(SecondFactor.user == User.by_login("subang")).secret
    response = client.post("/akun/dua-langkah/", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    with regency_context():
        assert RecoveryCode.select().count() == 10
        assert RecoveryCode.select().where(RecoveryCode.village.is_null(False)).count() == 0
    client.post("/keluar")
    again = client_on(app, REGENCY)
    asked = again.post("/masuk", data={"login": "subang", "password": PASSWORD})
    assert asked.status_code == 303 and "/masuk/kode" in asked.location
    with regency_context():
        counted = LoginFailure.select().count()  # the attempt counts until the code is right
    wrong = again.post("/masuk/kode", data={"code": "000000"})
    assert wrong.status_code == 422
    with regency_context():
        assert LoginFailure.select().count() == counted + 1 >= 2

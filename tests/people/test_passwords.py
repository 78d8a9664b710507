"""One rule for every new password: long enough, not a common one, not the holder's NIK or
username, not the village's name; registration, the operator's form, a password change and the
command line all use it."""
import pytest

from balai.people.models import Person, User
from balai.people.passwords import (
    HOLDS_OWN_NAME,
    HOLDS_VILLAGE,
    TOO_COMMON,
    TOO_SHORT,
    common_passwords,
    password_error,
)
from balai.villages.models import Village
from tests.support.village import BUDI


def test_the_common_list_is_large():
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password, message", [
    ("1234567", TOO_SHORT),
    ("12345678", TOO_COMMON),
    ("Password1", TOO_COMMON),
    ("qwerty123", TOO_COMMON),
    ("sayang123", TOO_COMMON),
    ("Bismillah", TOO_COMMON),
    ("indonesia1", TOO_COMMON),
    ("katasandi", TOO_COMMON),
    ("admin123", TOO_COMMON),
    ("x3213051508900001", HOLDS_OWN_NAME),
    ("Kasipem2024", HOLDS_OWN_NAME),
    ("sukamaju123", HOLDS_VILLAGE),  # the demo password: set by the seed, refused for a new one
    ("Suka Maju!!", HOLDS_VILLAGE),
    ("kopi-sawah-merah", None),
    ("rahasia-desa", None),  # "Desa" alone is no village's name
])
def test_password_rule(db, password, message):
    assert password_error(password, "3213051508900001", "kasipem") == message


def test_a_village_still_called_desa_refuses_nothing_for_its_name(db):
    Village.update(name="Desa").execute()
    assert password_error("desa-saya-aman", "kasipem") is None


def registration(password, nik="3213050101850003"):
    return {"nik": nik, "kk_number": "3213050101100003", "birth_date": "1985-01-01",
            "password": password, "password2": password}


@pytest.mark.parametrize("password, message", [
    ("12345678", "terlalu umum"),
    ("3213050101850003", "tidak boleh memuat NIK"),
    ("sukamaju2024", "tidak boleh memuat nama desa"),
])
def test_registration_refuses_a_guessable_password_and_says_how_to_fix_it(client, db, password,
                                                                          message):
    User.delete().where(User.person == Person.get(Person.nik == "3213050101850003")).execute()
    response = client.post("/daftar", data=registration(password))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert not User.select().join(Person).where(Person.nik == "3213050101850003").exists()


def test_the_operator_cannot_give_an_official_a_common_password(operator, db):
    response = operator.post("/operator/akun/baru", data={
        "username": "kaur.umum", "full_name": "Yayan", "role": "sekdes", "password": "password1"})
    assert response.status_code == 422 and "terlalu umum" in response.get_data(as_text=True)
    response = operator.post("/operator/akun/baru", data={
        "username": "kaur.umum", "full_name": "Yayan", "role": "sekdes",
        "password": "kaur.umum.baru"})
    assert response.status_code == 422 and "nama pengguna" in response.get_data(as_text=True)
    assert User.by_login("kaur.umum") is None


def test_changing_ones_password_obeys_the_same_rule(budi, db):
    response = budi.post("/akun/sandi", data={"current": "sukamaju123", "password": "12345678"})
    assert response.status_code == 422 and "terlalu umum" in response.get_data(as_text=True)
    assert User.by_login(BUDI).check_password("sukamaju123")


def test_create_user_on_the_command_line_obeys_the_same_rule(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--username", "baru", "--role", "sekdes", "--name", "Baru"],
        input="qwerty123\nqwerty123\n")
    assert result.exit_code != 0 and "terlalu umum" in result.output
    assert User.by_login("baru") is None


def test_demo_accounts_keep_their_password(login):
    login.as_(BUDI)
    login.as_("kades")

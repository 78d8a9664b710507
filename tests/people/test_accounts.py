"""Accounts: activating registrations, resetting a resident's access, officials' accounts."""
import pytest

from balai.people.models import Person, User
from tests.support.village import AHMAD, BUDI, error_page_html


def account(login_name):
    return User.by_login(login_name)


def registration(nik=BUDI, kk="3213050101100001", birth="1990-08-15", password="sandibaru99"):
    return {"nik": nik, "kk_number": kk, "birth_date": birth, "password": password,
            "password2": password}


def test_pending_registration_is_listed_with_its_population_record_and_activated(operator, login, db):
    User.update(active=False).where(User.id == account(AHMAD).id).execute()
    html = operator.get("/operator/akun/").get_data(as_text=True)
    assert AHMAD in html and "KK 3213050101100003" in html and "Ahmad Hidayat" in html
    assert "Bandung, 01-01-1985" in html and "Menunggu diaktifkan" in html
    assert BUDI not in html  # active accounts are not pending
    response = operator.post(f"/operator/akun/{account(AHMAD).id}/aktifkan")
    assert response.status_code == 303
    assert account(AHMAD).active
    login.as_(AHMAD)


def test_reset_access_end_to_end(app, operator, budi, login, db):
    old_session = budi
    assert old_session.get("/surat").status_code == 200
    user_id = account(BUDI).id

    assert operator.post(f"/operator/akun/{user_id}/atur-ulang").status_code == 303
    assert not account(BUDI).active and account(BUDI).reset_pending
    response = old_session.get("/surat")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert "Akses diatur ulang" in operator.get("/operator/akun/").get_data(as_text=True)

    # Activating before the resident chose a new password would bring the old one back.
    operator.post(f"/operator/akun/{user_id}/aktifkan")
    assert not account(BUDI).active

    anonymous = app.test_client()
    known = anonymous.post("/daftar", data=registration())
    unknown = anonymous.post("/daftar", data=registration(nik="3213051212120099"))
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert not account(BUDI).active
    assert "Menunggu diaktifkan" in operator.get("/operator/akun/").get_data(as_text=True)

    assert operator.post(f"/operator/akun/{user_id}/aktifkan").status_code == 303
    assert account(BUDI).active
    login.as_(BUDI, "sandibaru99")
    refused = app.test_client().post("/masuk", data={"login": BUDI, "password": "sukamaju123"})
    assert refused.status_code == 422


@pytest.mark.parametrize("active", [True, False])
def test_registering_again_does_not_change_a_password_without_a_reset(client, db, active):
    User.update(active=active).where(User.id == account(BUDI).id).execute()
    before = account(BUDI).password_hash
    assert client.post("/daftar", data=registration()).status_code == 303
    assert account(BUDI).password_hash == before


def test_reset_works_only_on_resident_accounts(operator, db):
    assert operator.post(f"/operator/akun/{account('kasipem').id}/atur-ulang").status_code == 404
    assert account("kasipem").active


def test_person_page_offers_the_reset(operator, db):
    budi = Person.get(Person.nik == BUDI)
    html = operator.get(f"/operator/penduduk/{budi.id}").get_data(as_text=True)
    assert f'action="/operator/akun/{account(BUDI).id}/atur-ulang"' in html and "Status: aktif." in html


def test_accounts_page_explains_the_reset_in_plain_words(operator):
    html = operator.get("/operator/akun/").get_data(as_text=True)
    assert "Operator tidak pernah melihat atau membuat kata sandi warga" in html
    assert 'href="/daftar"' in html


def test_officials_are_listed(operator):
    html = operator.get("/operator/akun/").get_data(as_text=True)
    for text in ("kasipem", "Kasi Pemerintahan", "Dedi Kurniawan", "kades", "Kepala Desa"):
        assert text in html
    assert BUDI not in html.split('id="perangkat"')[1]


def test_deactivating_an_official_ends_their_session(operator, kasipem, login, db):
    assert kasipem.get("/kotak-masuk").status_code == 200
    assert operator.post(f"/operator/akun/{account('kasipem').id}/nonaktifkan").status_code == 303
    assert not account("kasipem").active
    assert kasipem.get("/kotak-masuk").status_code == 302
    operator.post(f"/operator/akun/{account('kasipem').id}/aktifkan")
    login.as_("kasipem")


def test_operator_cannot_deactivate_themself(operator, db):
    response = operator.post(f"/operator/akun/{account('operator').id}/nonaktifkan",
                             follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    assert account("operator").active


def test_deactivate_is_for_officials_only(operator, db):
    assert operator.post(f"/operator/akun/{account(BUDI).id}/nonaktifkan").status_code == 404
    assert account(BUDI).active


def official(**overrides):
    data = {"username": "Kaur.Umum", "full_name": "Yayan Sopyan", "role": "sekdes",
            "password": "rahasia-awal"}
    data.update(overrides)
    return data


def test_operator_creates_an_official_who_can_log_in(operator, login, db):
    assert operator.post("/operator/akun/baru", data=official()).status_code == 303
    user = account("kaur.umum")
    assert (user.role, user.full_name, user.active) == ("sekdes", "Yayan Sopyan", True)
    login.as_("kaur.umum", "rahasia-awal")


@pytest.mark.parametrize("field, value, message", [
    ("username", "KasiPem", "Nama pengguna ini sudah dipakai"),
    ("username", "a b", "Nama pengguna 3-32 huruf kecil"),
    ("username", "", "Nama pengguna wajib diisi."),
    ("role", "warga", "Pilih jabatan."),
    ("password", "pendek", "Kata sandi paling sedikit 8"),
    ("full_name", "", "Nama lengkap wajib diisi."),
])
def test_bad_official_form_is_explained(operator, db, field, value, message):
    before = User.select().count()
    html = error_page_html(operator.post("/operator/akun/baru", data=official(**{field: value})),
                           field, message)
    assert 'type="password"' in html and "rahasia-awal" not in html  # a password is not echoed
    assert User.select().count() == before

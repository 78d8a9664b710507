import datetime
import re
import threading

import pytest

from balai.db import now
from balai.people.models import LoginFailure, Person, User
from tests.support.village import BUDI

REAL_HASH = {}  # app_settings without the tests' cheap hash: the app's own default


def test_resident_logs_in_with_nik(client):
    response = client.post("/masuk", data={"login": BUDI, "password": "sukamaju123"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/surat")


def test_official_logs_in_with_username(client):
    response = client.post("/masuk", data={"login": "KasiPem", "password": "sukamaju123"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/kotak-masuk")


@pytest.mark.parametrize("login", [BUDI, "kasipem", "3213051212900099", "nobody"])
def test_wrong_password_gets_the_same_message_whether_or_not_the_name_exists(client, login):
    response = client.post("/masuk", data={"login": login, "password": "wrong-password"})
    assert response.status_code == 422
    assert "NIK/nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


@pytest.mark.parametrize("login", [BUDI, "nobody"])
def test_fifth_wrong_password_locks_the_name_for_fifteen_minutes(client, db, login):
    for _ in range(4):
        assert "kata sandi salah" in client.post("/masuk", data={"login": login, "password": "x" * 9}).get_data(as_text=True)
    fifth = client.post("/masuk", data={"login": login, "password": "x" * 9}).get_data(as_text=True)
    assert "dikunci 15 menit" in fifth
    # Even the right password is refused now, from any address, and the message is the same.
    again = client.post("/masuk", data={"login": login, "password": "sukamaju123"},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert again.status_code == 422 and "dikunci 15 menit" in again.get_data(as_text=True)
    # After the window the name may try again.
    LoginFailure.update(at=now() - datetime.timedelta(minutes=16)).execute()
    ok = client.post("/masuk", data={"login": login, "password": "sukamaju123"})
    assert ok.status_code == (303 if login == BUDI else 422)


def test_lockout_is_per_name_not_per_shared_office_address(client, db):
    for _ in range(5):
        client.post("/masuk", data={"login": "kasipem", "password": "x" * 9})
    colleague = client.post("/masuk", data={"login": "sekdes", "password": "sukamaju123"})
    assert colleague.status_code == 303


def test_lockout_is_kept_in_the_database(app, client, db):
    for _ in range(5):
        client.post("/masuk", data={"login": "kades", "password": "x" * 9})
    assert LoginFailure.is_locked("kades")
    other_worker = app.test_client()
    assert "dikunci" in other_worker.post("/masuk", data={"login": "kades", "password": "sukamaju123"}).get_data(as_text=True)


def registration(**overrides):
    data = {"nik": "3213050101850003", "kk_number": "3213050101100003", "birth_date": "1985-01-01",
            "password": "rahasia123", "password2": "rahasia123"}
    data.update(overrides)
    return data


def test_registration_answers_the_same_whether_or_not_the_nik_exists(client, db):
    User.delete().where(User.person == Person.get(Person.nik == "3213050101850003")).execute()
    known = client.post("/daftar", data=registration())
    unknown = client.post("/daftar", data=registration(nik="3213051212120099"))
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    user = User.get(User.person == Person.get(Person.nik == "3213050101850003"))
    assert not user.active  # the operator activates it


def test_registration_of_an_existing_account_says_nothing_new(client, db):
    response = client.post("/daftar", data=registration(nik=BUDI, kk_number="3213050101100001",
                                                        birth_date="1990-08-15"))
    assert response.status_code == 303


def test_inactive_account_cannot_log_in(client, db):
    User.update(active=False).where(User.username == "sekdes").execute()
    response = client.post("/masuk", data={"login": "sekdes", "password": "sukamaju123"})
    assert response.status_code == 422
    assert "belum diaktifkan" in response.get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("nik", "321305010185000", "NIK harus 16 angka"),
    ("nik", "32130501018500AB", "NIK hanya boleh berisi angka"),
    ("kk_number", "123", "Nomor KK harus 16 angka"),
    ("birth_date", "kemarin", "Isi tanggal lahir"),
    ("password", "pendek", "paling sedikit 8"),
])
def test_registration_errors_are_clear(client, field, value, message):
    response = client.post("/daftar", data=registration(**{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_logout_requires_post_and_ends_the_session(budi):
    assert budi.post("/keluar").status_code == 303
    assert budi.get("/surat").status_code == 302


def test_htmx_request_without_login_redirects_the_whole_page(client):
    response = client.get("/kotak-masuk", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/masuk")


@pytest.mark.parametrize("login, message", [
    ("321305150890000", "NIK harus 16 angka (yang Anda isi 15 angka)."),
    ("32130515089O0001", "NIK hanya boleh berisi angka."),
    ("3213 0515 0890 0001", "NIK hanya boleh berisi angka."),
])
def test_a_mistyped_nik_at_login_says_how_to_fix_it(client, db, login, message):
    response = client.post("/masuk", data={"login": login, "password": "sukamaju123"})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert not LoginFailure.select().exists()  # a typo in the form, not a guessed password


def failures(*minutes_ago):
    LoginFailure.delete().execute()
    for minutes in minutes_ago:
        LoginFailure.create(login="kasipem", at=now() - datetime.timedelta(minutes=minutes))


def test_the_lock_lasts_fifteen_minutes_from_the_fifth_failure(client, db):
    failures(14, 13, 12, 11, 0)  # four slow mistakes, then the fifth
    assert LoginFailure.is_locked("kasipem")
    failures(24, 23, 22, 21, 10)  # ten minutes later the first four are out of the window
    refused = client.post("/masuk", data={"login": "kasipem", "password": "sukamaju123"})
    assert refused.status_code == 422 and "dikunci 15 menit" in refused.get_data(as_text=True)
    failures(30, 29, 28, 27, 16)
    ok = client.post("/masuk", data={"login": "kasipem", "password": "sukamaju123"})
    assert ok.status_code == 303


def test_five_mistakes_spread_over_more_than_the_window_do_not_lock(db):
    failures(40, 30, 20, 10, 0)
    assert not LoginFailure.is_locked("kasipem")


@pytest.mark.parametrize("target", ["//contoh.com/", "/\\contoh.com/", "https://contoh.com/"])
def test_login_never_sends_to_another_site(client, db, target):
    response = client.post("/masuk", query_string={"next": target},
                           data={"login": "kasipem", "password": "sukamaju123"})
    assert response.status_code == 303 and response.location == "/kotak-masuk"


def test_registration_hashes_the_password_whether_or_not_the_facts_match(client, db, monkeypatch):
    from balai.people import models as people_models
    hashed = []
    real = people_models.generate_password_hash
    monkeypatch.setattr(people_models, "generate_password_hash",
                        lambda password, method: hashed.append(password) or real(password, method))
    User.delete().where(User.person == Person.get(Person.nik == "3213050101850003")).execute()
    client.post("/daftar", data=registration(nik="3213051212120099"))
    client.post("/daftar", data=registration())
    assert hashed == ["rahasia123", "rahasia123"]  # the same work, so the same time


def test_an_account_waiting_for_activation_answers_like_an_unknown_nik(client, db):
    ahmad = Person.get(Person.nik == "3213050101850003")
    User.delete().where(User.person == ahmad).execute()
    client.post("/daftar", data=registration())  # the three facts from a KK photocopy
    waiting = client.post("/masuk", data={"login": ahmad.nik, "password": "rahasia123"})
    unknown = client.post("/masuk", data={"login": "3213051212900099", "password": "rahasia123"})
    assert waiting.status_code == unknown.status_code == 422
    summary = re.compile(r'<div class="error-summary".*?</div>', re.S)
    said = [summary.findall(r.get_data(as_text=True)) for r in (waiting, unknown)]
    assert said[0] == said[1] and "kata sandi salah" in said[0][0]
    assert LoginFailure.select().where(LoginFailure.login == ahmad.nik).count() == 1


def test_guesses_sent_in_parallel_cannot_pass_the_limit(app, db, monkeypatch):
    failures(4, 3, 2, 1)  # one guess left
    checked, lock = [], threading.Lock()
    real = User.check_password

    def counting(user, password):
        with lock:
            checked.append(password)
        return real(user, password)

    monkeypatch.setattr(User, "check_password", counting)
    barrier = threading.Barrier(8)

    def guess(n):
        barrier.wait()
        app.test_client().post("/masuk", data={"login": "kasipem", "password": f"tebakan{n}"})

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 1 and LoginFailure.is_locked("kasipem")


@pytest.mark.parametrize("app_settings", [REAL_HASH], ids=["scrypt"])
def test_every_role_logs_in_with_the_real_password_hash(login, db):
    for name in ("operator", "kasipem", "kasikesra", "sekdes", "kades", BUDI):
        login.as_(name)
        assert User.by_login(name).password_hash.startswith("scrypt:")


@pytest.mark.parametrize("app_settings", [REAL_HASH, {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:9"}],
                         ids=["scrypt", "pbkdf2"])
def test_an_unknown_name_costs_one_check_of_a_hash_made_like_a_real_one(client, db, monkeypatch):
    from balai.people import models as people_models
    methods = []
    real = people_models.check_password_hash
    monkeypatch.setattr(people_models, "check_password_hash", lambda stored, password:
                        methods.append(stored.split("$")[0]) or real(stored, password))
    for login in (BUDI, "nobody"):
        client.post("/masuk", data={"login": login, "password": "wrong-password"})
    assert methods == [User.by_login(BUDI).password_hash.split("$")[0]] * 2

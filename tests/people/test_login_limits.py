"""Login limits per address as well as per name, and a stranger's wrong guesses cannot lock an
official out of the devices they already use."""
import threading

import pytest

from balai.people import devices
from balai.people import models as people_models
from balai.people.models import LoginFailure
from tests.support.village import BUDI

ADDRESS_LIMIT = LoginFailure.ADDRESS_LIMIT


def from_address(client, address, login, password):
    return client.post("/masuk", data={"login": login, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def nik(n):
    return f"32130512129{n:05d}"  # well-formed NIKs, none of them on record


@pytest.fixture
def judged(monkeypatch):
    """The passwords actually checked, for names on record or not."""
    seen = []
    real_hash = people_models.check_password_hash  # behind User.check_password and the dummy
    monkeypatch.setattr(people_models, "check_password_hash",
                        lambda hashed, password: seen.append(password) or real_hash(hashed, password))
    return seen


def test_thirty_niks_guessed_from_one_address_are_not_all_judged(client, db, judged):
    answers = [from_address(client, "10.0.0.66", nik(n), "tebakan-123") for n in range(30)]
    assert len(judged) == ADDRESS_LIMIT
    assert all(a.status_code == 422 for a in answers)
    assert "dari jaringan ini" in answers[-1].get_data(as_text=True)
    # Refused the same way whether or not the NIK is on record, and even with the right password.
    known = from_address(client, "10.0.0.66", BUDI, "sukamaju123").get_data(as_text=True)
    unknown = from_address(client, "10.0.0.66", nik(99), "sukamaju123").get_data(as_text=True)
    assert "dari jaringan ini" in known and "dari jaringan ini" in unknown
    assert len(judged) == ADDRESS_LIMIT
    # Another address is not held back.
    assert from_address(client, "10.0.0.7", BUDI, "sukamaju123").status_code == 303


def test_an_office_behind_one_address_keeps_working_the_limit_counts_failures_only(app, db):
    for n in range(ADDRESS_LIMIT - 1):
        from_address(app.test_client(), "10.0.0.1", nik(n), "salah-ketik-1")
    for _ in range(2):
        for name in ("kasipem", "kasikesra", "sekdes", "kades", "operator", BUDI):
            assert from_address(app.test_client(), "10.0.0.1", name, "sukamaju123").status_code == 303


def test_after_the_address_is_held_back_a_device_that_logged_in_before_still_gets_in(app, db):
    sekdes_pc = app.test_client()
    assert from_address(sekdes_pc, "10.0.0.1", "sekdes", "sukamaju123").status_code == 303
    sekdes_pc.post("/keluar")
    for n in range(ADDRESS_LIMIT):
        from_address(app.test_client(), "10.0.0.1", nik(n), "tebakan-123")
    new_browser = from_address(app.test_client(), "10.0.0.1", "sekdes", "sukamaju123")
    assert "dari jaringan ini" in new_browser.get_data(as_text=True)
    assert from_address(sekdes_pc, "10.0.0.1", "sekdes", "sukamaju123").status_code == 303


def test_a_stranger_cannot_lock_the_kades_out_of_the_kades_own_phone(app, db, judged):
    phone = app.test_client()
    assert from_address(phone, "10.1.1.1", "kades", "sukamaju123").status_code == 303
    phone.post("/keluar")
    stranger = app.test_client()
    for _ in range(5):
        from_address(stranger, "10.6.6.6", "kades", "bukan-sandinya")
    assert LoginFailure.is_locked("kades")
    refused = from_address(stranger, "10.6.6.6", "kades", "sukamaju123")
    assert "dikunci 15 menit" in refused.get_data(as_text=True)
    elsewhere = from_address(app.test_client(), "10.1.1.1", "kades", "sukamaju123")
    assert "dikunci 15 menit" in elsewhere.get_data(as_text=True)  # a new browser, same address
    assert from_address(phone, "10.1.1.1", "kades", "sukamaju123").status_code == 303


def test_a_known_device_has_a_limit_of_its_own(app, db):
    phone = app.test_client()
    from_address(phone, "10.1.1.1", "kades", "sukamaju123")
    phone.post("/keluar")
    for _ in range(5):
        from_address(phone, "10.1.1.1", "kades", "bukan-sandinya")
    refused = from_address(phone, "10.1.1.1", "kades", "sukamaju123")
    assert refused.status_code == 422 and "dikunci 15 menit" in refused.get_data(as_text=True)
    assert not LoginFailure.is_locked("kades")  # a stolen phone's guesses lock only that phone
    assert from_address(app.test_client(), "10.1.1.2", "kades", "sukamaju123").status_code == 303


def test_a_device_cookie_counts_only_for_the_name_it_logged_in_to_and_cannot_be_forged(app, db):
    budi_phone = app.test_client()
    from_address(budi_phone, "10.1.1.1", BUDI, "sukamaju123")
    for _ in range(5):
        from_address(app.test_client(), "10.6.6.6", "kades", "bukan-sandinya")
    forged = app.test_client()
    forged.set_cookie(devices.COOKIE, "eyJ4IjoieSJ9.forged.sig", path="/masuk")
    for client in (budi_phone, forged):
        refused = from_address(client, "10.1.1.1", "kades", "sukamaju123")
        assert "dikunci 15 menit" in refused.get_data(as_text=True)


def test_guesses_sent_in_parallel_from_a_known_device_cannot_pass_its_limit(app, db, judged):
    phone = app.test_client()
    from_address(phone, "10.1.1.1", "kasipem", "sukamaju123")
    cookie = phone.get_cookie(devices.COOKIE, path="/masuk").value
    for _ in range(4):
        from_address(phone, "10.1.1.1", "kasipem", "bukan-sandinya")
    judged.clear()
    barrier = threading.Barrier(8)

    def guess(n):
        client = app.test_client()
        client.set_cookie(devices.COOKIE, cookie, path="/masuk")
        barrier.wait()
        from_address(client, "10.1.1.1", "kasipem", f"tebakan{n}")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(judged) == 1

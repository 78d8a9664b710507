"""Two villages in one installation, on two hosts: each as private from the other as if it ran
alone. Sukamaju (village 1) and Mekarjaya hold the same demo NIKs and usernames, each its own."""
import pytest

from balai.letters.models import LetterRequest
from balai.letters.register import RegisterEntry
from balai.people.models import Person
from balai.villages.context import village_context
from tests.support.signing import approve
from tests.support.village import BUDI, make_request
from tests.support.villages import HOST_A, HOST_B, client_on, login_on, second_village


@pytest.fixture
def mekarjaya(app, db):
    return second_village(app)


def issued_in(app, host, village):
    with village_context(village):
        letter = make_request(status="diperiksa", purpose=f"Keperluan di {host}")
    kades = login_on(app, host, "kades")
    assert approve(kades, letter).status_code == 303
    with village_context(village):
        return LetterRequest.get_by_id(letter.id), RegisterEntry.get(RegisterEntry.request == letter)


def test_each_village_issues_from_its_own_register(app, mekarjaya):
    with village_context(1):
        before = RegisterEntry.select().count()
    letter_a, entry_a = issued_in(app, HOST_A, 1)
    letter_b, entry_b = issued_in(app, HOST_B, mekarjaya)
    assert letter_a.status == letter_b.status == "selesai"
    assert entry_b.seq == 1 and entry_a.seq == before + 1
    assert letter_a.village_id == 1 and letter_b.village_id == mekarjaya
    with village_context(mekarjaya):
        assert LetterRequest.get_or_none(LetterRequest.id == letter_a.id) is None
        assert [entry.id for entry in RegisterEntry.select()] == [entry_b.id]


def test_the_same_nik_is_a_different_resident_in_each_village(app, mekarjaya):
    with village_context(1):
        budi_a = Person.get(Person.nik == BUDI)
    with village_context(mekarjaya):
        budi_b = Person.get(Person.nik == BUDI)
    assert budi_a.id != budi_b.id
    own = login_on(app, HOST_B, BUDI)
    assert own.get(f"/surat/{make_request_in(1).id}").status_code == 404


def make_request_in(village):
    with village_context(village):
        return make_request()


def test_a_letter_of_one_village_is_not_found_on_the_others_host(app, mekarjaya):
    letter, _ = issued_in(app, HOST_A, 1)
    for login in ("kades", "sekdes", "operator", BUDI):
        client = login_on(app, HOST_B, login)
        for url in (f"/surat/{letter.id}", f"/surat/{letter.id}/unduh",
                    f"/kotak-masuk/{letter.id}"):
            response = client.get(url)
            assert response.status_code in (403, 404), (login, url, response.status_code)
            assert letter.purpose not in response.get_data(as_text=True)
    public = client_on(app, HOST_B).get(f"/verifikasi/{letter.verify_token}")
    assert public.status_code == 404


def test_each_host_shows_its_own_village(app, mekarjaya):
    page_a = client_on(app, HOST_A).get("/").get_data(as_text=True)
    page_b = client_on(app, HOST_B).get("/").get_data(as_text=True)
    assert "Desa Mekarjaya" in page_b and "Desa Mekarjaya" not in page_a


def test_a_user_of_one_village_is_a_stranger_on_the_others_host(app, mekarjaya):
    kades_a = login_on(app, HOST_A, "kades")
    assert kades_a.get("/kotak-masuk").status_code == 200
    stranger = client_on(app, HOST_B)  # the same cookie, sent to the other village's host
    stranger.set_cookie("session", kades_a.get_cookie("session", domain=HOST_A).value,
                        domain=HOST_B)
    response = stranger.get("/kotak-masuk")
    assert response.status_code == 302 and "/masuk" in response.location
    again = client_on(app, HOST_A)  # the same cookie on its own village's host: logged in
    again.set_cookie("session", kades_a.get_cookie("session", domain=HOST_A).value,
                     domain=HOST_A)
    assert again.get("/kotak-masuk").status_code == 200


def test_an_unknown_host_gets_a_plain_page_naming_no_village(app, mekarjaya):
    response = client_on(app, "lain.desa.test").get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Desa tidak ditemukan" in page
    assert "Sukamaju" not in page and "Mekarjaya" not in page
    assert client_on(app, "lain.desa.test").get("/sehat").status_code == 200


def test_one_village_answers_on_any_host(app):
    for host in ("localhost", "desa.example", "192.168.1.10:8000"):
        response = client_on(app, host).get("/")
        assert response.status_code == 200 and "Sukamaju" in response.get_data(as_text=True)

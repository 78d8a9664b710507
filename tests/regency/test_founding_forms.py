"""The regency's forms in the browser: Tambah desa (a village on its own host, with or without
the template's letter types) and Tambah operator (an operator's account in that village alone),
for the kabupaten role alone, on the regency's host; the village list shows each village's host
and its operators' usernames."""
import html as markup

import pytest

from balai.letters.models import LetterType
from balai.people.forms import USERNAME_RULE, USERNAME_TAKEN
from balai.people.models import User
from balai.people.passwords import DIFFERENT_AGAIN, HOLDS_VILLAGE, TOO_SHORT
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village
from tests.support.village import csrf_token_from, error_page_html
from tests.support.villages import HOST_A, REGENCY_HOST, client_on, host_first_village, login_on

NAME, HOST = "Desa Cibeureum", "cibeureum.desa.test"
PASSWORD = "Kunci-rahasia-2026"
NEW_VILLAGE = "/kabupaten/desa/baru"


def village(**overrides):
    return {"name": NAME, "host": HOST, "from_template": "1", **overrides}


def operator_account(**overrides):
    return {"username": "operator", "full_name": "Neng Operator", "password": PASSWORD,
            "password2": PASSWORD, **overrides}


def new_operator(village_id):
    return f"/kabupaten/desa/{village_id}/operator"


@pytest.fixture
def regency(kabupaten, db):
    """The regency logged in on its host; the demo village (1) on its own host."""
    host_first_village()
    return kabupaten


@pytest.fixture
def founded(regency):
    """Cibeureum, added through the form; its id."""
    assert regency.post(NEW_VILLAGE, data=village()).status_code == 303
    return Village.get(Village.host == HOST).id


def letter_type_slugs(village_id):
    with village_context(village_id):
        return {letter_type.slug for letter_type in LetterType.select()}


def test_the_village_that_ran_alone_gets_its_host_in_the_same_form(app, kabupaten, db):
    page = kabupaten.get(NEW_VILLAGE).get_data(as_text=True)
    assert 'name="first_host"' in page and "Alamat web Desa Sukamaju" in page
    refused = kabupaten.post(NEW_VILLAGE, data=village())
    assert refused.status_code == 422
    assert "Desa Sukamaju belum punya alamat web sendiri" in refused.get_data(as_text=True)
    assert Village.select().count() == 1
    same = kabupaten.post(NEW_VILLAGE, data=village(first_host=HOST))
    assert same.status_code == 422 and "harus berbeda" in same.get_data(as_text=True)
    added = kabupaten.post(NEW_VILLAGE, data=village(first_host=HOST_A))
    assert added.status_code == 303
    assert Village.get_by_id(1).host == HOST_A
    assert client_on(app, HOST_A).get("/").status_code == 200
    assert 'name="first_host"' not in kabupaten.get(NEW_VILLAGE).get_data(as_text=True)


def test_the_form_offers_the_template_letter_types_by_default(regency):
    page = regency.get(NEW_VILLAGE).get_data(as_text=True)
    assert 'name="from_template" value="1" checked' in page and 'name="csrf_token"' in page


@pytest.mark.parametrize("copy", [True, False])
def test_a_village_added_in_the_browser_answers_on_its_host(app, regency, copy):
    response = regency.post(NEW_VILLAGE, data=village(from_template="1" if copy else None))
    assert response.status_code == 303 and response.location.endswith("/kabupaten/")
    made = Village.get(Village.host == HOST)
    assert (made.name, made.public_url) == (NAME, f"https://{HOST}")
    assert letter_type_slugs(made.id) == (letter_type_slugs(1) if copy else set())
    assert letter_type_slugs(1)
    listed = markup.unescape(regency.get("/kabupaten/").get_data(as_text=True))
    assert f"Desa baru dibuat: {NAME} (nomor {made.id}) di https://{HOST}" in listed
    assert ("jenis surat disalin" in listed) is copy
    assert f"signing-setup --village {HOST}" in listed  # its CA: made with its Kades, not here
    assert f'<td data-label="Alamat web">{HOST}</td>' in listed
    assert f'href="{new_operator(made.id)}"' in listed
    home = client_on(app, HOST).get("/")
    assert home.status_code == 200 and NAME in home.get_data(as_text=True)


@pytest.mark.parametrize("field, values, message", [
    ("name", {"name": "  "}, "Nama desa wajib diisi"),
    ("host", {"host": ""}, "Nama host wajib diisi"),
    ("host", {"host": "https://cibeureum.desa.test"}, "Tulis nama host saja"),
    ("host", {"host": "cibeureum.desa.test:8080"}, "Tulis nama host saja"),
    ("host", {"host": "cibe reum.desa.test"}, "Tulis nama host saja"),
    ("host", {"host": "-cibeureum.desa.test"}, "Tulis nama host saja"),
    ("host", {"host": HOST_A.upper()}, f"Host {HOST_A} sudah dipakai desa lain"),
    ("host", {"host": REGENCY_HOST}, f"Host {REGENCY_HOST} adalah alamat kantor kabupaten"),
])
def test_a_wrong_village_is_explained_with_what_was_typed(regency, field, values, message):
    before = Village.select().count()
    form = village(from_template=None, **values)
    page = error_page_html(regency.post(NEW_VILLAGE, data=form), field, message)
    assert f'id="{field}-error">{message}' in page
    for name in ("name", "host"):
        assert f'value="{form[name]}"' in page
    assert 'name="from_template" value="1">' in page  # left unticked, as it was
    assert Village.select().count() == before


def test_an_operator_added_in_the_browser_logs_in_on_the_village_host_alone(app, regency,
                                                                           founded):
    response = regency.post(new_operator(founded), data=operator_account())
    assert response.status_code == 303 and response.location.endswith("/kabupaten/")
    with village_context(founded):
        made = User.get(User.username == "operator")
    assert (made.role, made.full_name, made.active) == ("operator", "Neng Operator", True)
    listed = regency.get("/kabupaten/").get_data(as_text=True)
    assert "Akun operator operator untuk Desa Cibeureum sudah dibuat" in listed
    row = listed.split(f"<td data-label=\"Alamat web\">{HOST}</td>")[1].split("</tr>")[0]
    assert '<td data-label="Operator">operator <a' in row
    operator = login_on(app, HOST, "operator", PASSWORD)
    assert operator.get("/operator/").status_code == 200
    refused = client_on(app, HOST_A).post("/masuk", data={"login": "operator",
                                                          "password": PASSWORD})
    assert refused.status_code == 422  # Sukamaju's operator keeps the demo password


@pytest.mark.parametrize("field, values, message", [
    ("username", {"username": ""}, "Nama pengguna wajib diisi."),
    ("username", {"username": "1operator"}, USERNAME_RULE),
    ("full_name", {"full_name": " "}, "Nama lengkap wajib diisi."),
    ("password", {"password": "pendek", "password2": "pendek"}, TOO_SHORT),
    ("password", {"password": "cibeureum-2026", "password2": "cibeureum-2026"},
     HOLDS_VILLAGE),  # the new village's name, not the regency's
    ("password2", {"password2": "Kunci-rahasia-2027"}, DIFFERENT_AGAIN),
])
def test_a_wrong_operator_account_is_explained_with_what_was_typed(regency, founded, field,
                                                                   values, message):
    form = operator_account(**values)
    page = error_page_html(regency.post(new_operator(founded), data=form), field, message)
    assert f'id="{field}-error">{message}' in page
    assert f'value="{form["username"]}"' in page and f'value="{form["full_name"]}"' in page
    assert PASSWORD not in page  # a password is not echoed
    with village_context(founded):
        assert not User.select().exists()


def test_a_username_is_taken_within_its_village_alone(regency, founded):
    assert regency.post(new_operator(founded), data=operator_account()).status_code == 303
    again = regency.post(new_operator(founded), data=operator_account(full_name="Lain"))
    error_page_html(again, "username", USERNAME_TAKEN)
    with across_villages():
        assert User.select().where(User.username == "operator").count() == 2  # and Sukamaju's


def test_an_unknown_village_has_no_operator_form(regency):
    assert regency.get(new_operator(999)).status_code == 404
    assert regency.post(new_operator(999), data=operator_account()).status_code == 404


@pytest.mark.parametrize("role", ["budi", "operator", "kasipem", "kasikesra", "sekdes", "kades"])
def test_every_other_role_is_refused(request, db, role):
    client = request.getfixturevalue(role)
    before = Village.select().count()
    for url, form in ((NEW_VILLAGE, village()), (new_operator(1), operator_account())):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=form).status_code == 403, url
    assert Village.select().count() == before


def test_a_visitor_is_sent_to_log_in(client, db):
    for url in (NEW_VILLAGE, new_operator(1)):
        for response in (client.get(url), client.post(url, data=village())):
            assert response.status_code == 302 and "/masuk" in response.location


def test_a_village_host_serves_the_forms_to_no_village_account(app, regency):
    operator = login_on(app, HOST_A, "operator")
    for url in (NEW_VILLAGE, new_operator(1)):
        assert operator.get(url).status_code == 403, url
    assert client_on(app, HOST_A).get(NEW_VILLAGE).status_code == 302  # to log in, as a village


def test_both_forms_need_their_csrf_token(app, regency):
    app.config["WTF_CSRF_ENABLED"] = True
    assert regency.post(NEW_VILLAGE, data=village()).status_code == 400
    token = csrf_token_from(regency.get(NEW_VILLAGE).get_data(as_text=True))
    assert regency.post(NEW_VILLAGE, data={**village(), "csrf_token": token}).status_code == 303
    founded = Village.get(Village.host == HOST).id
    assert regency.post(new_operator(founded), data=operator_account()).status_code == 400
    token = csrf_token_from(regency.get(new_operator(founded)).get_data(as_text=True))
    made = regency.post(new_operator(founded), data={**operator_account(), "csrf_token": token})
    assert made.status_code == 303

"""A NUL character, which PostgreSQL can neither store nor compare, is refused at the door on
either engine: the same answer everywhere, never a server error."""
import pytest


@pytest.mark.parametrize("field", ["login", "password"])
def test_a_login_form_with_a_nul_character_is_refused(client, db, field):
    form = {"login": "kades", "password": "sukamaju123", field: "kades\x00"}
    assert client.post("/masuk", data=form).status_code == 400


def test_a_search_with_a_nul_character_is_refused(client, db):
    assert client.get("/berita/cari?q=posyandu%00").status_code == 400
    assert client.get("/berita/cari?q=posyandu").status_code == 200

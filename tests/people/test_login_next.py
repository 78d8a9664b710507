"""After logging in, `next` may only send the visitor to a page of this site, read the way the
browser will read the Location header."""
import pytest

LOGIN = {"login": "kasipem", "password": "sukamaju123"}

# Raw query strings: what an attacker's link carries, before the app decodes it.
ELSEWHERE = [
    "/%09/evil.example",  # a tab, dropped by the browser: "//evil.example"
    "/%0A/evil.example",
    "/%0D/evil.example",
    "%09//evil.example",
    "/%5Cevil.example",  # a backslash, read as a slash
    "%5C%5Cevil.example",
    "/%5C%09evil.example",
    "//evil.example",
    "%2F%2Fevil.example",
    "///evil.example",
    "/%2F/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "%20//evil.example",
    "evil.example",
]


@pytest.mark.parametrize("raw", ELSEWHERE)
def test_login_never_sends_to_another_site_however_next_is_written(client, db, raw):
    response = client.post(f"/masuk?next={raw}", data=LOGIN)
    assert response.status_code == 303 and response.location == "/kotak-masuk"


def test_a_next_with_a_nul_character_is_refused_before_any_login(client, db):
    response = client.post("/masuk?next=/%00/evil.example", data=LOGIN)
    assert response.status_code == 400 and "Location" not in response.headers


@pytest.mark.parametrize("raw, location", [
    ("/kotak-masuk/3?halaman=2", "/kotak-masuk/3?halaman=2"),
    ("/%252F%252Fevil.example", "/%2F%2Fevil.example"),  # an encoded slash is part of a path here
])
def test_login_returns_to_a_page_of_this_site(client, db, raw, location):
    response = client.post(f"/masuk?next={raw}", data=LOGIN)
    assert response.status_code == 303 and response.location == location

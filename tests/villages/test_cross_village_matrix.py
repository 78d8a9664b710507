"""The authorization matrix's column for another village: every id route of village 1's objects,
tried on village 2's host by the same role there, finds nothing (403 or 404, or the login page
for a visitor), and no page shows village 1's request."""
import pytest

from tests.support.routes import ROLES, urls
from tests.support.village import BUDI, SITI
from tests.support.villages import HOST_B, REGENCY_HOST, client_on, login_on, second_village

LOGINS = {"budi": BUDI, "siti": SITI}
NOT_HERE = {403, 404}
VILLAGE_ROLES = [role for role in ROLES if role != "kabupaten"]  # the regency: its own test below


@pytest.fixture
def id_urls(app, objects):
    """Village 1's id routes, made before the second village exists."""
    ids = objects_ids(objects)
    return [(endpoint, url) for endpoint, url in urls(app, objects)
            if any(f"{url}/".count(f"/{value}/") for value in ids)]


def objects_ids(objects):
    ids = {letter.id for letter, _ in objects["letters"]}
    ids |= {attachment.id for _, attachment in objects["letters"]}
    ids |= {value for name, value in objects.items() if name.endswith("_id")}
    return ids


@pytest.mark.parametrize("role", VILLAGE_ROLES)
def test_every_id_route_of_one_village_finds_nothing_in_another(app, db, objects, id_urls,
                                                               role):
    second_village(app)
    purposes = {letter.purpose for letter, _ in objects["letters"]}
    client = login_on(app, HOST_B, LOGINS.get(role, role)) if role else client_on(app, HOST_B)
    leaks = []
    for endpoint, url in id_urls:
        response = client.get(url)
        page = response.get_data(as_text=True)
        expected = NOT_HERE | ({302} if role is None else set())
        if response.status_code not in expected or any(purpose in page for purpose in purposes):
            leaks.append(f"{url} ({endpoint}): {response.status_code}")
    assert len(id_urls) > 15, id_urls
    assert not leaks, "\n".join(leaks)


def test_the_regency_account_finds_no_village_page_on_its_host(app, db, objects, id_urls):
    assert app.test_cli_runner().invoke(args=[
        "create-user", "--username", "subang", "--role", "kabupaten", "--name", "Dinas PMD",
        "--password", "Rahasia-kabupaten-2026"]).exit_code == 0
    app.config["REGENCY_HOST"] = REGENCY_HOST
    purposes = {letter.purpose for letter, _ in objects["letters"]}
    client = login_on(app, REGENCY_HOST, "subang", "Rahasia-kabupaten-2026")
    leaks = []
    assert client.get("/").location.endswith("/kabupaten/")  # its front page: its own pages
    village_pages = [(endpoint, url) for endpoint, url in id_urls
                     if not endpoint.startswith("regency.")]  # its own (Tambah operator)
    for endpoint, url in [*village_pages, ("inbox.index", "/kotak-masuk"),
                          ("letters.new", "/surat/baru")]:
        response = client.get(url)
        if response.status_code not in NOT_HERE or any(
                purpose in response.get_data(as_text=True) for purpose in purposes):
            leaks.append(f"{url} ({endpoint}): {response.status_code}")
    assert not leaks, "\n".join(leaks)

"""Only the operator may import the population: every import page and action, for each role."""
import pytest

from tests.support.population_import import IMPORT, latest_import, upload
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows


@pytest.fixture
def batch(operator, db):
    upload(operator, csv_bytes([HEADER] + resident_rows(2)))
    return latest_import()


def import_urls(batch):
    base = f"{IMPORT}{batch.id}"
    gets = [IMPORT, base, f"{base}/kolom", f"{base}/kemajuan", f"{base}/ditolak.csv"]
    posts = [IMPORT, f"{base}/kolom", f"{base}/terapkan", f"{base}/batalkan"]
    return gets, posts


@pytest.mark.parametrize("role", ["budi", "siti", "kasipem", "kasikesra", "sekdes", "kades"])
def test_no_one_but_the_operator_may_import(request, batch, role):
    client = request.getfixturevalue(role)
    gets, posts = import_urls(batch)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, data={}).status_code == 403, url
    assert latest_import().status == "ready"


def test_anonymous_visitors_are_sent_to_log_in(app, batch):
    client = app.test_client()
    gets, posts = import_urls(batch)
    for url in gets + posts:
        response = client.get(url) if url in gets else client.post(url)
        assert response.status_code == 302 and "/masuk" in response.location, url


def test_the_operator_opens_every_import_page(operator, batch):
    gets, _ = import_urls(batch)
    for url in gets:
        assert operator.get(url).status_code in (200, 303), url

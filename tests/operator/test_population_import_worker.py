"""The real worker stages and applies an import, picked up from the database when it starts,
while residents keep logging in and uploading their syarat."""
import time

import pytest

from balai.letters.models import Attachment
from balai.operator.population_import import PopulationImport
from balai.people.models import Person
from tests.support.files import image_bytes, upload
from tests.support.population_import import IMPORT, latest_import
from tests.support.population_import import upload as upload_file
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows
from tests.support.village import BUDI, make_request
from tests.support.worker import HueyWorker, wait_until

ROWS = 5000


@pytest.fixture
def queue(app, monkeypatch):
    """The app's own queue (its data dir's SQLite file, or Redis), which the worker reads."""
    huey = app.extensions["queue"].huey
    monkeypatch.setattr(huey, "immediate", False)
    return huey


def status(batch):
    return PopulationImport.get_by_id(batch.id).status


def resident_at_work(login, draft, statuses, batch):
    """Budi logs in and uploads his KTP and KK; what the import was doing meanwhile is kept."""
    before = status(batch)
    budi = login.as_(BUDI)  # asserts the login succeeded
    response = budi.post(f"/surat/{draft.id}/syarat", content_type="multipart/form-data",
                         data={"syarat-ktp": upload(image_bytes(), "ktp.jpg"),
                               "syarat-kk": upload(image_bytes(), "kk.jpg")})
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:500]
    statuses.add((before, status(batch)))


def test_the_worker_runs_an_import_while_residents_keep_working(app, db, queue, operator, login,
                                                                 tmp_path):
    response = upload_file(operator, csv_bytes([HEADER] + resident_rows(ROWS)))
    assert response.status_code == 303
    batch = latest_import()
    queue.flush()  # the message is lost: the worker finds the import in the database at start
    draft, during = make_request(), set()
    with HueyWorker(tmp_path, BALAI_STORAGE_URL=app.config["STORAGE_URL"]) as worker:
        assert wait_until(lambda: status(batch) == "staging", 60), worker.log()
        deadline = time.monotonic() + 120
        while status(batch) in ("queued", "staging") and time.monotonic() < deadline:
            resident_at_work(login, draft, during, batch)
        assert status(batch) == "ready", worker.log()
        assert ("staging", "staging") in during  # a login and an upload within the staging
        assert operator.post(f"{IMPORT}{batch.id}/terapkan").status_code == 303
        while status(batch) == "applying" and time.monotonic() < deadline:
            resident_at_work(login, draft, during, batch)
        assert wait_until(lambda: status(batch) == "applied", 60), worker.log()
    assert PopulationImport.get_by_id(batch.id).counts["new"] == ROWS
    assert Person.select().where(Person.name.startswith("Warga ")).count() == ROWS
    assert Attachment.select().where(Attachment.request == draft.id).count() == 2

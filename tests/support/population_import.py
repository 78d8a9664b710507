"""Uploading a population spreadsheet as the operator, and reading what the import became."""
import io

from balai.operator.population_import import PopulationImport

IMPORT = "/operator/penduduk/impor/"


def upload(client, data, name="penduduk.csv"):
    return client.post(IMPORT, data={"berkas": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def latest_import():
    return PopulationImport.select().order_by(PopulationImport.id.desc()).first()


def apply_latest(client):
    batch = latest_import()
    response = client.post(f"{IMPORT}{batch.id}/terapkan")
    assert response.status_code == 303
    return PopulationImport.get_by_id(batch.id)

"""What a population import keeps, and for how long: its staged rows hold residents' data
(NIK, birth date, family), so they go once they have served. Applying drops all but the
rejected rows; KEEP_DAYS after an import began, the worker drops the rest and its file, and an
import never applied is closed. The counts stay, as the record of what was imported."""
import datetime

from balai.db import db, now
from balai.operator.population_import import PopulationImport, StagedRow
from balai.storage import documents

KEEP_DAYS = 30
OPEN = ("mapping", "ready", "failed")


def expired():
    """Imports past KEEP_DAYS that still hold rows or a file."""
    before = now() - datetime.timedelta(days=KEEP_DAYS)
    holding = (PopulationImport.status.in_(OPEN)
               | PopulationImport.id.in_(StagedRow.select(StagedRow.batch)))
    return PopulationImport.select().where((PopulationImport.created_at < before) & holding)


def forget(import_id):
    """Drop an expired import's staged rows and file; safe to run twice."""
    batch = expired().where(PopulationImport.id == import_id).first()
    if batch is None:
        return
    with db.atomic():
        StagedRow.delete().where(StagedRow.batch == batch.id).execute()
        PopulationImport.update(status="cancelled").where(
            (PopulationImport.id == batch.id) & PopulationImport.status.in_(OPEN)).execute()
    documents().delete(batch.file_key)

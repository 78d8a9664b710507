"""A village's population brought in from a spreadsheet: 10,000 residents as CSV and as XLSX,
timed through the steps an import takes (the upload's check in the web request, staging and
applying as the worker runs them), then the same file again (a re-import, 10% changed).
Demo village, temp data dir, SQLite (or DATABASE_URL). The issue's budget: under 30 s.

Run: .venv/bin/python bench/import_population.py [rows]
"""
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai import create_app, schema  # noqa: E402
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from balai.operator import population_import  # noqa: E402
from balai.operator.columns import match_headers  # noqa: E402
from balai.operator.population_import import PopulationImport  # noqa: E402
from balai.operator.spreadsheet import read_rows  # noqa: E402
from balai.people.models import Person, User  # noqa: E402
from balai.storage import Folder  # noqa: E402
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows, xlsx_bytes  # noqa: E402


def timed(step, times):
    started = time.perf_counter()
    result = step()
    times.append(time.perf_counter() - started)
    return result


def import_once(app, name, data):
    """(read, stage, apply) seconds and the import's counts, as the upload and the worker do it."""
    times = []
    with app.test_request_context():
        operator = User.by_login("operator")
        rows = timed(lambda: read_rows(data), times)  # the upload's check, in the request
        mapping = {str(i): field for i, field in match_headers(rows[0]).items()}
        batch = population_import.begin(operator, name, data, rows[0], mapping)
        population_import.queue_with(batch, mapping)
        timed(lambda: population_import.stage(batch.id), times)
        population_import.start_applying(batch)
        timed(lambda: population_import.apply(batch.id), times)
        batch = PopulationImport.get_by_id(batch.id)
        assert batch.status == "applied", batch.message
    return times, batch.counts


def main(count):
    rows = resident_rows(count)
    changed = [list(row) for row in rows]
    for row in changed[::10]:
        row[6] = "Kristen"
    files = {"csv": (csv_bytes([HEADER] + rows), csv_bytes([HEADER] + changed)),
             "xlsx": (xlsx_bytes([HEADER] + rows), xlsx_bytes([HEADER] + changed))}
    print(f"{count} residents; each line: read (upload check) + stage + apply = total seconds")
    for kind, (first, again) in files.items():
        with tempfile.TemporaryDirectory() as data_dir:
            app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "bench",
                              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
            schema.create_tables()
            with database.db.connection_context():
                seed.seed_demo(Folder(data_dir), app.config["PASSWORD_HASH_METHOD"])
            for label, data in (("new", first), ("re-import", again)):
                times, counts = import_once(app, f"penduduk.{kind}", data)
                print(f"{kind:4} {label:9} {len(data) / 1e6:5.2f} MB: "
                      f"{' + '.join(f'{t:5.2f}' for t in times)} = {sum(times):5.2f} s  "
                      f"{counts}")
            with database.db.connection_context():
                assert Person.select().count() == count + len(seed.RESIDENTS)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

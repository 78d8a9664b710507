"""A village at work on the previous schema upgrades with `flask --app app migrate`: a backup
first, every row kept, and the Kades signs the next letter on the upgraded database. On the
engine of the test run, from its snapshot."""
import json
import sqlite3
from contextlib import closing

import pytest
from peewee import IntegrityError

from balai import db as database
from balai.market.orders import OrderItem
from balai.migrations import LATEST
from tests.support.migrations import downgraded, row_counts, schema_of, snapshot, village_at_work
from tests.support.postgres import ENABLED
from tests.support.signing import approve, reloaded, stored_pdf
from tests.support.village import make_request

PREVIOUS = 1  # the schema before versions were kept: every step runs
# Tables made since that a step fills from the rows there (0010: the counts, from the events).
FILLED = ("letterday", "lettermonth", "steptime", "activeresident", "activemonth")


def kept_every_row(data_dir, before):
    """After the upgrade: every table's rows as before, the tables made since empty (but those
    filled from the others), one version."""
    after = row_counts(data_dir)
    filled = {table: after[table] for table in FILLED if table not in before}
    assert after == {**{table: 0 for table in after}, **before, **filled, "schema_version": 1}
    assert filled["letterday"] or not before.get("letterevent")


@pytest.fixture
def previous_village(app, db, tmp_path):
    """The demo village after some use, its database at the previous version."""
    village_at_work(app)
    db.close()
    downgraded(tmp_path, PREVIOUS)
    return row_counts(tmp_path)


def migrate(app, *args):
    result = app.test_cli_runner().invoke(args=["migrate", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_upgrade_backs_up_keeps_every_row_and_signs_the_next_letter(
        app, tmp_path, tmp_path_factory, previous_village):
    backups = tmp_path_factory.mktemp("cadangan")
    assert "schema_version" not in previous_village
    assert all(previous_village[table] for table in ("letterrequest", "letterevent",
                                                    "registerentry", "notification", "order",
                                                    "orderitem", "loginsession", "news"))
    output = migrate(app, "--backup-dir", str(backups))
    assert f"Database versi {PREVIOUS}" in output and f"sekarang versi {LATEST}" in output
    kept_every_row(tmp_path, previous_village)
    [backup] = backups.iterdir()
    if ENABLED:  # the database as it was: pg_dump's archive, listed with its checksum
        manifest = json.loads((backup / "manifest.json").read_text())
        assert "balai.pgdump" in {entry["path"] for entry in manifest["files"]}
    else:
        with closing(sqlite3.connect(backup / "balai.db")) as copy:  # the database as it was
            assert not copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'"
                                    ).fetchone()
            assert copy.execute("SELECT COUNT(*) FROM letterrequest").fetchone()[0] == \
                previous_village["letterrequest"]

    kades = app.test_client()
    assert kades.post("/masuk", data={"login": "kades", "password": "sukamaju123"}
                      ).status_code == 303
    letter = make_request(status="diperiksa")  # queries connect as they need (autoconnect)
    assert approve(kades, letter).status_code == 303
    signed = reloaded(letter)
    assert signed.status == "selesai" and signed.number
    assert b"/ByteRange" in stored_pdf(app, signed)
    line = OrderItem.select().first()
    with pytest.raises(IntegrityError), database.db.atomic():  # step 0002's index holds
        OrderItem.create(order=line.order, product=line.product, name=line.name,
                         price=line.price, unit=line.unit, quantity=1)
    database.db.close()
    assert "sudah versi terbaru" in migrate(app)


def test_a_dry_run_prints_the_steps_and_their_sql_and_changes_nothing(
        app, tmp_path, previous_village):
    output = migrate(app, "--dry-run")
    assert "uji coba, tidak ada yang diubah" in output
    assert 'CREATE UNIQUE INDEX "orderitem_order_id_product_id"' in output
    assert schema_of(tmp_path) == snapshot(PREVIOUS)
    assert row_counts(tmp_path) == previous_village


def test_init_db_upgrades_too_backing_up_where_the_host_says(
        app, tmp_path, tmp_path_factory, monkeypatch, previous_village):
    backups = tmp_path_factory.mktemp("cadangan-host")
    monkeypatch.setenv("BALAI_BACKUP_DIR", str(backups))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "Database siap" in result.output, result.output
    [backup] = backups.iterdir()
    assert backup.name.startswith(f"sebelum-migrasi-v{PREVIOUS}-")
    assert (backup / "manifest.json").exists()
    kept_every_row(tmp_path, previous_village)


def test_no_step_runs_when_the_backup_fails(app, tmp_path, previous_village):
    result = app.test_cli_runner().invoke(args=["migrate", "--backup-dir", str(tmp_path / "x")])
    assert result.exit_code != 0 and "di dalam folder data" in result.output
    assert schema_of(tmp_path) == snapshot(PREVIOUS)

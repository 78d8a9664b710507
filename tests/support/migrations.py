"""Databases at an older version for the migration tests: made from a schema snapshot, with the
rows of a newer database copied in; and, run as `python -m tests.support.migrations DATA_DIR`,
a migrating process whose extra step waits for a `go` file (the lock and crash tests)."""
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

from peewee import CharField, SqliteDatabase

from balai import create_app
from balai.db import now
from balai.market.models import Product, Shop
from balai.market.orders import Order
from balai.migrate import migrate, schema_sql, snapshot_path
from balai.migrations import LATEST, STEPS, Step
from balai.people.models import User
from tests.support.signing import approve, reloaded
from tests.support.village import BUDI, Login, make_request

RUNS = "step-runs"  # a line per run of the waiting step, written in the data dir
GO = "go"  # the file the waiting step waits for


def downgraded(data_dir, version):
    """Make the data dir's balai.db a database at `version`, from its snapshot, holding every
    row of the database that was there (in the columns both schemas have)."""
    database = Path(data_dir) / "balai.db"
    old = database.with_name("old.db")
    with closing(sqlite3.connect(old)) as connection:
        connection.executescript(snapshot_path(version).read_text())
        connection.execute("ATTACH DATABASE ? AS newer", (str(database),))
        for table, kind in connection.execute(
                "SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
                "AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%'").fetchall():
            columns = ({row[1] for row in connection.execute(f'PRAGMA main.table_info("{table}")')}
                       & {row[1] for row in connection.execute(f'PRAGMA newer.table_info("{table}")')})
            names = ", ".join([f'"{name}"' for name in sorted(columns)]
                              + (["rowid"] if kind == "virtual" else []))
            connection.execute(f'INSERT INTO main."{table}" ({names}) '
                               f'SELECT {names} FROM newer."{table}"')
        if version > 1:  # the row copied says the newer version
            connection.execute("UPDATE schema_version SET version = ?", (version,))
        connection.commit()
        connection.execute("DETACH DATABASE newer")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    old.replace(database)


def schema_of(data_dir):
    """The schema of the data dir's balai.db, as its snapshot would have it."""
    database = SqliteDatabase(str(Path(data_dir) / "balai.db"))
    try:
        return schema_sql(database)
    finally:
        database.close()


def row_counts(data_dir):
    """Rows of every table of the data dir's balai.db, read as any other program would."""
    with closing(sqlite3.connect(Path(data_dir) / "balai.db")) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in tables}


def village_at_work(app):
    """The demo village after some use: two logins, a signed letter, an order."""
    login = Login(app)
    kades = login.as_("kades")
    login.as_(BUDI)
    letter = make_request(status="diperiksa")
    assert approve(kades, letter).status_code == 303 and reloaded(letter).pdf_file
    product = Product.public().where(Shop.owner != User.by_login(BUDI)).first()
    Order.place(User.by_login(BUDI), product.shop, [(product, 1)], "ambil", "", f"{now()}")


def waiting_step(data_dir):
    """The step after the latest: adds a column to person, notes in the data dir that it ran,
    then waits for the go file there."""
    def upgrade(migrator):
        migrator.add_column("person", "nickname", CharField(null=True)).run()
        with open(data_dir / RUNS, "a") as runs:
            runs.write("ran\n")
        while not (data_dir / GO).exists():
            time.sleep(0.05)
    return Step(LATEST + 1, "a step that waits", upgrade)


def main(data_dir):
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "test"})
    migrate(app.config["DATA_DIR"], backup=lambda version: None,
            steps=STEPS + [waiting_step(Path(data_dir))])


if __name__ == "__main__":
    main(Path(sys.argv[1]))

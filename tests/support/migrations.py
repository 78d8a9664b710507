"""Databases at an older version for the migration tests, on the engine of the test run: made
from that engine's schema snapshot, with the rows of a newer database copied in; and, run as
`python -m tests.support.migrations DATA_DIR`, a migrating process whose extra step waits for a
`go` file (the lock and crash tests).

The database of a test is its data dir's balai.db, or on PostgreSQL the test's own
(DATABASE_URL, tests/support/postgres.py)."""
import contextlib
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

from peewee import CharField, SqliteDatabase

from balai import create_app
from balai import db as database
from balai.db import now
from balai.dbms import open_database
from balai.market.models import Product, Shop
from balai.market.orders import Order
from balai.migrate import migrate, schema_sql, snapshot_path
from balai.migrations import LATEST, STEPS, Step
from balai.people.models import User
from tests.support import postgres
from tests.support.signing import approve, reloaded
from tests.support.village import BUDI, Login, make_request

RUNS = "step-runs"  # a line per run of the waiting step, written in the data dir
GO = "go"  # the file the waiting step waits for
ENGINE = "postgresql" if postgres.ENABLED else "sqlite"


def snapshot(version):
    """The snapshot of a version on the engine of the test run."""
    return snapshot_path(version, ENGINE).read_text()


@contextlib.contextmanager
def opened(data_dir):
    """The test's database, opened as any other program would (not through the app's)."""
    if postgres.ENABLED:
        database = open_database(postgres.owner_url(), pool_size=1)
    else:
        database = SqliteDatabase(str(Path(data_dir) / "balai.db"))
    try:
        with database.connection_context():
            yield database
    finally:
        if postgres.ENABLED:
            database.close_all()


def downgraded(data_dir, version):
    """Make the test's database a database at `version`, from its snapshot, holding every row
    of the database that was there (in the columns both schemas have)."""
    if postgres.ENABLED:
        return downgraded_on_postgres(version)
    database = Path(data_dir) / "balai.db"
    old = database.with_name("old.db")
    with closing(sqlite3.connect(old)) as connection:
        connection.executescript(snapshot(version))
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


def downgraded_on_postgres(version):
    """The same on PostgreSQL, in one transaction: the snapshot made in a schema of its own, the
    rows copied (triggers and foreign keys asleep meanwhile), the sequences set after them; the
    test's schema dropped and the new one given its name."""
    columns_sql = ("SELECT table_name, column_name FROM information_schema.columns "
                   "WHERE table_schema = %s")
    with closing(postgres.connect_url(postgres.owner_url())) as connection, \
            connection.transaction():
        schema = connection.execute("SELECT current_schema()").fetchone()[0]
        connection.execute("SET LOCAL session_replication_role = replica")
        connection.execute('CREATE SCHEMA "older"; SET LOCAL search_path = "older"')
        connection.execute(snapshot(version))
        newer = set(connection.execute(columns_sql, (schema,)).fetchall())
        tables = {}
        for table, column in connection.execute(columns_sql, ("older",)).fetchall():
            if (table, column) in newer:
                tables.setdefault(table, []).append(f'"{column}"')
        for table, columns in sorted(tables.items()):
            names = ", ".join(columns)
            connection.execute(f'INSERT INTO older."{table}" ({names}) '
                               f'SELECT {names} FROM "{schema}"."{table}"')
        for table, column in connection.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_schema = 'older' AND column_default LIKE 'nextval(%%'").fetchall():
            connection.execute(f"SELECT setval(pg_get_serial_sequence('older.\"{table}\"', "
                               f"'{column}'), MAX(\"{column}\")) FROM older.\"{table}\" "
                               "HAVING COUNT(*) > 0")
        if version > 1:  # the row copied says the newer version
            connection.execute("UPDATE older.schema_version SET version = %s", (version,))
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.execute(f'ALTER SCHEMA "older" RENAME TO "{schema}"')
    if hasattr(database.db.obj, "close_idle"):  # the app's connections knew the tables dropped
        database.db.obj.close_idle()


def schema_of(data_dir):
    """The schema of the test's database, as its snapshot would have it."""
    with opened(data_dir) as database:
        return schema_sql(database)


def row_counts(data_dir):
    """Rows of every table of the test's database."""
    with opened(data_dir) as database:
        return {table: database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in database.get_tables()}


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

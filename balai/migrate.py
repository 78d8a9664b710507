"""Upgrading the database's schema: `flask --app app migrate [--dry-run]` (README "Migrasi").

The database keeps its version in `schema_version` (balai.schema); the numbered steps of
balai.migrations bring it from one version to the next. An empty database gets today's tables at
once. A database with tables but no version is at version 1, the schema from before versions.

How a step runs, so that an upgrade never loses data:
- one process at a time: a lock file in the data dir (flock), or an advisory lock on PostgreSQL;
  a second migrate waits, then finds nothing left to do;
- after a backup (the caller's `backup`), in a connection of its own, never inside an app's
  transaction;
- each step in one transaction, with the new version: a step that fails, or that loses a row of
  any table it did not say it may (`FEWER_ROWS`), is undone whole and the database stays at the
  version before it;
- on SQLite with foreign keys off (set outside the transaction, where SQLite honours it): a step
  that rebuilds a table drops the old one, and with foreign keys on that DROP deletes or refuses
  every row that points at it. `PRAGMA foreign_key_check` must find nothing new before commit.

The schema itself is kept as SQL text in migrations/snapshots/NNNN.<engine>.sql, one file per
version: `schema_sql` writes it, tests/migrations compare it."""
import contextlib
import fcntl
import os
import time
from pathlib import Path

import click
from peewee import PostgresqlDatabase, Proxy
from playhouse.migrate import SchemaMigrator

from balai.db import as_owner, db
from balai.dbms import SqliteVillageDatabase, postgres_schema_sql
from balai.migrations import STEPS
from balai.pg_wall import WallError
from balai.schema import MODELS, SchemaVersion, create_new_schema

SNAPSHOTS = Path(__file__).resolve().parent.parent / "migrations" / "snapshots"
LOCK_FILE = "migrate.lock"
ADVISORY_LOCK = int.from_bytes(b"balai", "big")  # the key of migrate's PostgreSQL advisory lock


class MigrationError(click.ClickException):
    """A migration that cannot go on, or was undone; the message says why."""


class DryRun(Exception):
    """Raised inside a transaction to undo it: a dry run's steps, models_schema_sql's tables."""


def unwrapped():
    """The app's database itself, also when balai.db holds it in a proxy."""
    return db.obj if isinstance(db, Proxy) else db


def engine():
    """'postgresql' or 'sqlite': the name snapshots and locks go by."""
    return unwrapped().engine


def migrate(lock_dir, backup, dry_run=False, steps=STEPS, echo=click.echo):
    """Bring the database to the last of `steps`; returns the versions applied (or, in a dry
    run, that would be). `backup(version)` runs once before the first step changes anything:
    not for an empty database, not in a dry run; it raises to stop the upgrade."""
    if db.in_transaction():
        raise MigrationError("Migrasi tidak boleh berjalan di dalam transaksi aplikasi.")
    with as_owner(), migration_lock(lock_dir, echo):
        version = current_version()
        last = steps[-1].version
        if version is None:
            if not dry_run:
                create_new_schema(last)
            echo(f"Database kosong: semua tabel {'akan ' if dry_run else ''}dibuat, versi {last}.")
            return []
        if version > last:
            raise MigrationError(f"Database sudah versi {version}, lebih baru dari kode ini "
                                 f"(versi {last}). Pasang versi Balai yang sesuai.")
        pending = [step for step in steps if step.version > version]
        if not pending:
            if not dry_run:
                with db.atomic():
                    build_wall()  # a database walled before: the roles may have changed since
            echo(f"Skema database sudah versi terbaru ({version}).")
            return []
        echo(f"Database versi {version}; {len(pending)} langkah "
             f"{'akan dijalankan (uji coba, tidak ada yang diubah)' if dry_run else 'dijalankan'}:")
        if not dry_run:
            backup(version)
        with foreign_keys_off():
            if not dry_run:
                for step in pending:
                    run_step(step, echo)
                with db.atomic():
                    build_wall()
                echo(f"Database sekarang versi {last}; tidak ada baris yang hilang.")
            else:  # each step sees the ones before it; all is undone at the end
                with contextlib.suppress(DryRun), db.atomic():
                    for step in pending:
                        run_step(step, echo, dry_run=True)
                    raise DryRun
        return [step.version for step in pending]


@contextlib.contextmanager
def migration_lock(lock_dir, echo):
    """Held by one migrating process at a time; the others wait for it."""
    if engine() == "postgresql":
        if not db.execute_sql("SELECT pg_try_advisory_lock(%s)", (ADVISORY_LOCK,)).fetchone()[0]:
            echo("Menunggu migrasi lain selesai...")
            db.execute_sql("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK,))
        return
    with open(Path(lock_dir) / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo("Menunggu migrasi lain selesai...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield  # closing the file releases it


def build_wall():
    """PostgreSQL's wall between villages on every table that holds village rows (balai.pg_wall),
    and the app's role's grants; MigrationError when the owner may not make the across role."""
    try:
        unwrapped().build_wall()
    except WallError as error:
        raise MigrationError(str(error))


def current_version():
    """The schema's version; None for an empty database, 1 for tables without a version."""
    tables = db.get_tables()
    if SchemaVersion._meta.table_name in tables:
        return SchemaVersion.get_by_id(1).version
    return 1 if tables else None


@contextlib.contextmanager
def foreign_keys_off():
    """SQLite's foreign keys off for this connection while the steps run, on again after. Set
    outside any transaction: inside one SQLite ignores it."""
    if engine() != "sqlite":
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def run_step(step, echo, dry_run=False):
    """One step and its new version in one transaction (a savepoint of a dry run's), checked
    before it commits."""
    started, statements = time.monotonic(), []
    sqlite = engine() == "sqlite"
    try:
        with db.atomic(), unwrapped().wall_lifted():
            before, broken = row_counts(), foreign_key_problems() if sqlite else set()
            db.query_hooks.append(statements.append)
            try:
                step.upgrade(SchemaMigrator.from_database(unwrapped()))
            finally:
                db.query_hooks.remove(statements.append)
            if sqlite and (new := foreign_key_problems() - broken):
                raise MigrationError(f"Langkah {step.description} merusak {len(new)} rujukan "
                                     f"antartabel, misalnya {sorted(new)[0]}; dibatalkan, "
                                     f"database tetap versi {step.version - 1}.")
            check_rows(step, before, row_counts())
            if not SchemaVersion.table_exists():  # the first step after the baseline
                SchemaVersion.create_table()
                db.after_create_tables([SchemaVersion])  # PostgreSQL: its change trigger
            SchemaVersion.insert(id=1, version=step.version).on_conflict(
                conflict_target=[SchemaVersion.id],
                update={SchemaVersion.version: step.version}).execute()
    except MigrationError:
        raise
    except Exception as error:
        raise MigrationError(f"Langkah {step.description} gagal dan dibatalkan; database tetap "
                             f"versi {step.version - 1}. {type(error).__name__}: {error}")
    if not dry_run:
        echo(f"  {step.description}: selesai dalam {time.monotonic() - started:.1f} detik.")
        return
    echo(f"  {step.description}")
    for query in statements:
        echo(f"    {query.sql};" + (f"  -- {list(query.params)}" if query.params else ""))


def row_counts():
    """Rows in every table, by table name."""
    return {table: db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in db.get_tables()}


def check_rows(step, before, after):
    """MigrationError when a table has fewer rows than before (or is gone) and the step did not
    say it may."""
    lost = {table: count - after.get(table, 0) for table, count in before.items()
            if count > after.get(table, 0) and table not in step.fewer_rows}
    if lost:
        raise MigrationError(f"Langkah {step.description} menghilangkan baris: "
                             + ", ".join(f"{table} {count}" for table, count in lost.items())
                             + f"; dibatalkan, database tetap versi {step.version - 1}.")


def foreign_key_problems():
    """SQLite's foreign key check: (table, rowid, parent table) of every row pointing nowhere."""
    return {tuple(row[:3]) for row in db.execute_sql("PRAGMA foreign_key_check").fetchall()}


def schema_sql(database):
    """The schema of a database as text, one statement a line, that makes it again: a snapshot.
    On SQLite: tables first, then indexes, each sorted by name; without the tables SQLite makes
    for a full-text index itself. On PostgreSQL: see dbms.postgres_schema_sql."""
    database = database.obj if isinstance(database, Proxy) else database
    if isinstance(database, PostgresqlDatabase):
        return postgres_schema_sql(database)
    rows = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow') "
        "ORDER BY type != 'table', type, name").fetchall()
    return "".join(f"{' '.join(sql.split())};\n" for (sql,) in rows)


def models_schema_sql(database=None):
    """The schema today's models make in a new database: SQLite's (in memory), or with the
    app's PostgreSQL database, what create_new_schema makes there (as the tables' owner) in a
    schema made for it and dropped again (the transaction is undone)."""
    if database is None or database.engine == "sqlite":
        fresh = SqliteVillageDatabase(":memory:")
        with fresh.bind_ctx(MODELS + [SchemaVersion]), fresh.connection_context():
            fresh.create_tables(MODELS + [SchemaVersion])
            return schema_sql(fresh)
    with as_owner(), contextlib.suppress(DryRun), db.atomic():  # the app's role makes no schema
        db.execute_sql("CREATE SCHEMA balai_models; SET LOCAL search_path = balai_models")
        create_new_schema()
        text = schema_sql(db)
        raise DryRun
    return text


def snapshot_path(version, engine_name="sqlite"):
    """The snapshot of a version's schema on an engine ('sqlite' or 'postgresql')."""
    return SNAPSHOTS / f"{version:04d}.{engine_name}.sql"


def register(app):
    @app.cli.command("migrate")
    @click.option("--dry-run", is_flag=True,
                  help="Tampilkan langkah yang tertunda dan SQL-nya; tidak ada yang diubah.")
    @click.option("--no-backup", is_flag=True,
                  help="Tanpa cadangan otomatis (Anda sudah membuat cadangan sendiri).")
    @click.option("--backup-dir", type=click.Path(file_okay=False, path_type=Path),
                  help="Folder cadangan sebelum migrasi (bawaan: BALAI_BACKUP_DIR, atau "
                       "<folder data>-cadangan).")
    @click.pass_context
    def migrate_command(ctx, dry_run, no_backup, backup_dir):
        """Upgrade the database's schema to this version of Balai, after a backup."""
        migrate(app.config["DATA_DIR"], backup_before(ctx, no_backup, backup_dir), dry_run)

    @app.cli.command("init-db")
    @click.pass_context
    def init_db(ctx):
        """Create the database's tables, or upgrade them: `migrate` with its defaults."""
        ctx.invoke(migrate_command)
        click.echo(f"Database siap: {db.describe()}")

    @app.cli.command("schema-snapshot")
    def schema_snapshot():
        """Write the models' schema as the snapshot of the latest step (migrations/snapshots),
        for the engine DATABASE_URL names."""
        version = STEPS[-1].version
        database = unwrapped()
        path, text = snapshot_path(version, database.engine), models_schema_sql(database)
        if path.exists() and path.read_text() != text:
            raise MigrationError(f"Model berubah, padahal {path.name} sudah mencatat versi "
                                 f"{version}: tulis langkah {version + 1:04d} di balai/migrations "
                                 "dulu, lalu jalankan perintah ini lagi.")
        path.write_text(text)
        click.echo(f"Snapshot skema: {path}")

    def backup_before(ctx, no_backup, folder):
        def backup(version):
            if no_backup:
                click.echo("Perhatian: migrasi tanpa cadangan otomatis (--no-backup).", err=True)
                return
            data_dir = Path(app.config["DATA_DIR"])
            parent = Path(folder or os.environ.get("BALAI_BACKUP_DIR")
                          or data_dir.with_name(f"{data_dir.name}-cadangan"))
            target = parent / f"sebelum-migrasi-v{version}-{time.strftime('%Y%m%d-%H%M%S')}"
            ctx.invoke(app.cli.commands["backup"], folder=target)
        return backup

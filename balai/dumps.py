"""A PostgreSQL village's database in a backup (balai.backup): `pg_dump` of the schema that
DATABASE_URL works in, as one file of the custom format, and `pg_restore` of it back.

- The dump is taken in an exported snapshot, and the documents its rows name are read in that
  same snapshot: exactly the rows of the dump, however many writers go on meanwhile.
- A restore replaces the schema whole in one transaction (psql --single-transaction: the old
  schema dropped, the dump's made): a restore that fails changes nothing.
- The client programs (pg_dump, pg_restore, psql) come from the PATH, else from the newest
  /usr/lib/postgresql/*/bin. The password reaches them in PGPASSWORD, never on a command line,
  where every user of the machine can read it."""
import glob
import os
import re
import shutil
import subprocess

import click
from peewee import PostgresqlDatabase

DUMP = "balai.pgdump"  # the dump's name in the backup folder
NOT_DATA = {"schema_version", "balai_change"}  # rows any new database has
CLIENT_DIRS = "/usr/lib/postgresql/*/bin"  # Debian's, one folder per version


class DumpError(click.ClickException):
    """A dump or restore that cannot go on; the message says why."""


def program(name):
    """The path of a PostgreSQL client program; DumpError when it is not installed."""
    found = shutil.which(name) or max(
        glob.glob(f"{CLIENT_DIRS}/{name}"), default=None,
        key=lambda path: [int(part) for part in re.findall(r"\d+", path)])
    if not found:
        raise DumpError(f"Program {name} tidak ditemukan. Pasang klien PostgreSQL (Debian/Ubuntu: "
                        f"apt-get install postgresql-client), versinya sama atau lebih baru dari "
                        f"server. / {name} not found: install the PostgreSQL client programs.")
    return found


class Server:
    """A DATABASE_URL as the client programs take it: the connection string without its
    password, which goes into their environment."""

    def __init__(self, url):
        from psycopg.conninfo import conninfo_to_dict, make_conninfo
        self.url = url
        params = conninfo_to_dict(url)
        self.password = params.pop("password", None)
        self.conninfo = make_conninfo(**params)

    def env(self):
        return {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}

    def command(self, name, *args):
        return [program(name), *args, f"--dbname={self.conninfo}"]

    def database(self, **options):
        """A plain peewee database (no write lock, no pool) on this URL."""
        return PostgresqlDatabase(self.url, prefer_psycopg3=True, **options)

    def schema(self):
        """The schema this URL works in: the first of its search_path (public by default)."""
        database = self.database()
        with database.connection_context():
            path = database.execute_sql("SHOW search_path").fetchone()[0]
        names = [name.strip().strip('"') for name in path.split(",")]
        return next((name for name in names if name and name != "$user"), "public")

    def holds_rows(self):
        """True when a table in the URL's schema has a row that a new database would not."""
        schema, database = self.schema(), self.database()
        with database.connection_context():
            tables = [table for (table,) in database.execute_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))]
            return any(database.execute_sql(
                f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")').fetchone()[0]
                for table in tables if table not in NOT_DATA)


def dump(url, out, named_keys):
    """pg_dump of the URL's schema into `out` (a file open for writing), and named_keys(peewee
    database) read in the dump's own snapshot. Returns (schema, keys)."""
    server = Server(url)
    schema = server.schema()
    snapshot = server.database(isolation_level="REPEATABLE READ")
    with snapshot.connection_context(), snapshot.atomic():
        name = snapshot.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
        run(server.command("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                           f'--schema="{schema}"', f"--snapshot={name}"), server, stdout=out)
        return schema, named_keys(snapshot)


def restore(url, path, schema):
    """Replace the URL's schema by the dump at path, taken from `schema` (the same name: a
    dump names its schema in every statement), in one transaction."""
    server = Server(url)
    if server.schema() != schema:
        raise DumpError(f"Cadangan ini dari skema PostgreSQL {schema!r}, sedangkan DATABASE_URL "
                        f"memakai skema {server.schema()!r}. Pulihkan ke skema {schema!r} "
                        "(options=-c search_path=... di DATABASE_URL).")
    script = path.with_name(f"{path.name}.sql")  # whole before psql reads it: psql commits
    try:                                        # at the end of what it is given
        run([program("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}",
             str(path)], server)
        run(server.command("psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                           "--single-transaction",
                           f'--command=DROP SCHEMA IF EXISTS "{schema}" CASCADE',
                           f"--file={script}"), server, stdout=subprocess.DEVNULL)
    finally:
        script.unlink(missing_ok=True)


def run(command, server, **streams):
    """Run a client program; DumpError with what it said when it fails."""
    done = subprocess.run(command, env=server.env(), stderr=subprocess.PIPE, **streams)
    if done.returncode != 0:
        raise DumpError(f"{os.path.basename(command[0])} gagal (kode {done.returncode}); "
                        f"basis data tidak diubah.\n"
                        f"{done.stderr.decode(errors='replace').strip()}")

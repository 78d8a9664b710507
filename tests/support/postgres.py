"""Throwaway PostgreSQL databases for the tests, when DATABASE_URL names a PostgreSQL server
(`make test-postgres` starts one). Every test starts from data of its own, fast:

- A test with the demo village (`app`) gets the demo database, reset to the seeded village in
  one transaction (rows deleted and copied back from a `seed` schema, sequences set back: some
  20 ms, where CREATE DATABASE ... TEMPLATE takes 0.1-0.7 s and TRUNCATE of every table 1 s).
  A test that changes the tables themselves (a migration test) is caught by the schema's
  fingerprint, or breaks the reset; the database is then made again from its pristine template.
- Any other test gets an empty schema of its own (search_path in the URL), created in a moment.

The app connects as the role tests/services/postgres.sh made for it (APP_ROLE), which owns no
table: `app_url` of an owner's URL; the server's superuser (DATABASE_URL) owns them, creates
them (the apps' BALAI_OWNER_DATABASE_URL) and makes databases and schemas.
"""
import hashlib
import itertools
import os
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

SERVER = os.environ.get("DATABASE_URL", "")
APP_ROLE = os.environ.get("BALAI_TEST_APP_ROLE", "")  # empty: the owner is the app's role too
ENABLED = SERVER.startswith(("postgresql://", "postgres://"))
SECRET_KEY = "test-shared-secret"  # a shared backend refuses to start without BALAI_SECRET_KEY
SCRATCH = f"scratch_{os.getpid()}"  # holds each empty test's schema
RUN = uuid.uuid4().hex[:12]  # this test run's documents in the object store
_names = itertools.count()

needs_postgres = pytest.mark.skipif(
    not ENABLED, reason="needs PostgreSQL: run make test-postgres")


def sqlite_only(what):
    """For a test of SQLite's own behaviour (its files, its query planner)."""
    return pytest.mark.skipif(ENABLED, reason=f"SQLite only: {what}")


def url(name, schema=None):
    """The server's URL with another database name (and a schema to work in)."""
    query = f"options={quote(f'-c search_path={schema}')}" if schema else ""
    return urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}", query=query))


def app_url(owner_url):
    """The same database and schema as the app's role (with no role of its own: the owner's)."""
    if not APP_ROLE:
        return owner_url
    parts = urlsplit(owner_url)
    return urlunsplit(parts._replace(netloc=f"{APP_ROLE}@{parts.netloc.rpartition('@')[2]}"))


def owner_url():
    """The URL of the test's database as its tables' owner (the app's DATABASE_URL is its own
    role's), for what a program other than the app does there."""
    return os.environ.get("BALAI_OWNER_DATABASE_URL") or os.environ["DATABASE_URL"]


def app_settings(owner_url):
    """The environment of an app on the database the owner's URL names."""
    return {"DATABASE_URL": app_url(owner_url), "BALAI_OWNER_DATABASE_URL": owner_url}


def app_config(owner_url):
    """The same as an app's settings (create_app's config)."""
    return {"DATABASE_URL": app_url(owner_url), "OWNER_DATABASE_URL": owner_url}


def fresh_name(prefix="test"):
    return f"{prefix}_{os.getpid()}_{next(_names)}"


def connect(name=None):
    return connect_url(url(name) if name else SERVER)


def connect_url(address):
    import psycopg
    return psycopg.connect(address, autocommit=True)


def run(statement, database=None):
    with connect(database) as connection:
        connection.execute(statement)


def create(name, template=None):
    run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop(name):
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_schema():
    """A URL to a schema of its own in the scratch database, which is made on first use."""
    name = fresh_name("empty")
    try:
        run(f'CREATE SCHEMA "{name}"', SCRATCH)
    except Exception:  # the scratch database is not there yet
        create(SCRATCH)
        run(f'CREATE SCHEMA "{name}"', SCRATCH)
    return name, url(SCRATCH, name)


def store_url(url, data_dir):
    """Where the documents of the village in data_dir go when the run's BALAI_STORAGE_URL is
    s3://bucket/prefix: prefix/test-<run>-<the data dir's digest>, fresh for each test, the same
    for every app and server on one data dir. A folder's URL stays as it is."""
    if not url.startswith("s3://"):
        return url
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return f"{url.rstrip('/')}/test-{RUN}-{digest}"


def server_env(data_dir=None, **settings):
    """The environment of a Balai server (web server, worker, flask command) that a test starts:
    none of the test run's BALAI_* settings, and on a shared backend the shared key.
    - With data_dir: the server serves the village of the test's app on that data dir: its
      database (DATABASE_URL as the test set it, on PostgreSQL) and its documents (the store
      store_url names).
    - Without: on PostgreSQL, an empty schema of the server's own (which outlives the test that
      made it: a server may serve a whole module)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BALAI_")}
    if ENABLED:
        env.update(BALAI_SECRET_KEY=SECRET_KEY,
                   BALAI_OWNER_DATABASE_URL=os.environ.get("BALAI_OWNER_DATABASE_URL", ""))
    if data_dir is not None:
        env.update(BALAI_DATA_DIR=str(data_dir))
        if store := store_url(os.environ.get("BALAI_STORAGE_URL", ""), data_dir):
            env.update(BALAI_STORAGE_URL=store)
    elif ENABLED:
        env.update(app_settings(empty_schema()[1]))
    return {**env, **settings}


def drop_schema(name):
    run(f'DROP SCHEMA IF EXISTS "{name}" CASCADE', SCRATCH)


# What the public schema holds: its relations with their columns, constraints, triggers and
# functions (a test that adds a column or an index changes it).
FINGERPRINT = """SELECT
  (SELECT md5(string_agg(concat_ws(':', c.relname, c.relkind, a.attname,
                                   format_type(a.atttypid, a.atttypmod), a.attnotnull), ','
                         ORDER BY c.relname, a.attnum))
   FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
   AND NOT a.attisdropped WHERE c.relnamespace = 'public'::regnamespace),
  (SELECT md5(string_agg(conname || pg_get_constraintdef(oid), ',' ORDER BY conname))
   FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
  (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal),
  (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)"""


class DemoDatabase:
    """A database holding a seeded village, reset before each test that uses it."""

    def __init__(self, seed):
        """seed(url) fills an empty database with the village."""
        self.template, self.name = fresh_name("template"), fresh_name("demo")
        create(self.template)
        seed(url(self.template))
        with connect(self.template) as connection:
            tables = [row[0] for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'balai_change'")]
            sequences = connection.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            connection.execute("CREATE SCHEMA seed")
            for table in tables:
                connection.execute(f'CREATE TABLE seed."{table}" AS TABLE public."{table}"')
        # Foreign keys and triggers sleep while rows go and come back (replica mode); the change
        # counter is not reset but moves on, so no process keeps a page of an earlier test's.
        self.reset_sql = "".join(
            ["SET LOCAL session_replication_role = replica;"]
            + [f'DELETE FROM public."{table}";' for table in tables]
            + [f'INSERT INTO public."{table}" SELECT * FROM seed."{table}";' for table in tables]
            + [f"SELECT setval('public.\"{name}\"', {value or 1}, {value is not None});"
               for name, value in sequences]
            + ["SET LOCAL session_replication_role = origin;",
               "UPDATE public.balai_change SET counter = counter + 1;"])
        self.url = url(self.name)
        create(self.name, self.template)
        with connect(self.name) as connection:
            self.fingerprint = connection.execute(FINGERPRINT).fetchone()

    def reset(self):
        try:
            with connect(self.name) as connection, connection.transaction():
                connection.execute("SET LOCAL lock_timeout = '5s'")
                if connection.execute(FINGERPRINT).fetchone() != self.fingerprint:
                    raise LookupError("the tables changed")
                connection.execute(self.reset_sql)
        except Exception:  # a test changed the tables (or holds locks still): made anew
            drop(self.name)
            create(self.name, self.template)

    def drop(self):
        drop(self.name)
        drop(self.template)

"""Throwaway PostgreSQL databases for the tests, when DATABASE_URL names a PostgreSQL server
(`make test-postgres` starts one): every test gets a database of its own, a copy of a template
(CREATE DATABASE ... TEMPLATE takes some 50 ms, less than building the tables and the demo
village again)."""
import itertools
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

SERVER = os.environ.get("DATABASE_URL", "")
ENABLED = SERVER.startswith(("postgresql://", "postgres://"))
SECRET_KEY = "test-shared-secret"  # a shared backend refuses to start without BALAI_SECRET_KEY
_names = itertools.count()

needs_postgres = pytest.mark.skipif(
    not ENABLED, reason="needs PostgreSQL: run make test-postgres")


def sqlite_only(what):
    """For a test of SQLite's own behaviour (its files, its query planner)."""
    return pytest.mark.skipif(ENABLED, reason=f"SQLite only: {what}")



def url(name):
    """The server's URL with another database name."""
    return urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))


def fresh_name(prefix="test"):
    return f"{prefix}_{os.getpid()}_{next(_names)}"


def run(statement):
    import psycopg
    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(statement)


def create(name, template=None):
    run(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop(name):
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

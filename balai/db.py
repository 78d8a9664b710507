"""The database every model uses: `db`, a proxy that the app factory points at the engine that
DATABASE_URL names (balai.dbms: SQLite by default, or PostgreSQL); the base of every model.

Every area's models build on BaseModel; `balai.schema` lists them all. Every transaction
(`db.atomic()`) is a write transaction, serialised against every other writer on both engines."""
import datetime
import json
from contextlib import contextmanager

from peewee import DatabaseProxy, Model, TextField

from balai import dbms

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db


class JSONField(TextField):
    """A dict or list stored as JSON text."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


def init_db(url, pool_size=10, owner_url=None):
    """Point `db` at the database the URL names (see dbms.open_database; `owner_url`, the
    tables' owner's, if another) and return it; the one it pointed at before, if any, closes its
    connections first."""
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()
    if isinstance(db.obj, dbms.PostgresVillageDatabase):
        db.obj.close_all()
    db.initialize(dbms.open_database(url, pool_size, owner_url))
    return db.obj


@contextmanager
def as_owner():
    """A connection for the block, as the tables' owner: creating and upgrading tables (on
    PostgreSQL the app's role may only read and write rows, see balai.pg_wall). Every model
    works through it meanwhile: run it where nothing else uses the database (a command, the
    schema's creation)."""
    app_database = db.obj
    owner = app_database.owner()
    if owner is app_database:
        with db.connection_context():
            yield
        return
    db.initialize(owner)
    try:
        with db.connection_context():
            yield
    finally:
        db.initialize(app_database)
        owner.close_all()


def change_stamp():
    """Moves whenever any process (on any node) commits to the database."""
    return db.change_stamp()


def now():
    """The current moment as the database stores it: naive UTC."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def utc_naive(moment):
    """A datetime as the naive UTC value the database stores."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)

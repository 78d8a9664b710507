"""The database: one SqliteDatabase, initialised by the app factory; the base of every model.

Every area's models build on BaseModel; `balai.schema` lists them all."""
import datetime
import json
import os

from peewee import Model, SqliteDatabase, TextField

# Every transaction (db.atomic(), nested ones are savepoints) begins IMMEDIATE: it takes the write
# lock first, waiting up to busy_timeout for it. A deferred one that reads and then writes fails
# at once under WAL ("database is locked") when another connection committed in between, and
# busy_timeout does not help. Single statements outside a transaction are safe as they are.
db = SqliteDatabase(None, lock_type="IMMEDIATE")

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 10000,
    "cache_size": -8000,
}


class BaseModel(Model):
    class Meta:
        database = db


class JSONField(TextField):
    """A dict or list stored as JSON text."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


def init_db(path):
    db.init(path, pragmas=PRAGMAS, check_same_thread=False)


def change_stamp():
    """Moves whenever any process commits to the database (a file's size or mtime changes).

    An empty write-ahead log counts as none: SQLite makes and deletes it as connections come
    and go, without any change to the data."""
    stamp = [db.database]
    for suffix in ("", "-wal"):
        try:
            stat = os.stat(db.database + suffix)
            stamp.append((stat.st_mtime_ns, stat.st_size) if stat.st_size else None)
        except FileNotFoundError:
            stamp.append(None)
    return tuple(stamp)


def now():
    """The current moment as the database stores it: naive UTC."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def utc_naive(moment):
    """A datetime as the naive UTC value the database stores."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)

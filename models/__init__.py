"""The database: one SqliteDatabase, initialised by the app factory, and every model."""
import json
import os

from peewee import Model, SqliteDatabase, TextField

db = SqliteDatabase(None)

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


from .people import Village, Person, User, LoginFailure  # noqa: E402
from .letters import (  # noqa: E402
    LetterType, LetterRequest, Attachment, LetterEvent, WorkflowError,
)
from .register import RegisterEntry  # noqa: E402
from .notifications import Notification, ContactPoint  # noqa: E402
from .signing import SignerCertificate, VerifyHit  # noqa: E402
from .news import News, NewsIndex  # noqa: E402
from .market import Shop, Product, ProductPhoto, OrderError  # noqa: E402
from .orders import Order, OrderItem  # noqa: E402

MODELS = [Village, Person, User, LoginFailure,
          LetterType, LetterRequest, Attachment, LetterEvent, RegisterEntry,
          Notification, ContactPoint, SignerCertificate, VerifyHit, News, NewsIndex,
          Shop, Product, ProductPhoto, Order, OrderItem]


def create_tables():
    with db.connection_context():
        db.create_tables(MODELS)

"""Every table of every area, in the order they are created, and the version of the schema they
make (the numbered steps of balai.migrations; balai.migrate upgrades an older database)."""
from peewee import Check, IntegerField

from balai.db import BaseModel, as_owner, db
from balai.letters.kept import KeptDocument
from balai.letters.models import Attachment, LetterEvent, LetterRequest, LetterType
from balai.letters.partial_uploads import PartialUpload
from balai.letters.preview import LetterPreview
from balai.letters.register import RegisterEntry
from balai.letters.reminders import StepReminder
from balai.letters.workdays import DayOff
from balai.market.models import Product, ProductPhoto, Shop
from balai.market.orders import Order, OrderItem
from balai.migrations import LATEST
from balai.news.models import News, NewsIndex
from balai.notify.models import ContactPoint, Notification
from balai.operator.population_import import PopulationImport, StagedRow
from balai.people.audit import AccessLogEntry
from balai.people.models import LoginFailure, Person, User
from balai.people.second_factor import RecoveryCode, SecondFactor
from balai.people.sessions import LoginSession
from balai.signing.models import SignerCertificate, VerifyHit
from balai.tally.models import ActiveMonth, ActiveResident, LetterDay, LetterMonth, StepTime
from balai.villages.models import Village

MODELS = [Village, Person, User, LoginFailure, LoginSession, SecondFactor, RecoveryCode,
          AccessLogEntry,
          LetterType, LetterRequest, Attachment, PartialUpload, LetterEvent, RegisterEntry,
          DayOff, StepReminder, KeptDocument, LetterPreview,
          Notification, ContactPoint, SignerCertificate, VerifyHit, News, NewsIndex,
          Shop, Product, ProductPhoto, Order, OrderItem, PopulationImport, StagedRow,
          LetterDay, LetterMonth, StepTime, ActiveResident, ActiveMonth]


class SchemaVersion(BaseModel):
    """The one row that says which step of balai.migrations the database's schema is at."""
    id = IntegerField(primary_key=True, constraints=[Check("id = 1")])
    version = IntegerField()

    class Meta:
        table_name = "schema_version"


INSTALLATION_WIDE = [Village, SchemaVersion]  # the only tables that hold no one village's data
KEYED_THROUGH = {NewsIndex: News}  # keyed by village through the row it indexes (the same id)


def create_tables():
    """A new, empty database gets every table, at the latest version. A database that has tables
    is left as it is: `flask --app app migrate` upgrades it."""
    with as_owner():
        create_new_schema()


def create_new_schema(version=LATEST):
    """In the open connection: every table and the version, if the database has no tables yet."""
    with db.atomic():
        if not db.get_tables():
            db.create_tables(MODELS + [SchemaVersion])
            db.after_create_tables(MODELS + [SchemaVersion])  # balai.dbms: PostgreSQL's triggers
            SchemaVersion.create(id=1, version=version)

"""Every table of every area, in the order they are created."""
from balai.db import db
from balai.letters.models import Attachment, LetterEvent, LetterRequest, LetterType
from balai.letters.register import RegisterEntry
from balai.market.models import Product, ProductPhoto, Shop
from balai.market.orders import Order, OrderItem
from balai.news.models import News, NewsIndex
from balai.notify.models import ContactPoint, Notification
from balai.people.audit import AccessLogEntry
from balai.people.models import LoginFailure, Person, User, Village
from balai.people.second_factor import RecoveryCode, SecondFactor
from balai.people.sessions import LoginSession
from balai.signing.models import SignerCertificate, VerifyHit

MODELS = [Village, Person, User, LoginFailure, LoginSession, SecondFactor, RecoveryCode,
          AccessLogEntry,
          LetterType, LetterRequest, Attachment, LetterEvent, RegisterEntry,
          Notification, ContactPoint, SignerCertificate, VerifyHit, News, NewsIndex,
          Shop, Product, ProductPhoto, Order, OrderItem]


def create_tables():
    """Every table, and what the engine adds to them (balai.dbms: PostgreSQL's change triggers)."""
    with db.connection_context():
        db.create_tables(MODELS)
        db.after_create_tables(MODELS)

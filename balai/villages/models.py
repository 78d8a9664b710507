"""The villages of the installation (`Village`: each one's profile, host and office settings) and
`VillageModel`, the base of every table that holds a village's data: the one place where a
query is kept to the village the code at hand works for (balai.villages.context)."""
import datetime
import functools
from zoneinfo import ZoneInfo

from flask import g, has_request_context
from peewee import CharField, ForeignKeyField, ModelAlias, ModelBase

from balai.db import BaseModel, change_stamp, db
from balai.villages import context
from balai.villages.context import NoVillageChosen


class Village(BaseModel):
    """A village's profile; the installation's first village (id 1) answers on every host
    while it is the only one (`host` null)."""
    name = CharField(default="Desa")
    kecamatan = CharField(default="")
    kabupaten = CharField(default="")
    provinsi = CharField(default="")
    kode_desa = CharField(default="")
    address = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    kades_name = CharField(default="")
    logo = CharField(null=True)  # file name under uploads/ in the document store
    paper = CharField(default="A4")  # "A4" or "F4"
    timezone = CharField(default="Asia/Jakarta")
    public_url = CharField(default="http://127.0.0.1:5000")
    number_format = CharField(default="{kode}/{nomor:03}/{kode_desa}/{bulan_romawi}/{tahun}")
    host = CharField(null=True, unique=True)  # lowercased, without port
    sender_name = CharField(default="")  # the name notifications go out under

    PAPERS = ("A4", "F4")
    _cached = {}  # village id -> (change stamp, row data): every page shows the village
    _hosts = (None, None)  # (change stamp, ({host: id}, [every id]))

    @classmethod
    def current(cls):
        """The profile of the village the code at hand works for (a copy: safe to edit), read
        again only after the database has changed; within a request the stamp is asked once
        (on PostgreSQL asking is a query)."""
        village_id = context.current_village_id()
        remembered = has_request_context() and not db.in_transaction()
        data = g.get("village_profile") if remembered else None
        if data is None or data["id"] != village_id:
            data = cls._fresh_profile(village_id)
            if remembered:
                g.village_profile = data
        village = cls(**data)
        village._dirty.clear()
        return village

    @classmethod
    def current_or_none(cls):
        """The current village's profile; None on the regency office's host (no village)."""
        try:
            return cls.current()
        except NoVillageChosen:
            return None

    @classmethod
    def _fresh_profile(cls, village_id):
        stamp, data = cls._cached.get(village_id, (None, None))
        fresh = change_stamp()  # read before the row: a commit in between is read again next time
        if db.in_transaction() or stamp != fresh:
            data = dict(cls.get_by_id(village_id).__data__)
            if not db.in_transaction():
                cls._cached[village_id] = (fresh, data)
        return data

    @classmethod
    def only_village_id(cls, make=True):
        """The id of the installation's one village, or None when it has several. A new
        installation's first village is made when first asked for (unless make=False), as the
        profile always was."""
        _, ids = cls._known(make)
        return ids[0] if len(ids) == 1 else None

    @classmethod
    def id_for_host(cls, host):
        """The id of the village that answers on this host (lowercased, no port): its own, or
        the only village of an installation that has one; None when no village does."""
        hosts, ids = cls._known()
        return hosts.get(host) or (ids[0] if len(ids) == 1 else None)

    @classmethod
    def _known(cls, make=True):
        """({host: id}, [every id]), read again only after the database has changed."""
        stamp, known = cls._hosts
        fresh = change_stamp()  # read before the rows: a commit in between is read again
        if db.in_transaction() or stamp != fresh or known is None:
            rows = list(cls.select(cls.id, cls.host).order_by(cls.id).tuples())
            if not rows and not make:
                return {}, []
            if not rows:
                rows = [(cls.create().id, None)]
                fresh = change_stamp()
            known = ({host: id for id, host in rows if host}, [id for id, _ in rows])
            if not db.in_transaction():
                cls._hosts = (fresh, known)
        return known

    def save(self, *args, **kwargs):
        type(self)._hosts = (None, None)  # a new village, or a host: read them again
        return super().save(*args, **kwargs)

    @classmethod
    def listed(cls):
        """Every village of the installation, by name."""
        return cls.select().order_by(cls.name, cls.id)

    def localtime(self, moment):
        """A stored (naive UTC) moment as the village's wall-clock time."""
        return moment.replace(tzinfo=datetime.timezone.utc).astimezone(ZoneInfo(self.timezone))


context.when_none_chosen(Village.only_village_id)


def village_for_write(model):
    """The village a new row of `model` belongs to: the current one; none for a row of the
    regency office (only in a model that allows it); refused across villages."""
    if context.is_across():
        raise NoVillageChosen(f"{model.__name__}: across_villages() only reads")
    if context.is_regency():
        if not model.REGENCY_ROWS:
            raise NoVillageChosen(f"{model.__name__} holds no rows of the regency office")
        return None
    return context.current_village_id()


def village_filter(model):
    """The condition that keeps a query of `model` to the current village (None: no condition,
    across villages)."""
    if context.is_across():
        return None
    if context.is_regency() and model.REGENCY_ROWS:
        return model.village.is_null()
    return model.village == context.current_village_id()


class VillageModelBase(ModelBase):
    """Gives every village table its `village` key, as its last column, and makes each of its
    unique and composite indexes per village (led by village_id)."""

    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        if "village" in cls._meta.fields:  # inherited from an abstract base: made again last
            cls._meta.remove_field("village")
        indexes = [((("village",) + tuple(fields)), unique)
                   for fields, unique in cls._meta.indexes]
        for field in cls._meta.sorted_fields:
            if field.unique and not field.primary_key:
                field.unique, field.index = False, isinstance(field, ForeignKeyField)
                indexes.append((("village", field.name), True))
        cls._meta.indexes = indexes
        field = ForeignKeyField(Village, null=cls.REGENCY_ROWS, backref="+", index=not indexes,
                                default=functools.partial(village_for_write, cls))
        cls._meta.add_field("village", field)
        return cls


class VillageModel(BaseModel, metaclass=VillageModelBase):
    """A table of one village's data. Every select, update and delete is kept to the current
    village; every new row belongs to it; across_villages() reads every village and writes
    none. A join filters the model queried; the rows it joins point within the village."""
    REGENCY_ROWS = False  # True: rows with no village belong to the regency office

    @classmethod
    def select(cls, *fields):
        query = super().select(*fields)
        condition = village_filter(cls)
        return query if condition is None else query.where(condition)

    @classmethod
    def alias(cls, alias=None):
        return VillageAlias(cls, alias)

    @classmethod
    def update(cls, __data=None, **update):
        return super().update(__data, **update).where(cls._write_filter())

    @classmethod
    def delete(cls):
        return super().delete().where(cls._write_filter())

    def save(self, *args, **kwargs):
        """A row is saved in its own village only (and none across villages)."""
        village = village_for_write(type(self))
        if self.village_id is None and village is not None:
            self.village_id = village
        elif self.village_id != village:
            raise NoVillageChosen(f"{type(self).__name__} {self.id}: a row of another village")
        return super().save(*args, **kwargs)

    @classmethod
    def _write_filter(cls):
        condition = village_filter(cls)
        if condition is None:
            raise NoVillageChosen(f"{cls.__name__}: across_villages() only reads")
        return condition


class VillageAlias(ModelAlias):
    """A village table under another name (a self-join, a subquery): kept to the village too."""

    def select(self, *selection):
        query = super().select(*selection)
        condition = village_filter(self)
        return query if condition is None else query.where(condition)

"""A village's profile: its name, its kop and the settings of its office."""
import datetime
from zoneinfo import ZoneInfo

from flask import g, has_request_context
from peewee import CharField

from balai.db import BaseModel, change_stamp, db


class Village(BaseModel):
    """The village profile; one row."""
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

    PAPERS = ("A4", "F4")
    _cached = (None, None)  # (change stamp, row data): every page shows the village

    @classmethod
    def current(cls):
        """The profile (a copy: safe to edit), read again only after the database has changed;
        within a request the stamp is asked once (on PostgreSQL asking is a query)."""
        remembered = has_request_context() and not db.in_transaction()
        data = g.get("village_profile") if remembered else None
        if data is None:
            data = cls._fresh_profile()
            if remembered:
                g.village_profile = data
        village = cls(**data)
        village._dirty.clear()
        return village

    @classmethod
    def _fresh_profile(cls):
        stamp, data = cls._cached
        fresh = change_stamp()  # read before the row: a commit in between is read again next time
        if db.in_transaction() or stamp != fresh:
            village = cls.select().order_by(cls.id).first() or cls.create()
            data = dict(village.__data__)
            if not db.in_transaction():
                cls._cached = (fresh, data)
        return data

    @classmethod
    def listed(cls):
        """Every village of the installation, by name."""
        return cls.select().order_by(cls.name, cls.id)

    def localtime(self, moment):
        """A stored (naive UTC) moment as the village's wall-clock time."""
        return moment.replace(tzinfo=datetime.timezone.utc).astimezone(ZoneInfo(self.timezone))

"""Who opened a resident's data, when and why (UU PDP 27/2022: a resident may know who processed
their personal data). A row each time an official opens a resident's letter request, an
uploaded file, an issued letter or a population record; the resident reads their own rows on
their account page, the operator reads them all. A resident opening their own is not written."""
import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from balai.db import db, now
from balai.people.models import Person, User
from balai.villages.models import VillageModel

KINDS = {"permohonan": "Permohonan surat", "lampiran": "Berkas persyaratan (KTP, KK, ...)",
         "surat": "Surat yang terbit (PDF)", "penduduk": "Data kependudukan"}
REASON_MAX = 300
OPEN_ANYWAY_FOR = datetime.timedelta(minutes=30)  # one typed reason covers one sitting


class AccessLogEntry(VillageModel):
    """One opening of a resident's data: who, whose, what (a KINDS key and its id), why, when."""
    viewer = ForeignKeyField(User)  # no cascade: the log outlives the viewer's account
    person = ForeignKeyField(Person)
    kind = CharField()
    object_id = IntegerField()
    reason = TextField()  # the official's step, the counter, or the operator's own words
    typed = BooleanField(default=False)  # the operator opened it anyway, giving this reason
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("person", "at"), False), (("viewer", "kind", "object_id", "at"), False))

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @classmethod
    def record(cls, viewer, person_id, kind, object_id, reason, typed=False):
        with db.atomic():
            return cls.create(viewer=viewer, person=person_id, kind=kind, object_id=object_id,
                              reason=reason, typed=typed)

    @classmethod
    def newest(cls):
        """The whole log, newest first, with who looked and at whose data."""
        return (cls.select(cls, User, Person).join(User).switch(cls).join(Person)
                .order_by(cls.at.desc(), cls.id.desc()))

    @classmethod
    def filtered(cls, viewer=None, person=None, name="", start=None, end=None):
        """The log, newest first, narrowed to one official (a user id), one resident (a person
        id, or part of a name) and moments from `start` up to `end` (naive UTC); None or ""
        leaves a filter out."""
        query = cls.newest()
        for condition in ((cls.viewer == viewer) if viewer else None,
                          (cls.person == person) if person else None,
                          Person.name.contains(name) if name else None,
                          (cls.at >= start) if start else None, (cls.at < end) if end else None):
            if condition is not None:
                query = query.where(condition)
        return query

    @classmethod
    def about(cls, person_id):
        """Who looked at this resident's data, newest first."""
        return cls.newest().where(cls.person == person_id)

    @classmethod
    def reason_given(cls, viewer, kind, object_id):
        """The reason this viewer typed to open something anyway, while it still holds; None
        when there is none (they are asked again)."""
        entry = (cls.select(cls.reason)
                 .where((cls.viewer == viewer) & (cls.kind == kind) & (cls.object_id == object_id)
                        & cls.typed & (cls.at > now() - OPEN_ANYWAY_FOR))
                 .order_by(cls.at.desc()).first())
        return entry and entry.reason


def reason_error(reason):
    """What is wrong with a typed reason for opening a resident's data anyway; None when fine."""
    if not reason:
        return ("Tuliskan alasan Anda membuka data ini, misalnya: warga meminta bantuan lewat "
                "telepon. Alasan ini dapat dibaca warga yang bersangkutan.")
    if len(reason) > REASON_MAX:
        return (f"Alasan terlalu panjang: paling banyak {REASON_MAX} huruf "
                f"(sekarang {len(reason)}).")
    return None

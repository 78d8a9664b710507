"""The register of outgoing letters (buku agenda surat keluar)."""
import time

from peewee import (
    JOIN,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    OperationalError,
    TextField,
    fn,
)

from balai.db import BaseModel, db, now
from balai.letters.models import LetterRequest, LetterType, WorkflowError
from balai.people.models import Person


class RegisterEntry(BaseModel):
    """The register of outgoing letters (buku agenda surat keluar): one running number a year."""
    year = IntegerField()
    seq = IntegerField()
    number = CharField()
    request = ForeignKeyField(LetterRequest, null=True, backref="register_entries")
    status = CharField(default="terbit")  # "terbit" or "batal"
    void_reason = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("year", "seq"), True),)

    @classmethod
    def last_seq(cls, year):
        return cls.select(fn.MAX(cls.seq)).where(cls.year == year).scalar() or 0

    @classmethod
    def take_number(cls, year, make_number, request):
        """Take the next number of the year; a unique constraint settles a race, and we retry.

        A writer that read before another committed fails with IntegrityError (same number) or,
        in WAL mode, with a busy snapshot; both mean: read again."""
        for attempt in range(50):
            try:
                with db.atomic():
                    seq = cls.last_seq(year) + 1
                    return cls.create(year=year, seq=seq, number=make_number(seq), request=request)
            except (IntegrityError, OperationalError):
                time.sleep(0.005 * attempt)  # the winner may not have committed yet

        raise WorkflowError("Nomor surat sedang sibuk dibuat. Coba lagi sebentar.")

    @classmethod
    def for_year(cls, year):
        """Every number of the year, issued or void, with its request when it has one."""
        return (cls.select(cls, LetterRequest, LetterType, Person)
                .join(LetterRequest, JOIN.LEFT_OUTER, on=(cls.request == LetterRequest.id))
                .join(LetterType, JOIN.LEFT_OUTER).switch(LetterRequest)
                .join(Person, JOIN.LEFT_OUTER)
                .where(cls.year == year).order_by(cls.seq))

    @classmethod
    def years(cls):
        return [row.year for row in cls.select(cls.year).distinct().order_by(cls.year.desc())]

    def void(self, reason):
        self.status, self.void_reason = "batal", reason
        self.save()

    def give_back(self, reason):
        """Untake this number if no later one was taken (nothing goes missing), else void it.

        One statement, so a writer who read this number as the last one retries (WAL)."""
        later = RegisterEntry.alias()
        latest = later.select(fn.MAX(later.seq)).where(later.year == self.year)
        if not (RegisterEntry.delete()
                .where((RegisterEntry.id == self.id) & (RegisterEntry.seq == latest))
                .execute()):
            self.void(reason)

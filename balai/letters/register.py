"""The register of outgoing letters (buku agenda surat keluar).

A number is taken provisional ("sementara") and becomes "terbit" in the transaction that
issues its letter. One that cannot issue is given back or voided with the reason ("batal");
one a remote signing service may have signed without answering is held ("tertahan") until the
Kades has checked; one abandoned by a process that was killed is settled by the next take or
the sweep. So "terbit" always means a letter carries the number, and a gap always has a reason."""
import datetime

from peewee import (
    JOIN,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from balai.db import db, now
from balai.letters.models import LetterRequest, LetterType, WorkflowError
from balai.people.models import Person
from balai.villages.models import VillageModel

# Longer than any issuing may take (the web server kills a request after 2 minutes), so the
# process that took a number provisional this long ago is gone.
PROVISIONAL_FOR = datetime.timedelta(minutes=10)
ABANDONED = ("Nomor tidak terpakai: penerbitan terhenti (server dimatikan atau kehabisan waktu) "
             "sebelum suratnya tersimpan.")
STATUSES = {"sementara": "Sedang dibuat", "terbit": "Terbit", "tertahan": "Tertahan",
            "batal": "Batal"}
NOT_ISSUED = ("sementara", "tertahan")


class RegisterEntry(VillageModel):
    """The register of outgoing letters (buku agenda surat keluar): one running number a year."""
    year = IntegerField()
    seq = IntegerField()
    number = CharField()
    request = ForeignKeyField(LetterRequest, null=True, backref="register_entries")
    status = CharField(default="sementara")  # a key of STATUSES
    void_reason = TextField(default="")  # why it is void, or why it is held
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("year", "seq"), True),)

    @property
    def status_label(self):
        return STATUSES[self.status]

    @classmethod
    def last_seq(cls, year):
        return cls.select(fn.MAX(cls.seq)).where(cls.year == year).scalar() or 0

    @classmethod
    def take_number(cls, year, make_number, request):
        """Take the next number of the year, provisional until its letter is issued.

        The transaction holds the write lock from its start, so no other writer reads the same
        last number; numbers abandoned by a killed process are settled first."""
        with db.atomic():
            cls.settle_abandoned()
            seq = cls.last_seq(year) + 1
            return cls.create(year=year, seq=seq, number=make_number(seq), request=request)

    @classmethod
    def abandoned(cls):
        """Provisional numbers older than PROVISIONAL_FOR: the process that took them is gone."""
        return (cls.status == "sementara") & (cls.created_at < now() - PROVISIONAL_FOR)

    @classmethod
    def settle_abandoned(cls):
        """Abandoned numbers are issued when a letter carries the number (its commit went
        through), else void with the reason."""
        carried = LetterRequest.select(LetterRequest.number).where(
            LetterRequest.number.is_null(False))
        stale = cls.abandoned()
        with db.atomic():
            cls.update(status="terbit").where(stale & cls.number.in_(carried)).execute()
            cls.update(status="batal", void_reason=ABANDONED).where(stale).execute()

    @classmethod
    def with_requests(cls):
        """Entries with their request (type and resident) when they have one."""
        return (cls.select(cls, LetterRequest, LetterType, Person)
                .join(LetterRequest, JOIN.LEFT_OUTER, on=(cls.request == LetterRequest.id))
                .join(LetterType, JOIN.LEFT_OUTER).switch(LetterRequest)
                .join(Person, JOIN.LEFT_OUTER))

    @classmethod
    def for_year(cls, year):
        """Every number of the year, in every state."""
        return cls.with_requests().where(cls.year == year).order_by(cls.seq)

    @classmethod
    def held(cls):
        """Numbers waiting for the Kades to check them at the signing service, oldest first."""
        return cls.with_requests().where(cls.status == "tertahan").order_by(cls.year, cls.seq)

    @classmethod
    def years(cls):
        return [row.year for row in cls.select(cls.year).distinct().order_by(cls.year.desc())]

    def _move(self, changes, from_statuses):
        """One conditional update: False when the number has moved on meanwhile."""
        moved = (RegisterEntry.update(changes)
                 .where((RegisterEntry.id == self.id) & RegisterEntry.status.in_(from_statuses))
                 .execute())
        if moved:
            self.status = changes["status"]
        return bool(moved)

    def mark_issued(self):
        """Issue the number, inside the transaction that issues its letter; a number settled
        meanwhile (voided as abandoned) refuses, which rolls the letter back."""
        if not self._move({"status": "terbit"}, ["sementara"]):
            raise WorkflowError(f"Nomor {self.number} sudah dicatat batal karena penerbitannya "
                                "terlalu lama. Setujui lagi untuk memberi nomor baru.")

    def void(self, reason):
        """Void a number that did not issue; an issued one is never touched."""
        return self._move({"status": "batal", "void_reason": reason}, NOT_ISSUED)

    def hold(self, reason):
        """Keep a provisional number out of use until the Kades has checked it."""
        return self._move({"status": "tertahan", "void_reason": reason}, ["sementara"])

    def give_back(self, reason):
        """Untake this number if no later one was taken (nothing goes missing), else void it.

        One statement, so it cannot remove a number read as the last by another writer."""
        later = RegisterEntry.alias()
        latest = later.select(fn.MAX(later.seq)).where(later.year == self.year)
        if (RegisterEntry.delete()
                .where((RegisterEntry.id == self.id) & (RegisterEntry.seq == latest)
                       & (RegisterEntry.status == "sementara"))
                .execute()):
            return True
        return self.void(reason)

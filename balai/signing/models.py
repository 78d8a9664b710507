"""The village's register of signers' certificates, and the verification page's rate limit."""
import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from balai.db import db, now
from balai.people.models import Counted, User
from balai.villages.models import VillageModel

SOURCES = {"dibuat": "Dibuat oleh desa", "impor": "Diimpor"}


class SignerCertificate(VillageModel):
    """A certificate a village official signs letters with, and the period they may use it."""
    fingerprint = CharField(unique=True)  # SHA-256 of the certificate (DER), hex
    holder_name = CharField()
    position = CharField()  # as printed on letters: "Kepala Desa", "Plt. Kepala Desa", ...
    user = ForeignKeyField(User, backref="signer_certificates")
    nik = CharField(null=True)  # the holder's NIK at a remote signing service, if used
    valid_from = DateTimeField()  # UTC, from the certificate
    valid_to = DateTimeField()
    period_from = DateField(null=True)  # designated by the operator (acting officials)
    period_to = DateField(null=True)
    source = CharField(default="dibuat")  # key of SOURCES
    key_file = CharField(null=True)  # PKCS#12 file name under keys/ in the document store
    cert_pem = TextField()  # the signer's certificate, readable without the passphrase
    chain_pem = TextField(default="")  # the village CA (self-made) or the issuer's chain
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)

    @property
    def source_label(self):
        return SOURCES.get(self.source, self.source)

    def designated_on(self, day):
        """True when the operator's designated period (if any) includes `day`."""
        return ((self.period_from is None or self.period_from <= day)
                and (self.period_to is None or day <= self.period_to))

    def usable_at(self, at):
        """True when the certificate and the designated period both cover the moment `at` (UTC)."""
        return (self.active and self.valid_from <= at <= self.valid_to
                and self.designated_on(at.date()))

    def positions(self):
        """The titles the operator may give this certificate, as letter_pdf.signer_title reads
        them: after "a.n. Kepala Desa," comes the holder's own title line."""
        if self.user.role == "kades":
            return ["Kepala Desa", "Plt. Kepala Desa"]
        return ["Kepala Desa", "Plt. Kepala Desa", f"a.n. Kepala Desa, {self.user.role_label}"]

    def designation_errors(self, position, period_from, period_to):
        """Indonesian messages, by field, for a designation the operator asks for."""
        errors = {}
        if position not in self.positions():
            errors["position"] = "Pilih jabatan dari daftar"
        if period_from is False:
            errors["period_from"] = "Tanggal mulai tidak dikenali, tulis seperti 17-08-2026"
        elif period_from is None and self.user.role != "kades":
            errors["period_from"] = "Isi tanggal mulai masa tugas (wajib selain untuk Kepala Desa)"
        if period_to is False:
            errors["period_to"] = "Tanggal selesai tidak dikenali, tulis seperti 17-08-2026"
        elif period_from and period_to and period_to < period_from:
            errors["period_to"] = "Tanggal selesai tidak boleh sebelum tanggal mulai"
        return errors

    def designate(self, position, period_from, period_to):
        """Set title and designated period; returns the errors dict (empty when saved)."""
        errors = self.designation_errors(position, period_from, period_to)
        if not errors:
            self.position, self.period_from, self.period_to = position, period_from, period_to
            self.save(only=[SignerCertificate.position, SignerCertificate.period_from,
                            SignerCertificate.period_to])  # the rest may have changed since read
        return errors

    def deactivate(self):
        """Stop signing with this certificate; it stays trusted for letters signed before."""
        self.active = False
        self.save(only=[SignerCertificate.active])

    @classmethod
    def current_for(cls, user, at=None):
        """The certificate `user` signs with at `at` (default now), or None."""
        at = at or now()
        day = at.date()
        return (cls.select()
                .where((cls.user == user) & cls.active
                       & (cls.valid_from <= at) & (cls.valid_to >= at)
                       & (cls.period_from.is_null() | (cls.period_from <= day))
                       & (cls.period_to.is_null() | (cls.period_to >= day)))
                .order_by(cls.valid_from.desc())
                .first())

    @classmethod
    def latest_for(cls, user):
        """The user's most recent certificate, usable or not (to say why it cannot sign)."""
        return cls.select().where(cls.user == user).order_by(cls.valid_from.desc()).first()

    @classmethod
    def trusted(cls):
        """Every certificate ever used here, expired ones too (letters are judged at signing)."""
        return cls.select().order_by(cls.valid_from)


def signs_as_kades(user):
    """The Kepala Desa, or an official designated to act for them (Plt. or a.n.) today.

    Asked several times a page (menu, inbox, buttons): kept on the loaded user for its request."""
    if user.role == "kades":
        return True
    if not user.is_official:
        return False
    if not hasattr(user, "_signs_as_kades"):
        certificate = SignerCertificate.current_for(user)
        user._signs_as_kades = certificate is not None and certificate.period_from is not None
    return user._signs_as_kades


def kades_signers():
    """Active officials who approve in the Kades's step today: the Kades, and any Plt."""
    return [user for user in User.officials().where(User.active == True)  # noqa: E712
            if signs_as_kades(user)]


class VerifyHit(Counted):
    """One look at the public verification page, counted per client address."""
    address = CharField(index=True)

    LIMIT = 30
    WINDOW = datetime.timedelta(minutes=1)

    @classmethod
    def allow(cls, address):
        """Count one look; False (not counted) once the address had LIMIT in the window."""
        with db.atomic():
            if cls.reached(cls.address == address):
                return False
            cls.delete().where(cls.at <= now() - cls.WINDOW).execute()
            cls.create(address=address)
        return True

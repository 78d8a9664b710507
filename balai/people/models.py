"""Population records (penduduk), accounts and login failures."""
import datetime
import functools

from flask import current_app
from flask_login import UserMixin
from peewee import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    fn,
)
from werkzeug.security import check_password_hash, generate_password_hash

from balai.db import db, now
from balai.villages.context import is_regency
from balai.villages.models import VillageModel
from balai.web.access import OFFICIAL_ROLES, ROLES


class Person(VillageModel):
    """A population record (penduduk)."""
    nik = CharField(max_length=16, unique=True)
    kk_number = CharField(max_length=16, index=True)
    name = CharField()
    birth_place = CharField()
    birth_date = DateField()
    sex = CharField()  # "L" or "P"
    religion = CharField(default="")
    marital_status = CharField(default="")
    occupation = CharField(default="")
    citizenship = CharField(default="WNI")
    address = CharField(default="")
    rt = CharField(default="")
    rw = CharField(default="")
    dusun = CharField(default="")
    family_role = CharField(default="")  # SHDK, status hubungan dalam keluarga
    left_on = DateField(null=True)  # moved away or died on that day: kept, no new letters
    left_reason = CharField(default="")  # "pindah" or "meninggal" when left_on is set

    SEXES = {"L": "Laki-laki", "P": "Perempuan"}
    RELIGIONS = ("Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Konghucu",
                 "Kepercayaan terhadap Tuhan YME")
    MARITAL_STATUSES = ("Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati")
    # SHDK in the order of the Kartu Keluarga (and of OpenSID's kk_level codes 1-11).
    FAMILY_ROLES = ("Kepala Keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu", "Orang Tua",
                    "Mertua", "Famili Lain", "Pembantu", "Lainnya")
    LEFT_REASONS = {"pindah": "Pindah", "meninggal": "Meninggal"}

    @property
    def sex_label(self):
        return self.SEXES.get(self.sex, self.sex)

    @property
    def has_left(self):
        return self.left_on is not None

    @property
    def left_label(self):
        return self.LEFT_REASONS.get(self.left_reason, "Tidak lagi tinggal di desa")

    def letters_refused(self):
        """Why this person may no longer request letters (moved away or died), or None."""
        if not self.has_left:
            return None
        return (f"{self.name} tercatat {self.left_label.lower()} sejak "
                f"{self.left_on.strftime('%d-%m-%Y')}, jadi tidak dapat mengajukan surat lagi. "
                "Bila data ini keliru, hubungi operator desa.")

    @classmethod
    def search(cls, text, rt="", rw="", dusun=""):
        """By name, or by NIK (a whole NIK exactly, or its first digits), within an RT, RW or
        dusun when given."""
        text = (text or "").strip()
        query = cls.select().order_by(cls.name)
        if len(text) == 16 and text.isdigit():
            query = query.where(cls.nik == text)
        elif text.isdigit():
            query = query.where(cls.nik.startswith(text))
        elif text:
            query = query.where(cls.name.contains(text))
        rt, rw = ((v or "").strip() for v in (rt, rw))
        for field, value in ((cls.rt, rt.zfill(3) if rt.isdigit() else rt),
                             (cls.rw, rw.zfill(3) if rw.isdigit() else rw),
                             (cls.dusun, (dusun or "").strip())):
            if value:  # RT and RW as stored (001); dusun in any case
                query = query.where(fn.LOWER(field) == value.lower())
        return query

    @classmethod
    def family(cls, kk_number):
        """The members of one Kartu Keluarga, the head first, then in the order of the SHDK."""
        rank = Case(cls.family_role, [(role, i) for i, role in enumerate(cls.FAMILY_ROLES)],
                    len(cls.FAMILY_ROLES))
        return cls.select().where(cls.kk_number == kk_number).order_by(rank, cls.birth_date)

    @classmethod
    def dusun_names(cls):
        """The village's dusun, as the population records name them."""
        return [name for (name,) in cls.select(cls.dusun).where(cls.dusun != "").distinct()
                .order_by(cls.dusun).tuples()]

    @classmethod
    def matching(cls, nik, kk_number, birth_date):
        """The record with all three facts, or None."""
        return cls.get_or_none((cls.nik == nik) & (cls.kk_number == kk_number)
                               & (cls.birth_date == birth_date))


PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default, slow on purpose; tests set a cheap one


class User(UserMixin, VillageModel):
    """An account. Residents log in with their NIK, officials with a username."""
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    username = CharField(unique=True, null=True)
    person = ForeignKeyField(Person, unique=True, null=True, backref="accounts")
    role = CharField(default="warga")
    full_name = CharField(default="")
    password_hash = CharField()
    active = BooleanField(default=False)
    created_at = DateTimeField(default=now)
    session_version = IntegerField(default=0)  # bumped on reset: old sessions end
    reset_pending = BooleanField(default=False)  # access reset; the resident registers again

    @property
    def is_active(self):
        return self.active

    @property
    def is_official(self):
        return self.role in OFFICIAL_ROLES

    @property
    def role_label(self):
        return ROLES[self.role]

    @property
    def display_name(self):
        return self.person.name if self.person_id else self.full_name

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def set_password(self, password):
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def deactivate(self, reset=False):
        """Turn the account off and end its sessions; a reset lets the resident register again."""
        User.update(active=False, reset_pending=reset,
                    session_version=User.session_version + 1).where(User.id == self.id).execute()

    def activate(self):
        User.update(active=True, reset_pending=False).where(User.id == self.id).execute()

    @classmethod
    def replace_password_after_reset(cls, person, password_hash):
        """A resident whose access was reset sets a new password; the account stays inactive."""
        return (cls.update(password_hash=password_hash, reset_pending=False)
                .where((cls.person == person) & cls.reset_pending & ~cls.active).execute())

    @classmethod
    def pending_residents(cls):
        return (cls.select(cls, Person).join(Person)
                .where((cls.role == "warga") & ~cls.active).order_by(cls.created_at))

    @classmethod
    def officials(cls):
        return cls.select().where(cls.role.in_(OFFICIAL_ROLES)).order_by(cls.role, cls.username)

    @classmethod
    def operators_by_village(cls):
        """{village id: its operators' usernames}, for the regency (across villages): officials,
        never a resident."""
        by_village = {}
        query = (cls.select(cls.village, cls.username).where(cls.role == "operator")
                 .order_by(cls.username).tuples())
        for village_id, username in query:
            by_village.setdefault(village_id, []).append(username)
        return by_village

    @classmethod
    def add_official(cls, username, role, full_name, password):
        """A new official's account, active, in the village worked for (the regency office's:
        in no village); None when its username is taken there."""
        user = cls(username=username, role=role, full_name=full_name, active=True)
        user.set_password(password)
        try:
            with db.atomic():
                if is_regency() and cls.by_login(username):  # no village: the index cannot tell
                    return None
                user.save()
        except IntegrityError:
            return None
        return user

    @classmethod
    def by_login(cls, login):
        """The account for a NIK (residents) or a username (officials), or None."""
        login = (login or "").strip()
        if login.isdigit():
            return (cls.select().join(Person).where(Person.nik == login).first())
        return cls.get_or_none(cls.username == login.lower())


def check_nobodys_password(password):
    """Check password against a hash made like a real one, so that a login for an unknown name
    costs as much time as one for a real name, whichever method the app hashes with."""
    check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


@functools.cache
def dummy_hash(method):
    return generate_password_hash("balai-dummy-password", method)


class Counted(VillageModel):
    """Something counted per key over a sliding window, in the database so that limits hold
    across workers and restarts."""
    at = DateTimeField(default=now, index=True)

    LIMIT = 5
    WINDOW = datetime.timedelta(minutes=15)

    @classmethod
    def reached(cls, condition):
        """True when LIMIT rows matching `condition` fall in the window."""
        since = now() - cls.WINDOW
        count = cls.select(fn.COUNT(cls.id)).where(condition & (cls.at > since)).scalar()
        return count >= cls.LIMIT


class LoginFailure(Counted):
    """A failed login (or second-factor code), counted per login name, per address, and per
    device that once logged in to this name.

    The locks on a name and on an address hold for devices that never logged in to that name:
    a stranger who locks the Kades's name does not lock out the Kades's own phone, and that
    phone has a limit of its own."""
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    login = CharField(index=True)
    address = CharField(default="", index=True)
    device = CharField(default="")  # a trusted device's id (balai.people.devices), or ""

    ADDRESS_LIMIT = 20  # many people share one address (an office, a mobile network): failures only

    @classmethod
    def locked(cls, condition, limit=Counted.LIMIT):
        """True for WINDOW after the limit-th failure that came within WINDOW of the first.

        Nothing is recorded while locked, so the newest failure starts the lock."""
        last = [row.at for row in cls.select(cls.at).where(condition)
                .order_by(cls.at.desc()).limit(limit)]
        return (len(last) == limit and last[0] > now() - cls.WINDOW
                and last[-1] >= last[0] - cls.WINDOW)

    @classmethod
    def is_locked(cls, login):
        return cls.locked((cls.login == login) & (cls.device == ""))

    @classmethod
    def lock(cls, login, address, device=""):
        """What refuses an attempt now: "device", "name", "address", or None."""
        if device:
            return "device" if cls.locked(cls.device == device) else None
        if cls.is_locked(login):
            return "name"
        if cls.locked(cls.address == address, cls.ADDRESS_LIMIT):
            return "address"
        return None

    @classmethod
    def attempt(cls, login, address, device=""):
        """Count a login attempt as a failure until it succeeds (clear()); None when locked.

        Counted before the password is checked, in one write transaction with the lock check,
        so guesses sent in parallel cannot slip past the limit."""
        with db.atomic():
            if cls.lock(login, address, device):
                return None
            cls.delete().where(cls.at < now() - 2 * cls.WINDOW).execute()
            return cls.create(login=login, address=address, device=device)

    @classmethod
    def clear(cls, login, device=""):
        """After a success: a trusted device clears its own failures, not a stranger's."""
        cls.delete().where((cls.login == login) & (cls.device == device)).execute()

"""The notification outbox, and each account's verified e-mail address and WhatsApp number."""
import datetime
import hashlib
import hmac
import secrets

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from balai.db import db, now
from balai.people.contact import WHATSAPP_RULE, is_email, whatsapp_number
from balai.people.models import User
from balai.villages.models import VillageModel

CHANNELS = ("inapp", "email", "whatsapp")
CHANNEL_LABELS = {"inapp": "Di aplikasi", "email": "E-mail", "whatsapp": "WhatsApp"}


class Notification(VillageModel):
    """One message to one account through one channel; the row is the truth about its delivery.

    `key` is the event key + recipient + channel, unique, so an event never notifies twice.
    `next_attempt_at` is when the row may next be tried; a worker that claims the row moves it
    a lease ahead, so a worker killed mid-delivery only delays the row until the lease ends."""
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    recipient = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    channel = CharField()
    address = CharField(default="")  # e-mail or phone number at the time of the event
    kind = CharField(default="umum")
    subject = CharField(default="")
    message = TextField()
    link = CharField(default="")  # a path inside Balai, made absolute when sent
    key = CharField(unique=True)
    status = CharField(default="pending", index=True)  # pending, sent, failed
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=now, index=True)
    last_error = TextField(default="")
    created_at = DateTimeField(default=now)
    sent_at = DateTimeField(null=True)
    read_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("recipient", "channel", "read_at"), False),)

    @property
    def channel_label(self):
        return CHANNEL_LABELS[self.channel]

    @property
    def delivery_key(self):
        """What a receiver de-duplicates by: the same for every attempt at this row. Not the
        bare id or key: after a restore from backup both are handed out again to new messages,
        and two villages may share one gateway account; the moment the row was made is not."""
        made = f"{self.key}|{self.created_at.isoformat()}"
        return hashlib.sha256(made.encode()).hexdigest()[:32]

    @property
    def message_id(self):
        """The e-mail Message-ID: the same for every attempt, so a duplicate is recognisable."""
        return f"<{self.delivery_key}@balai.desa>"

    @classmethod
    def in_app_for(cls, user):
        """The condition that picks the user's in-app list, shared by the list, its count and
        "read all"."""
        return (cls.recipient == user) & (cls.channel == "inapp")

    @classmethod
    def inbox_of(cls, user):
        return cls.select().where(cls.in_app_for(user)).order_by(cls.id.desc())

    @classmethod
    def unread_state(cls, user):
        """(unread count, newest id) of the user's in-app list: what the header count shows."""
        unread = cls.inbox_of(user).where(cls.read_at.is_null()).count()
        newest = cls.select(fn.MAX(cls.id)).where(cls.in_app_for(user)).scalar()
        return unread, newest or 0

    @classmethod
    def mark_all_read(cls, user):
        cls.update(read_at=now()).where(cls.in_app_for(user) & cls.read_at.is_null()).execute()

    def mark_read(self):
        if self.read_at is None:
            self.read_at = now()
            self.save(only=[Notification.read_at])

    @classmethod
    def failed(cls):
        return (cls.select(cls, User).join(User).where(cls.status == "failed")
                .order_by(cls.id.desc()))

    @classmethod
    def due(cls, until):
        """Pending rows that may be tried by `until`: new, retrying, or left by a killed worker."""
        return (cls.select(cls.id, cls.next_attempt_at)
                .where((cls.status == "pending") & (cls.next_attempt_at <= until))
                .order_by(cls.next_attempt_at))

    def claim(self, lease_seconds):
        """Take the row for one attempt; False when it is not due or another worker has it."""
        start = now()
        taken = (Notification.update(attempts=Notification.attempts + 1,
                                     next_attempt_at=start + datetime.timedelta(seconds=lease_seconds))
                 .where((Notification.id == self.id) & (Notification.status == "pending")
                        & (Notification.next_attempt_at <= start))
                 .execute())
        if taken:
            self.attempts += 1
        return bool(taken)

    def record_sent(self):
        changes = {Notification.status: "sent", Notification.sent_at: now(),
                   Notification.last_error: ""}
        if self.kind == "kode":  # a verification code is not kept once it has left
            changes[Notification.message] = "Kode verifikasi (disembunyikan setelah terkirim)."
        Notification.update(changes).where(Notification.id == self.id).execute()

    def record_failure(self, error, retry_seconds):
        """Schedule the next try after a failed attempt, or give up after the last interval."""
        if self.attempts > len(retry_seconds):
            changes = {Notification.status: "failed"}
        else:
            delay = datetime.timedelta(seconds=retry_seconds[self.attempts - 1])
            changes = {Notification.next_attempt_at: now() + delay}
        changes[Notification.last_error] = str(error)[:1000]
        Notification.update(changes).where(Notification.id == self.id).execute()

    def retry(self):
        """The operator's retry: a failed row starts again with a fresh count."""
        (Notification.update(status="pending", attempts=0, next_attempt_at=now())
         .where((Notification.id == self.id) & (Notification.status == "failed")).execute())


class ContactPoint(VillageModel):
    """An account's e-mail address or WhatsApp number, used only once verified by a code."""
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    user = ForeignKeyField(User, backref="contact_points", on_delete="CASCADE")
    channel = CharField()  # "email" or "whatsapp"
    address = CharField()
    verified_at = DateTimeField(null=True)
    enabled = BooleanField(default=True)
    code_hash = CharField(null=True)
    code_expires_at = DateTimeField(null=True)
    code_attempts = IntegerField(default=0)

    CODE_LIFETIME = datetime.timedelta(minutes=15)
    CODE_ATTEMPTS = 5

    class Meta:
        indexes = ((("user", "channel"), True),)

    @property
    def is_verified(self):
        return self.verified_at is not None

    @classmethod
    def of(cls, user):
        """The user's contact points by channel."""
        return {cp.channel: cp for cp in cls.select().where(cls.user == user)}

    @classmethod
    def usable(cls, user):
        return (cls.select().where((cls.user == user) & cls.verified_at.is_null(False)
                                   & (cls.enabled == True)).order_by(cls.channel))  # noqa: E712

    @staticmethod
    def clean_address(channel, value):
        """(address as stored, None) or (None, a message saying how to fix it)."""
        value = (value or "").strip()
        if channel == "email":
            if not is_email(value):
                return None, "Tulis alamat e-mail lengkap, misalnya nama@contoh.id."
            return value.lower(), None
        number = whatsapp_number(value)
        return (number, None) if number else (None, WHATSAPP_RULE)

    @classmethod
    def start_verification(cls, user, channel, address):
        """Set a new, unverified address and return the code to send to it."""
        code = f"{secrets.randbelow(10 ** 6):06d}"
        values = dict(address=address, verified_at=None, enabled=True, code_hash=hash_code(code),
                      code_expires_at=now() + cls.CODE_LIFETIME, code_attempts=0)
        with db.atomic():
            (cls.insert(user=user, channel=channel, **values)
             .on_conflict(conflict_target=[cls.village, cls.user, cls.channel], update=values).execute())
            point = cls.get((cls.user == user) & (cls.channel == channel))
        return point, code

    @classmethod
    def code_sent_recently(cls, user, channel):
        """True within a minute of the last code, so nobody floods an address with codes."""
        recent = now() + cls.CODE_LIFETIME - datetime.timedelta(minutes=1)
        return cls.select().where((cls.user == user) & (cls.channel == channel)
                                  & (cls.code_expires_at > recent)).exists()

    def verify(self, code):
        """Check a code; the answer is an error message in Bahasa Indonesia, or None.

        The attempt is counted by a conditional update in the same transaction as the check,
        so guesses sent in parallel are counted one by one and stop at the limit."""
        if not self.code_hash:
            return "Belum ada kode yang dikirim. Minta kode baru."
        if now() > self.code_expires_at:
            return "Kode sudah kedaluwarsa (berlaku 15 menit). Minta kode baru."
        with db.atomic():
            counted = (ContactPoint.update(code_attempts=ContactPoint.code_attempts + 1)
                       .where((ContactPoint.id == self.id)
                              & (ContactPoint.code_hash == self.code_hash)
                              & (ContactPoint.code_attempts < self.CODE_ATTEMPTS))
                       .execute())
            if not counted:
                return "Kode sudah salah terlalu sering. Minta kode baru."
            if not check_code(self.code_hash, (code or "").strip()):
                return "Kode salah. Periksa 6 angka yang kami kirim, lalu coba lagi."
            self.verified_at, self.code_hash, self.code_expires_at = now(), None, None
            self.save(only=[ContactPoint.verified_at, ContactPoint.code_hash,
                            ContactPoint.code_expires_at])
        return None


def hash_code(code):
    salt = secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + code).encode()).hexdigest()}"


def check_code(stored, code):
    salt, _, digest = stored.partition("$")
    return hmac.compare_digest(digest, hashlib.sha256((salt + code).encode()).hexdigest())

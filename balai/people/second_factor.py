"""A second factor for officials: a 6-digit code from an authenticator app (TOTP), or one of ten
recovery codes for a lost phone.

The app's secret is sealed with a key derived from SECRET_KEY and recovery codes are stored as
keyed digests, so a copy of the database alone gives neither away. A new SECRET_KEY means every
official sets the second factor up again."""
import base64
import hashlib
import hmac
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from balai.db import db, now
from balai.people.models import User
from balai.people.sessions import LoginSession
from balai.villages.models import VillageModel

ASKED_ROLES = ("kades", "operator")  # asked at every login until they turn it on
RECOVERY_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper


def derived_key(purpose):
    return hashlib.sha256(f"balai-{purpose}:{current_app.secret_key}".encode()).digest()


def sealer():
    return Fernet(base64.urlsafe_b64encode(derived_key("second-factor")))


def normalized(code):
    """What was typed, without the spaces and dashes people add: "123 456", "abcde-fghij"."""
    return "".join((code or "").split()).replace("-", "").lower()


class SecondFactor(VillageModel):
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    user = ForeignKeyField(User, unique=True, backref="second_factors", on_delete="CASCADE")
    sealed_secret = CharField()
    confirmed_at = DateTimeField(null=True)  # None while being set up
    last_step = IntegerField(default=0)  # the newest accepted code's time step: each works once

    @classmethod
    def enabled_for(cls, user):
        return cls.select().where((cls.user == user) & cls.confirmed_at.is_null(False)).exists()

    @classmethod
    def enabled_ids(cls):
        """The accounts that have it on, for the operator's list."""
        return {row.user_id for row in cls.select(cls.user).where(cls.confirmed_at.is_null(False))}

    @classmethod
    def being_set_up(cls, user):
        """The factor `user` is setting up, made on first call so the QR code stays the same."""
        sealed = sealer().encrypt(pyotp.random_base32().encode()).decode()
        cls.insert(user=user, sealed_secret=sealed).on_conflict_ignore().execute()
        factor = cls.get(cls.user == user)
        if factor.secret is None:  # sealed under an earlier SECRET_KEY: start afresh
            cls.update(sealed_secret=sealed).where(cls.id == factor.id).execute()
            factor.sealed_secret = sealed
        return factor

    @property
    def secret(self):
        """The app's secret, or None when it was sealed under another SECRET_KEY."""
        try:
            return sealer().decrypt(self.sealed_secret.encode()).decode()
        except InvalidToken:
            return None

    def uri(self, account, issuer):
        """What the QR code holds, for the authenticator app."""
        return pyotp.TOTP(self.secret).provisioning_uri(name=account, issuer_name=issuer)

    def accept(self, code):
        """True for a current code not used before; a replayed code (seen over a shoulder, or
        sent twice) is refused."""
        secret = self.secret
        if secret is None or not (code.isascii() and code.isdigit()):
            return False
        totp = pyotp.TOTP(secret)
        step = totp.timecode(time.time())
        for candidate in (step - 1, step, step + 1):  # a phone's clock is often a little off
            if hmac.compare_digest(totp.generate_otp(candidate), code):
                return (SecondFactor.update(last_step=candidate)
                        .where((SecondFactor.id == self.id) & (SecondFactor.last_step < candidate))
                        .execute() == 1)
        return False

    def confirm(self, code):
        """Turn the factor on with a first code from the app: the recovery codes (to show once),
        or None when the code is wrong."""
        if self.confirmed_at or not self.accept(normalized(code)):
            return None
        with db.atomic():
            SecondFactor.update(confirmed_at=now()).where(SecondFactor.id == self.id).execute()
            return RecoveryCode.replace(self.user)

    @classmethod
    def verify(cls, user, code):
        """A login's second step: a code from the app, or an unused recovery code."""
        code = normalized(code)
        factor = cls.get_or_none((cls.user == user) & cls.confirmed_at.is_null(False))
        if factor is None or not code:
            return False
        if code.isdigit():
            return factor.accept(code)
        return RecoveryCode.use(user, code)

    @classmethod
    def reset(cls, user):
        """Off again, with no recovery codes left, and logged out everywhere (the lost phone
        too): the official logs in with the password and sets it up anew."""
        with db.atomic():
            cls.delete().where(cls.user == user).execute()
            RecoveryCode.delete().where(RecoveryCode.user == user).execute()
            LoginSession.end_all(user)


class RecoveryCode(VillageModel):
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(unique=True)

    @staticmethod
    def digest(code):
        return hmac.new(derived_key("recovery-code"), code.encode(), hashlib.sha256).hexdigest()

    @classmethod
    def replace(cls, user):
        """Ten new codes for `user`, in place of any old ones; only their digests are kept."""
        codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
                 for _ in range(RECOVERY_COUNT)]
        with db.atomic():
            cls.delete().where(cls.user == user).execute()
            cls.insert_many([{"user": user, "code_hash": cls.digest(code)} for code in codes]).execute()
        return [f"{code[:5]}-{code[5:]}" for code in codes]

    @classmethod
    def use(cls, user, code):
        """True once per code: using it deletes it."""
        return cls.delete().where((cls.user == user)
                                  & (cls.code_hash == cls.digest(code))).execute() == 1

    @classmethod
    def left(cls, user):
        return cls.select().where(cls.user == user).count()

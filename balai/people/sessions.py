"""Logged-in sessions kept in the database, one row per device, so that the server can end them.

The session cookie carries only a random token; logging out deletes this device's row, a new
password deletes the others, and a row too old (SESSION_HOURS) or, for officials, left idle too
long (OFFICIAL_IDLE_MINUTES) no longer logs anyone in. Every web worker reads the same rows."""
import datetime
import hashlib
import secrets

from flask import current_app
from peewee import CharField, DateTimeField, ForeignKeyField

from balai.db import db, now
from balai.people.models import User
from balai.tally.models import resident_seen
from balai.villages.models import Village, VillageModel

TOKEN_KEY = "login_token"  # its place in Flask's session
SEEN_EVERY = datetime.timedelta(minutes=1)  # finer than any idle limit, and one write a minute


def digest(token):
    """What is stored: a copy of the database holds no token that would log anyone in."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def lifetime():
    return datetime.timedelta(hours=current_app.config["SESSION_HOURS"])


def official_idle():
    return datetime.timedelta(minutes=current_app.config["OFFICIAL_IDLE_MINUTES"])


class LoginSession(VillageModel):
    REGENCY_ROWS = True  # the regency office's own accounts belong to no village
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, backref="login_sessions", on_delete="CASCADE")
    started_at = DateTimeField(default=now, index=True)
    seen_at = DateTimeField(default=now)

    @classmethod
    def start(cls, user):
        """A new session for `user`; returns the token for the cookie. Clears out expired rows.
        A resident's login counts them as active this month (balai.tally)."""
        token = secrets.token_urlsafe(32)
        with db.atomic():
            cls.delete().where(cls.started_at < now() - lifetime()).execute()
            cls.create(token_hash=digest(token), user=user)
            if user.role == "warga":
                resident_seen(Village.current(), user.id, now())
        return token

    @classmethod
    def user_for(cls, user_id, token):
        """The account `user_id` ("id:version", flask-login's id) when `token` is one of its live
        sessions; None when the session ended, timed out, or the account's sessions were reset."""
        uid, _, version = (user_id or "").partition(":")
        if not (token and uid.isdigit()):
            return None
        row = (cls.select(cls, User).join(User)
               .where((cls.token_hash == digest(token)) & (User.id == int(uid))).first())
        if row is None or str(row.user.session_version) != version:
            return None
        moment = now()
        idle = official_idle() if row.user.is_official else lifetime()
        if row.started_at < moment - lifetime() or row.seen_at < moment - idle:
            return None
        if row.seen_at < moment - SEEN_EVERY:
            cls.update(seen_at=moment).where(cls.id == row.id).execute()
        return row.user

    @classmethod
    def end(cls, token):
        cls.delete().where(cls.token_hash == digest(token)).execute()

    @classmethod
    def end_all(cls, user, keep=None):
        """Every session of `user` but `keep` (this device's token, after a new password)."""
        cls.delete().where((cls.user == user) & (cls.token_hash != digest(keep))).execute()

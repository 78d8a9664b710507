"""Devices that have logged in to a name before: a signed cookie, sent to the login pages only,
that lets such a device through the lock a stranger's wrong guesses put on that name.

Each device has its own limit (LoginFailure.lock): a stolen phone does not guess forever."""
import datetime
import hashlib
import secrets

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "balai_perangkat"
MAX_AGE = datetime.timedelta(days=180)
KEEP = 5  # names remembered per device: an office computer is shared by several officials


def serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="balai-device")


def name_key(login):
    """The cookie holds no NIK in the clear, only a digest of each name."""
    return hashlib.sha256(login.encode()).hexdigest()[:16]


def known():
    """{name digest: device id} for the names this device logged in to; {} when forged or old."""
    raw = request.cookies.get(COOKIE)
    try:
        names = serializer().loads(raw, max_age=MAX_AGE.total_seconds()) if raw else {}
    except BadSignature:
        return {}
    return names if isinstance(names, dict) else {}


def device_for(login):
    """This device's id for `login` when it logged in to that name before, else ""."""
    return known().get(name_key(login), "")


def remember(response, login):
    """After a login: this device is known to `login`, with a fresh id (its failures are gone)."""
    names = {key: device for key, device in known().items() if key != name_key(login)}
    names = dict(list(names.items())[-(KEEP - 1):])
    names[name_key(login)] = secrets.token_urlsafe(16)
    response.set_cookie(COOKIE, serializer().dumps(names), max_age=MAX_AGE,
                        path=url_for("auth.login"), secure=request.is_secure, httponly=True,
                        samesite="Lax")

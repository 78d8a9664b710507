"""The outbox: notification rows written in the event's own transaction, delivered later.

Each area says what happened through `send`, inside its own transaction (a letter's step, an
order's change); the rows commit or vanish with the event, and what each area says lives in
that area (`balai.letters.notices`, `balai.market.notices`). After the commit each row that
needs a channel is handed to the worker; the sweep re-queues whatever that hand-off or a worker
lost."""
import datetime

from flask import current_app
from peewee import IntegrityError

from balai.db import db, now
from balai.notify import channels
from balai.notify.models import ContactPoint, Notification

SUBJECTS = {
    "surat": "Kabar permohonan surat",
    "pesanan": "Kabar pesanan",
    "lapak": "Kabar lapak Anda",
    "kode": "Kode verifikasi",
}


def send(recipient, kind, message, link, event_key, subject=None):
    """Notify one account in-app and on each channel it has verified and switched on."""
    if recipient is None:
        return []
    subject = subject or SUBJECTS.get(kind, "Pemberitahuan dari desa")
    targets = [("inapp", "")] + [(cp.channel, cp.address) for cp in ContactPoint.usable(recipient)]
    rows = [write(recipient, channel, address, kind, subject, message, link,
                  f"{event_key}:{recipient.id}:{channel}") for channel, address in targets]
    return [row for row in rows if row]


def start_verification(user, channel, address):
    """Keep a new, unverified address and send its code there, in one transaction."""
    with db.atomic():
        point, code = ContactPoint.start_verification(user, channel, address)
        message = (f"Kode verifikasi Balai Anda: {code}. Berlaku 15 menit. "
                   "Jangan berikan kode ini kepada siapa pun.")
        write(point.user, channel, address, "kode", SUBJECTS["kode"], message, "",
              f"code:{point.id}:{point.code_hash}")
    return point


def write(recipient, channel, address, kind, subject, message, link, key):
    """One row; an existing key means this event already notified this account here."""
    delivered = channel == "inapp"
    try:
        with db.atomic():
            row = Notification.create(recipient=recipient, channel=channel, address=address,
                                      kind=kind, subject=subject, message=message, link=link,
                                      key=key, status="sent" if delivered else "pending",
                                      sent_at=now() if delivered else None)
    except IntegrityError:
        return None
    if not delivered:
        db.after_commit(lambda: enqueue(row.id))
    return row


def enqueue(notification_id):
    """Hand a committed row to the worker; if that fails the sweep will find the row."""
    current_app.extensions["queue"].enqueue("deliver", notification_id)


def deliver(notification_id):
    """One attempt: claim the row, send it, record the outcome; "retry" after a failure.
    Safe to run twice: a row that is sent, failed or claimed by another worker is left alone.
    Delivery is at least once: a worker killed after the channel took the message but before
    the row says so sends it again when the lease ends, with the same delivery key."""
    row = Notification.get_or_none(Notification.id == notification_id)
    if row is None or row.status != "pending":
        return
    if not row.claim(float(channels.setting("NOTIFY_LEASE_SECONDS"))):
        return
    try:
        channels.send(row, accepted=row.record_sent)
    except channels.DeliveryError as error:
        row.record_failure(error, channels.retry_seconds())
        return "retry"
    return "sent"


def due_soon(horizon_seconds):
    """Pending rows due now or within the horizon, with when each is due."""
    until = now() + datetime.timedelta(seconds=horizon_seconds)
    return [((row.id,), row.next_attempt_at) for row in Notification.due(until)]


def pending(notification_id):
    """The row with when it is next due, if it is still pending (after a failed attempt)."""
    rows = Notification.select().where((Notification.id == notification_id)
                                       & (Notification.status == "pending"))
    return [((row.id,), row.next_attempt_at) for row in rows]

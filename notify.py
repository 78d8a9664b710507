"""Who is told what: notification rows written in the event's own transaction, delivered later.

Callers inside a transaction (LetterRequest.apply, later the marketplace) call `send` or
`letter_event`; the rows commit or vanish with the event. After the commit each row that needs
a channel is handed to the worker; the sweep re-queues whatever that hand-off or a worker lost."""
import datetime
import logging

from peewee import IntegrityError

import channels
from models import ContactPoint, Notification, User, db
from models.people import now

log = logging.getLogger(__name__)

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
    import tasks
    try:
        tasks.deliver(notification_id)
    except Exception:  # the row is safe in the database; never break the caller's commit
        log.exception("Could not enqueue notification %s", notification_id)


def deliver(notification_id):
    """One attempt: claim the row, send it, record the outcome; "retry" after a failure.
    Safe to run twice: a row that is sent, failed or claimed by another worker is left alone."""
    row = Notification.get_or_none(Notification.id == notification_id)
    if row is None or row.status != "pending":
        return
    if not row.claim(float(channels.setting("NOTIFY_LEASE_SECONDS"))):
        return
    try:
        channels.send(row)
    except channels.DeliveryError as error:
        row.record_failure(error, channels.retry_seconds())
        return "retry"
    row.record_sent()
    return "sent"


def due_soon(horizon_seconds):
    """Pending rows due now or within the horizon, with when each is due."""
    until = now() + datetime.timedelta(seconds=horizon_seconds)
    return [(row.id, row.next_attempt_at) for row in Notification.due(until)]


def pending(notification_id):
    """The row with when it is next due, if it is still pending (after a failed attempt)."""
    rows = Notification.select().where((Notification.id == notification_id)
                                       & (Notification.status == "pending"))
    return [(row.id, row.next_attempt_at) for row in rows]


def letter_event(event):
    """The notifications for one step of a letter request (called inside apply's transaction)."""
    request = event.request
    letter = request.letter_type.name
    applicant = request.person.name
    resident = User.get_or_none(User.person == request.person_id)
    key = f"letter-event:{event.id}"

    # Paths, not url_for: this also runs outside a request (tests, the worker) where Flask
    # cannot build URLs; views.inbox.detail and views.letters.show serve them.
    def holding(role):
        return User.select().where((User.role == role) & (User.active == True))  # noqa: E712

    def tell(officials, message):
        for official in officials:
            send(official, "surat", message, f"/kotak-masuk/{request.id}", key)

    def tell_resident(message):
        send(resident, "surat", message, f"/surat/{request.id}", key)

    if event.action == "ajukan":
        again = event.from_status == "dikembalikan"
        tell(holding(request.letter_type.verifier),
             f"{applicant} {'sudah memperbaiki dan mengajukan lagi' if again else 'mengajukan'} "
             f"permohonan {letter}. Permohonan ini menunggu pemeriksaan Anda.")
    elif event.to_status == "diverifikasi":
        tell(holding("sekdes"), f"Permohonan {letter} dari {applicant} sudah diperiksa Kasi "
                                "dan menunggu pemeriksaan Anda.")
        tell_resident(f"Permohonan {letter} Anda sudah diperiksa Kasi. Berikutnya diperiksa "
                      "Sekretaris Desa, biasanya dalam 1 hari kerja.")
    elif event.to_status == "diperiksa":
        tell(User.kades_signers(), f"Permohonan {letter} dari {applicant} sudah diperiksa "
                                   "Sekretaris Desa dan menunggu persetujuan Anda.")
        tell_resident(f"Permohonan {letter} Anda sudah diperiksa Sekretaris Desa. Berikutnya "
                      "menunggu tanda tangan Kepala Desa.")
    elif event.to_status == "dikembalikan":
        tell_resident(f"Permohonan {letter} Anda perlu diperbaiki. Alasan: {event.note}. "
                      "Perbaiki lalu ajukan lagi.")
    elif event.to_status == "ditolak":
        tell_resident(f"Permohonan {letter} Anda ditolak. Alasan: {event.note}.")
    elif event.to_status == "selesai":
        number = f" dengan nomor {request.number}" if request.number else ""
        tell_resident(f"Surat {letter} Anda sudah terbit{number}. Unduh suratnya dari "
                      "tautan di bawah ini.")

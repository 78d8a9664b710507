"""What the letter workflow tells people: one message per step, written in that step's
transaction through the outbox (`send`), so the event and its notifications commit together."""
from balai.notify.outbox import send
from balai.people.models import User
from balai.signing.models import kades_signers


def step_taken(event):
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
        tell(kades_signers(), f"Permohonan {letter} dari {applicant} sudah diperiksa "
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


def letter_revoked(letter, reason):
    """The resident hears that their issued letter was withdrawn, and why."""
    send(User.get_or_none(User.person == letter.person_id), "surat",
         f"Surat {letter.letter_type.name} Anda nomor {letter.number} dicabut oleh kantor desa. "
         f"Alasan: {reason}. Hubungi kantor desa bila perlu surat baru.",
         f"/surat/{letter.id}", f"letter-revoked:{letter.id}")

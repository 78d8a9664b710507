"""What the letter workflow tells people: one message per step, written in that step's
transaction through the outbox (`send`), so the event and its notifications commit together."""
from balai.letters.workflow import STEPS
from balai.notify.outbox import send
from balai.people.models import User


def reason_text(note):
    """An official's reason as it sits inside a message's sentence, which ends it itself: a
    reason typed with its own closing full stop would print two."""
    return note.strip().rstrip(".").rstrip()


def step_taken(event):
    """The notifications for one step of a letter request (called inside take's transaction):
    what the row of STEPS it arrives at tells the officials who now decide, and the resident."""
    request = event.request
    step = STEPS[event.to_status]
    words = {"letter": request.letter_type.name, "applicant": request.person.name,
             "note": reason_text(event.note),
             "number": f" dengan nomor {request.number}" if request.number else "",
             "submitted": ("sudah memperbaiki dan mengajukan lagi"
                           if event.from_status == "dikembalikan" else "mengajukan")}
    key = f"letter-event:{event.id}"
    # Paths, not url_for: this also runs outside a request (tests, the worker) where Flask
    # cannot build URLs; the inbox.detail and letters.show pages serve them.
    if step.official:
        for official in request.deciders(step.official):
            send(official, "surat", step.to_officials.format(**words),
                 f"/kotak-masuk/{request.id}", key)
    if step.to_resident:
        send(User.get_or_none(User.person == request.person_id), "surat",
             step.to_resident.format(**words), f"/surat/{request.id}", key)


def letter_revoked(letter, reason):
    """The resident hears that their issued letter was withdrawn, and why."""
    send(User.get_or_none(User.person == letter.person_id), "surat",
         f"Surat {letter.letter_type.name} Anda nomor {letter.number} dicabut oleh kantor desa. "
         f"Alasan: {reason_text(reason)}. Hubungi kantor desa bila perlu surat baru.",
         f"/surat/{letter.id}", f"letter-revoked:{letter.id}")

"""Reminders of a step past its target: the step's official the first working day after the
target, and one working day later the Sekdes (the Kades when it is the Sekdes's own step).

The worker scans the waiting requests (remind_overdue, re-queued by every sweep); each reminder
is a StepReminder row, unique per request, step visit and level, written in the same transaction
as its notifications: a scan run twice, or by two workers, or killed halfway, sends each once."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError

from balai.db import db, now
from balai.letters.letter_types import LetterType
from balai.letters.models import LetterRequest
from balai.letters.standards import (
    WAITING,
    events_of,
    local_date,
    step_due,
    step_entered,
    today,
)
from balai.letters.workdays import Calendar
from balai.letters.workflow import STEPS
from balai.notify.outbox import send
from balai.people.models import Person
from balai.villages.models import VillageModel
from balai.web.filters import indonesian_date

TITLES = {"sekdes": "Sekretaris Desa", "kades": "Kepala Desa"}
# Who hears of a step one working day after its official did: the Sekdes runs the office, and
# the Kades hears of the Sekdes's own step.
ESCALATE_TO = {"kasi": "sekdes", "sekdes": "kades", "kades": "sekdes"}


class StepReminder(VillageModel):
    """One reminder sent: `level` "petugas" (the step's official) or the escalation's role;
    `since_event` is the event that brought the request to the step (0 if none), so a request
    that comes back to a step after a return is reminded afresh."""
    request = ForeignKeyField(LetterRequest, on_delete="CASCADE")
    step = CharField()
    since_event = IntegerField()
    level = CharField()
    sent_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("request", "since_event", "level"), True),)


def waiting():
    return (LetterRequest.select(LetterRequest, LetterType, Person).join(LetterType)
            .switch(LetterRequest).join(Person).where(LetterRequest.status.in_(WAITING)))


def remind_overdue():
    """Send every reminder that is due and not yet sent; returns how many were sent."""
    requests = list(waiting())
    events, calendar, on = events_of(requests), Calendar(), today()
    sent = 0
    for request in requests:
        due = step_due(request, events[request.id], calendar)
        late = calendar.count(due, on)
        official = STEPS[request.status].official
        levels = (["petugas"] if late >= 1 else []) + ([ESCALATE_TO[official]] if late >= 2 else [])
        for level in levels:
            sent += remind(request, events[request.id], due, level)
    return sent


def remind(request, events, due, level):
    """One reminder with its notifications, in one transaction; 0 when it was sent before."""
    entered, since_event = step_entered(request, events)
    official = STEPS[request.status].official
    title = request.kasi_title if official == "kasi" else TITLES[official]
    words = {"letter": request.letter_type.name, "reference": request.reference,
             "applicant": request.person.name, "title": title,
             "since": indonesian_date(local_date(entered)), "due": indonesian_date(due)}
    try:
        with db.atomic():
            row = StepReminder.create(request=request, step=request.status,
                                      since_event=since_event, level=level)
            key = f"step-reminder:{row.id}"
            if level == "petugas":
                for user in request.deciders(official):
                    send(user, "surat", OVERDUE.format(**words), f"/kotak-masuk/{request.id}", key)
            else:  # the escalation names no resident: the Sekdes may not have seen it yet
                for user in request.deciders(level):
                    send(user, "surat", ESCALATED.format(**words), "", key)
    except IntegrityError:
        return 0
    return 1


OVERDUE = ("Permohonan {letter} dari {applicant} ({reference}) sudah melewati target langkah "
           "Anda (batas {due}). Mohon segera diproses.")
ESCALATED = ("Permohonan {reference} ({letter}) menunggu {title} sejak {since} dan sudah "
             "melewati target langkahnya (batas {due}). Mohon ditindaklanjuti bersama {title}.")

"""What each letter event adds to the daily counts (balai.tally), decided in one place for the
event as it happens (LetterEvent.save, in its transaction), for the migration that fills the
counts from the events already kept, and for the bulk demo data.

A request counts as filed on the day it was first sent, as returned on the day of its first
return, as rejected and as issued on those days; a step's time runs from the event that brought
the request there to the one that took it on (as the village's own figures count it); a resident
who sends a request of their own is active that month."""
import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from balai.letters.workflow import ROUTE, STEPS
from balai.tally.buckets import bucket_of
from balai.tally.models import Counts

DECIDING = [state for state in ROUTE if STEPS[state].official]
COLUMNS = {"kembalikan": "returned", "tolak": "rejected", "terbit": "issued"}


class Event(NamedTuple):
    """What counting reads of a LetterEvent (a model row has these attributes too)."""
    action: str
    from_status: str
    to_status: str
    role: str
    actor_id: int
    at: datetime.datetime  # naive UTC


def moves(event):
    return event.from_status != event.to_status


def count(counts, village, zone, letter_type, event, earlier):
    """Add to `counts` what `event` adds, given the `earlier` events of its request (oldest
    first). `zone` is the village's ZoneInfo; `letter_type` the request's type slug."""
    local = event.at.replace(tzinfo=datetime.timezone.utc).astimezone(zone)
    month = local.strftime("%Y-%m")
    if event.action == "ajukan" and event.from_status == "draf":
        counts.letter(village, local.date(), letter_type, "filed")
        if event.role == "warga" and event.actor_id:
            counts.resident(village, month, event.actor_id)
    elif event.action in COLUMNS and not (event.action == "kembalikan" and any(
            e.action == "kembalikan" for e in earlier)):
        counts.letter(village, local.date(), letter_type, COLUMNS[event.action])
    if event.from_status in DECIDING and moves(event):
        arrived = next((e for e in reversed(earlier)
                        if e.to_status == event.from_status and moves(e)), None)
        if arrived is not None:
            counts.step(village, month, event.from_status,
                        bucket_of((event.at - arrived.at).total_seconds()))


def count_one(village, letter_type, event, earlier):
    """Save at once what one new event adds: the caller's transaction holds the event too."""
    counts = Counts()
    count(counts, village.id, ZoneInfo(village.timezone), letter_type, event, earlier)
    counts.save()


def recount(rows, village, timezone, save, every=20000):
    """Count the events of `rows`: (request id, letter type slug, *Event), ordered by request
    and then as the timeline orders them. `save(counts)` is called every `every` requests and at
    the end, so memory stays small however many there are."""
    counts, zone, current, earlier, seen = Counts(), ZoneInfo(timezone), None, [], 0
    for request, letter_type, *fields in rows:
        if request != current:
            current, earlier, seen = request, [], seen + 1
            if seen % every == 0 and counts:
                save(counts)
        event = Event(*fields)
        count(counts, village, zone, letter_type, event, earlier)
        earlier.append(event)
    if counts:
        save(counts)

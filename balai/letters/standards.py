"""The service standard kept (UU 25/2009): each request's deadline ("selesai paling lambat"),
where a waiting step stands against its target, and whether a letter kept the standard.

Everything counts the village's working days (workdays.Calendar) in the village's own dates.
The day a request is sent does not count; the clock runs from each sending (an "ajukan" event)
until the request is returned to the resident, and stands still until it is sent again, so a
return costs the office none of its days. What the figures and other pages use: `deadline`,
`finished_in_time`, `days_taken` and `month_figures`."""
import datetime
import statistics
from typing import NamedTuple
from zoneinfo import ZoneInfo

from balai.db import now, utc_naive
from balai.letters.letter_types import LetterType
from balai.letters.models import LetterEvent, LetterRequest
from balai.letters.workdays import Calendar
from balai.letters.workflow import STEPS
from balai.villages.models import Village

RETURNED = "dikembalikan"
WAITING = tuple(state for state, step in STEPS.items() if step.official)


def local_date(moment):
    return Village.current().localtime(moment).date()


def today():
    return local_date(now())


def events_of(requests):
    """{request id: its events in order}, for a list of requests in one query."""
    found = {r.id: [] for r in requests}
    for event in (LetterEvent.select().where(LetterEvent.request.in_(list(found)))
                  .order_by(LetterEvent.at, LetterEvent.id)):
        found[event.request_id].append(event)
    return found


def clock_runs(request, events):
    """The spans (start, end) in which the clock ran, as stored moments; the last one's end is
    None while it runs on. A request sent without events (made by a data import) runs from
    its submitted_at."""
    runs, start = [], None
    for event in events:
        if event.action == "ajukan":
            start = event.at
        elif event.to_status == RETURNED and start is not None:
            runs.append((start, event.at))
            start = None
    if start is None and not runs and request.submitted_at:
        start = request.submitted_at
    if start is not None:
        runs.append((start, None))
    return runs


class Standing(NamedTuple):
    """Where a request stands against its letter type's time to complete."""
    deadline: datetime.date = None  # the local date; None before sending or while returned
    days_left: int = None  # working days still the office's, while the clock stands still
    stopped: bool = False


def standing(request, events=None, calendar=None):
    events = request.timeline() if events is None else events
    calendar = calendar or Calendar()
    runs = clock_runs(request, events)
    if not runs:
        return Standing()
    used = sum(calendar.count(local_date(start), local_date(end)) for start, end in runs
               if end is not None)
    left = request.letter_type.service_days - used
    start, end = runs[-1]
    if end is not None:
        return Standing(days_left=max(left, 0), stopped=True)
    return Standing(deadline=calendar.add(local_date(start), left))


def deadline(request, events=None, calendar=None):
    """The local date by which the request should be finished ("selesai paling lambat"); None
    before it is sent and while it is back with the resident."""
    return standing(request, events, calendar).deadline


def finished_in_time(request, events=None, calendar=None):
    """True when the letter was issued by its deadline, False when later; None when no letter
    was issued (still waiting, rejected or cancelled)."""
    if request.status != "selesai" or not request.issued_at:
        return None
    return local_date(request.issued_at) <= deadline(request, events, calendar)


def days_taken(request, events=None, calendar=None):
    """The working days the clock ran until the letter was issued (0: the day it was sent)."""
    events = request.timeline() if events is None else events
    calendar = calendar or Calendar()
    return sum(calendar.count(local_date(start), local_date(end or request.issued_at))
               for start, end in clock_runs(request, events))


def step_entered(request, events):
    """The stored moment the request arrived at the step it waits in, and that event's id."""
    arrived = [event for event in events if event.to_status == request.status]
    if arrived:
        return arrived[-1].at, arrived[-1].id
    return request.submitted_at or request.created_at, 0


def step_due(request, events, calendar):
    """The local date by which the waiting step should be decided, by its target."""
    entered, _ = step_entered(request, events)
    return calendar.add(local_date(entered), request.letter_type.step_target(request.status))


class Mark(NamedTuple):
    """What the inbox says of a step against its target."""
    kind: str  # "late" (past it) or "due" (its last day)
    text: str


def step_mark(request, events, calendar, on):
    """The Mark of a waiting request on the local date `on`; None while within its target."""
    due = step_due(request, events, calendar)
    late = calendar.count(due, on)
    if late:
        return Mark("late", f"Lewat target {late} hari kerja")
    if on == due:
        return Mark("due", "Batas hari ini")
    return Mark("late", "Lewat batas") if on > due else None


def mark_targets(requests):
    """Set `target` (a Mark or None) on each request of the inbox's list."""
    events, calendar, on = events_of(requests), Calendar(), today()
    for r in requests:
        r.target = step_mark(r, events[r.id], calendar, on) if r.status in WAITING else None
    return requests


def with_deadlines(requests):
    """Set `deadline` on each request of a list still waiting for the office (None on others)."""
    events, calendar = events_of(requests), Calendar()
    for r in requests:
        r.deadline = deadline(r, events[r.id], calendar) if r.status in WAITING else None
    return requests


class Figures(NamedTuple):
    """One letter type's letters issued in a month, against its standard."""
    finished: int
    in_time: int
    median_days: float

    @property
    def share_in_time(self):
        return round(100 * self.in_time / self.finished) if self.finished else None

    @property
    def median_text(self):
        """The median as the page writes it: 2, or 1,5."""
        return f"{self.median_days:g}".replace(".", ",")


def month_bounds(year, month):
    """The stored (UTC) moments at which a local month starts and the next one starts."""
    zone = ZoneInfo(Village.current().timezone)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return utc_naive(start), utc_naive(following)


def previous_month(on):
    last = on.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def month_figures(year, month):
    """{letter type id: Figures} for the letters issued in that month of the village."""
    start, end = month_bounds(year, month)
    letters = list(LetterRequest.select(LetterRequest, LetterType).join(LetterType).where(
        (LetterRequest.status == "selesai") & (LetterRequest.issued_at >= start)
        & (LetterRequest.issued_at < end)))
    events, calendar, taken = events_of(letters), Calendar(), {}
    for letter in letters:
        kept = finished_in_time(letter, events[letter.id], calendar)
        taken.setdefault(letter.letter_type_id, []).append(
            (days_taken(letter, events[letter.id], calendar), kept))
    return {type_id: Figures(len(rows), sum(kept for _, kept in rows),
                             statistics.median(days for days, _ in rows))
            for type_id, rows in taken.items()}

"""Requests placed in the village's calendar: sent, returned, moved along and issued on chosen
local dates, as the service standard's tests need them."""
import datetime
from zoneinfo import ZoneInfo

from balai.db import utc_naive
from balai.letters.models import LetterEvent, LetterRequest
from balai.letters.standards import today
from balai.letters.workdays import Calendar
from balai.people.models import User
from tests.support.village import BUDI, make_request

JAKARTA = ZoneInfo("Asia/Jakarta")  # the demo village's timezone


def at(date, hour=9, minute=0):
    """A stored (naive UTC) moment at this local (WIB) date and time."""
    return utc_naive(datetime.datetime(date.year, date.month, date.day, hour, minute,
                                       tzinfo=JAKARTA))


def backdate(event, moment):
    LetterEvent.update(at=moment).where(LetterEvent.id == event.id).execute()


def sent_on(moment, slug="domisili", nik=BUDI):
    """A request sent (the real workflow's "ajukan") at a stored moment in the past."""
    request = make_request(nik=nik, slug=slug)
    backdate(request.apply("ajukan", User.get(User.person == request.person)), moment)
    LetterRequest.update(submitted_at=moment).where(LetterRequest.id == request.id).execute()
    return LetterRequest.get_by_id(request.id)


def move(request, action, official, moment, note="", category="lainnya"):
    """An official's step on the request, dated at a stored moment in the past (a return or
    rejection with its reason category)."""
    backdate(request.apply(action, User.by_login(official), note, category=category), moment)
    return LetterRequest.get_by_id(request.id)


def resend(request, moment):
    request.apply("ajukan", User.get(User.person == request.person))
    event = request.events.order_by(LetterEvent.id.desc()).first()
    backdate(event, moment)
    LetterRequest.update(submitted_at=moment).where(LetterRequest.id == request.id).execute()
    return LetterRequest.get_by_id(request.id)


def issued_on(request, moment):
    """Mark a request issued at a stored moment (the letter itself is not what these test)."""
    LetterEvent.create(request=request, actor=User.by_login("kades"), role="kades",
                       action="setujui", from_status=request.status, to_status="selesai", at=moment)
    LetterRequest.update(status="selesai", issued_at=moment).where(
        LetterRequest.id == request.id).execute()
    return LetterRequest.get_by_id(request.id)


def entered_late_by(days, target=1):
    """The local date a step with this target must have begun on to be `days` working days
    past it today (whatever today is)."""
    calendar, on = Calendar(), today()
    date = on
    while calendar.count(calendar.add(date, target), on) != days:
        date -= datetime.timedelta(days=1)
    return date


def due_today(target=1):
    """The local date a step with this target must have begun on to have today (a working
    day) as its last day."""
    calendar, on = Calendar(), today()
    date = on - datetime.timedelta(days=1)
    while calendar.add(date, target) != on:
        date -= datetime.timedelta(days=1)
    return date

"""Working days of the village office: not a weekend, not a national holiday or collective leave
day (cuti bersama), not a day off the village keeps itself (DayOff, kept by the operator).

National holidays and cuti bersama come from the `holidays` package (its Indonesian calendar,
the "public" and "government" categories: the latter holds the cuti bersama that the joint
ministerial decree sets each year), updated with Balai's pinned version."""
import datetime
import functools

from peewee import CharField, DateField, IntegrityError

from balai.db import db
from balai.villages.models import VillageModel

REASON_MAX = 100


class DayOff(VillageModel):
    """A day the village office is closed that is no national holiday (a village festival, an
    election day of the village, a sedekah bumi)."""
    date = DateField(unique=True)
    reason = CharField()

    @classmethod
    def listed(cls, since):
        return cls.select().where(cls.date >= since).order_by(cls.date)

    @classmethod
    def add(cls, date, reason):
        """The new day off; None when that date is already one."""
        try:
            with db.atomic():
                return cls.create(date=date, reason=reason)
        except IntegrityError:
            return None


@functools.lru_cache(maxsize=32)
def national_holidays(year):
    """{date: name} of one year's national holidays and cuti bersama, in Bahasa Indonesia."""
    # Imported here: it takes a fifth of a second, which a process that counts no working
    # days (a command, most pages) need not wait.
    import holidays

    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government"),
                                          language="id"))


def national_holiday(date):
    return national_holidays(date.year).get(date)


def nationally_working(date):
    """A weekday that is no national holiday nor cuti bersama (the village may still close)."""
    return date.weekday() < 5 and national_holiday(date) is None


class Calendar:
    """The office's working days. The village's days off (a few a year) are read once, so
    counting over a whole list of requests costs one query."""

    def __init__(self):
        self.village_days = {row.date for row in DayOff.select(DayOff.date)}

    def is_working(self, date):
        return date not in self.village_days and nationally_working(date)

    def add(self, date, days):
        """The `days`-th working day after `date` (the day itself not counted); `date` itself
        when `days` is 0 or less."""
        while days > 0:
            date += datetime.timedelta(days=1)
            days -= self.is_working(date)
        return date

    def count(self, start, end):
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        days, date = 0, start
        while date < end:
            date += datetime.timedelta(days=1)
            days += self.is_working(date)
        return days


def upcoming_holidays(today, days=120):
    """The national holidays and cuti bersama of the coming `days` days, as (date, name)."""
    until = today + datetime.timedelta(days=days)
    found = {}
    for year in range(today.year, until.year + 1):
        found.update(national_holidays(year))
    return sorted((date, name) for date, name in found.items() if today <= date <= until)

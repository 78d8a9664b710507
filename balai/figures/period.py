"""What every figure is made of: the months it covers on the village's clock (Period), its
columns (Column: a heading, how the page writes a value, and for the figures that take more
columns, the function that computes one), and the figure itself (Figure: table, chart, CSV)."""
import datetime
import math
import re
import statistics
from dataclasses import dataclass
from typing import Callable, NamedTuple
from zoneinfo import ZoneInfo

from balai.db import db, utc_naive

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
SHOWN_MONTHS = 12  # what the page shows unless asked for other months
MOST_MONTHS = 36
MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodError(ValueError):
    """Months asked for that make no period; the message says how to ask."""


def month_label(month):
    """"2026-03" as the page writes it: "Mar 2026"."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def shift(year, month, by):
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


class Period(NamedTuple):
    """Whole months on the village's clock, and the stored (naive UTC) moments they span."""
    months: tuple  # "YYYY-MM", oldest first
    start: datetime.datetime  # the first moment, naive UTC
    end: datetime.datetime  # the moment after the last, naive UTC
    offset: datetime.timedelta  # the village's clock ahead of UTC (Indonesia: no summer time)

    @classmethod
    def of(cls, timezone, first=None, last=None, today=None):
        """From "YYYY-MM" to "YYYY-MM" inclusive; by default the SHOWN_MONTHS up to today's."""
        zone = ZoneInfo(timezone)
        today = today or datetime.datetime.now(zone).date()
        last = parse_month(last) if last else (today.year, today.month)
        first = parse_month(first) if first else shift(*last, -(SHOWN_MONTHS - 1))
        count = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
        if count < 1:
            raise PeriodError("Bulan awal harus sebelum atau sama dengan bulan akhir.")
        if count > MOST_MONTHS:
            raise PeriodError(f"Pilih paling banyak {MOST_MONTHS} bulan sekaligus.")
        months = tuple("%04d-%02d" % shift(*first, i) for i in range(count))

        def moment(year, month):
            return utc_naive(datetime.datetime(year, month, 1, tzinfo=zone))
        start, end = moment(*first), moment(*shift(*last, 1))
        return cls(months, start, end, zone.utcoffset(datetime.datetime(*first, 1)))

    def holds(self, column):
        return (column >= self.start) & (column < self.end)

    def month_of(self, column):
        """The column's month on the village's clock, "YYYY-MM", computed by the database."""
        return db.month_of(column, self.offset)

    def column_labels(self):
        """Each month as a chart's column names it: "Mar", or "Mar 26" when years differ."""
        years = {month[:4] for month in self.months}
        return [MONTHS[int(month[5:]) - 1] + (f" {month[2:4]}" if len(years) > 1 else "")
                for month in self.months]

    @property
    def label(self):
        first, last = month_label(self.months[0]), month_label(self.months[-1])
        return first if first == last else f"{first} – {last}"


def parse_month(text):
    match = MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise PeriodError(f"Bulan “{text}” tidak dikenali. Tulis tahun dan bulan, misalnya "
                          f"2026-03.")
    return int(match.group(1)), int(match.group(2))


def percentile(values, share):
    """The nearest-rank percentile: the smallest value that `share` of the values do not pass."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def median(values):
    return statistics.median(values) if values else None


def rounded(value):
    """A duration as the table and the CSV keep it: one decimal place."""
    return None if value is None else round(value, 1)


def number(value, places=1):
    """A value as an Indonesian reader writes it ("3,5"); "–" for none."""
    if value is None:
        return "–"
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def decimal(value):
    return number(value, 1)


def whole(value):
    return number(value, 0)


def percent(value):
    return "–" if value is None else f"{number(value, 1)}%"


def share(part, total):
    return round(100 * part / total, 1) if total else None


def hours(delta):
    return delta.total_seconds() / 3600


def days(delta):
    return delta.total_seconds() / 86400


class Column(NamedTuple):
    """A column of a figure's table. `value`, for the figures that take more columns, computes
    the column's value from what a row stands for (see letters.completion)."""
    heading: str
    shown: Callable = str  # how the page writes a value; the CSV keeps the value itself
    value: Callable = None


@dataclass
class Figure:
    """One figure: what it shows, its table (columns and rows of values) and its chart."""
    key: str  # its name in the CSV's address
    title: str
    description: str
    columns: list
    rows: list
    chart: str = ""

    def table(self):
        """The rows as the page writes them."""
        return [[column.shown(value) for column, value in zip(self.columns, row)]
                for row in self.rows]

    def csv_rows(self):
        yield [column.heading for column in self.columns]
        for row in self.rows:
            yield ["" if value is None else value for value in row]

"""The letter service's figures, from the requests' timelines (LetterEvent): how many were sent
each month, how long each step and the whole service took, what waits now, and how many were
returned or rejected and for what kind of reason. Counts are grouped in the database;
percentiles are taken here from the durations of the period (both engines, the same way).

The free text of a return or rejection may name people: only its category is counted here."""
import datetime
from typing import NamedTuple

from peewee import Case, fn

from balai.db import now
from balai.figures import charts
from balai.figures.period import (
    Column,
    Figure,
    days,
    decimal,
    hours,
    median,
    month_label,
    percent,
    percentile,
    rounded,
    share,
)
from balai.letters import standards
from balai.letters.models import LetterEvent, LetterRequest, LetterType
from balai.letters.workdays import Calendar
from balai.letters.workflow import NEEDS_REASON, NOT_RECORDED, REASON_CATEGORIES, ROUTE, STEPS

# A request counts in the month it was first sent (a resubmission after a return is the same
# request); a step's time runs from the event that brought the request there to the one that
# took it on.
FIRST_SENT = (LetterEvent.action == "ajukan") & (LetterEvent.from_status == "draf")
DECIDING = [state for state in ROUTE if STEPS[state].official]  # the officials' steps, in order
WAITED = (("< 1 hari", 0, 1), ("1–3 hari", 1, 3), ("3–7 hari", 3, 7), ("> 7 hari", 7, None))


def step_name(state):
    return STEPS[state].label.format(kasi="Kasi")


def monthly(rows, months):
    """{month: value} as one value per month of the period, 0 where the database had none."""
    return [rows.get(month, 0) for month in months]


def sent_per_month(period):
    """Requests first sent each month, by letter type."""
    month = period.month_of(LetterEvent.at)
    counts = {}
    for month_sent, name, count in (
            LetterEvent.select(month, LetterType.name, fn.COUNT(LetterEvent.id))
            .join(LetterRequest).join(LetterType)
            .where(FIRST_SENT & period.holds(LetterEvent.at))
            .group_by(month, LetterType.name).tuples()):
        counts.setdefault(name, {})[month_sent] = count
    names = sorted(counts)
    series = [(name, monthly(counts[name], period.months)) for name in names]
    rows = [[month, *(values[i] for _, values in series), sum(v[i] for _, v in series)]
            for i, month in enumerate(period.months)]
    title = "Permohonan surat per bulan"
    desc = (f"Jumlah permohonan yang diajukan setiap bulan, {period.label}, menurut jenis surat; "
            f"seluruhnya {sum(row[-1] for row in rows)}.")
    return Figure("permohonan", title, desc,
                  [Column("Bulan", month_label), *(Column(name) for name in names),
                   Column("Jumlah")], rows,
                  charts.stacked_columns("permohonan", title, desc,
                                         period.column_labels(),
                                         series))


def step_durations(period):
    """{step: [hours]} for each decision on a step taken in the period: from the request's
    arrival at the step to the official's approval, return or rejection."""
    decided = (LetterEvent.select(LetterEvent.request)
               .where(period.holds(LetterEvent.at) & LetterEvent.from_status.in_(DECIDING)
                      & (LetterEvent.from_status != LetterEvent.to_status)))
    durations, arrived, current = {state: [] for state in DECIDING}, {}, None
    for request, before, after, at in (
            LetterEvent.select(LetterEvent.request, LetterEvent.from_status,
                               LetterEvent.to_status, LetterEvent.at)
            .where(LetterEvent.request.in_(decided) & (LetterEvent.from_status
                                                       != LetterEvent.to_status))
            .order_by(LetterEvent.request, LetterEvent.at, LetterEvent.id).tuples()):
        if request != current:
            arrived, current = {}, request
        if before in durations and before in arrived and period.start <= at < period.end:
            durations[before].append(hours(at - arrived.pop(before)))
        arrived[after] = at
    return durations


def step_times(period):
    """The median and 90th percentile of the time each step took."""
    durations = step_durations(period)
    rows = [[step_name(state), len(durations[state]), rounded(median(durations[state])),
             rounded(percentile(durations[state], 0.9))] for state in DECIDING]
    title = "Lama di setiap tahap"
    desc = (f"Median dan persentil ke-90 lama permohonan menunggu keputusan di setiap tahap, "
            f"dalam jam, untuk keputusan {period.label}.")
    series = [("Median (jam)", [row[2] for row in rows]),
              ("Persentil ke-90 (jam)", [row[3] for row in rows])]
    return Figure("tahap", title, desc,
                  [Column("Tahap"), Column("Keputusan"), Column("Median (jam)", decimal),
                   Column("Persentil ke-90 (jam)", decimal)], rows,
                  charts.grouped_bars("tahap", title, desc, [row[0] for row in rows], series,
                                      shown=lambda v: f"{decimal(v)} jam"))


def waiting_now(moment=None):
    """The requests that wait for an official now, by step and by how long since sent."""
    moment = moment or now()
    sent = LetterRequest.submitted_at

    def waited(low, high):
        older = sent <= moment - datetime.timedelta(days=low)
        if high is not None:
            older &= sent > moment - datetime.timedelta(days=high)
        return fn.SUM(Case(None, [(older, 1)], 0))
    counts = {status: [value or 0 for value in values] for status, *values in (
        LetterRequest.select(LetterRequest.status, *(waited(low, high) for _, low, high in WAITED))
        .where(LetterRequest.status.in_(DECIDING)).group_by(LetterRequest.status).tuples())}
    rows = [[step_name(state), *counts.get(state, [0] * len(WAITED)),
             sum(counts.get(state, []))] for state in DECIDING]
    title = "Permohonan yang menunggu sekarang"
    desc = (f"Permohonan yang sedang menunggu keputusan di setiap tahap, menurut lamanya sejak "
            f"diajukan; seluruhnya {sum(row[-1] for row in rows)}.")
    series = [(label, [row[1 + i] for row in rows]) for i, (label, _, _) in enumerate(WAITED)]
    return Figure("menunggu", title, desc,
                  [Column("Tahap"), *(Column(label) for label, _, _ in WAITED),
                   Column("Jumlah")], rows,
                  charts.stacked_columns("menunggu", title, desc,
                                         [STEPS[state].official.capitalize() for state in DECIDING],
                                         series))


def returned_or_rejected(period):
    """Of the requests first sent each month: how many were ever returned, and rejected."""
    month = period.month_of(LetterEvent.at)
    returns = LetterEvent.alias("returned")
    ever_returned = returns.select(returns.request).where(returns.action == "kembalikan")
    found = {month_sent: (sent, returned or 0, rejected or 0)
             for month_sent, sent, returned, rejected in (
                 LetterEvent.select(
                     month, fn.COUNT(LetterEvent.id),
                     fn.SUM(Case(None, [(LetterEvent.request.in_(ever_returned), 1)], 0)),
                     fn.SUM(Case(None, [(LetterRequest.status == "ditolak", 1)], 0)))
                 .join(LetterRequest).where(FIRST_SENT & period.holds(LetterEvent.at))
                 .group_by(month).tuples())}
    rows = []
    for month_sent in period.months:
        sent, returned, rejected = found.get(month_sent, (0, 0, 0))
        rows.append([month_sent, sent, returned, share(returned, sent), rejected,
                     share(rejected, sent)])
    title = "Permohonan dikembalikan atau ditolak"
    desc = (f"Bagian permohonan yang pernah dikembalikan untuk diperbaiki dan yang ditolak, "
            f"menurut bulan diajukan, {period.label}.")
    series = [("Pernah dikembalikan (%)", [row[3] for row in rows]),
              ("Ditolak (%)", [row[5] for row in rows])]
    return Figure("dikembalikan", title, desc,
                  [Column("Bulan", month_label), Column("Diajukan"),
                   Column("Pernah dikembalikan"), Column("Dikembalikan (%)", percent),
                   Column("Ditolak"), Column("Ditolak (%)", percent)], rows,
                  charts.grouped_bars("dikembalikan", title, desc,
                                      [month_label(m) for m in period.months], series,
                                      shown=percent, top=100))


def reasons(period):
    """Returns and rejections of the period by the kind of reason, the most common first."""
    counts = {}
    for category, action, count in (
            LetterEvent.select(LetterEvent.reason_category, LetterEvent.action,
                               fn.COUNT(LetterEvent.id))
            .where(LetterEvent.action.in_(NEEDS_REASON) & period.holds(LetterEvent.at))
            .group_by(LetterEvent.reason_category, LetterEvent.action).tuples()):
        label = REASON_CATEGORIES.get(category, NOT_RECORDED)
        counts.setdefault(label, {"kembalikan": 0, "tolak": 0})[action] += count
    order = list(REASON_CATEGORIES.values()) + [NOT_RECORDED]
    rows = sorted(([label, c["kembalikan"], c["tolak"], c["kembalikan"] + c["tolak"]]
                   for label, c in counts.items()), key=lambda r: (-r[3], order.index(r[0])))
    title = "Alasan pengembalian dan penolakan"
    desc = (f"Jumlah permohonan yang dikembalikan atau ditolak {period.label}, menurut jenis "
            f"alasannya, yang paling sering di atas.")
    series = [("Dikembalikan", [row[1] for row in rows]), ("Ditolak", [row[2] for row in rows])]
    return Figure("alasan", title, desc,
                  [Column("Jenis alasan"), Column("Dikembalikan"), Column("Ditolak"),
                   Column("Jumlah")], rows,
                  charts.grouped_bars("alasan", title, desc, [row[0] for row in rows], series))


class Finished(NamedTuple):
    """A request whose letter was issued in the period, as a completion column reads it."""
    id: int
    letter_type_id: int
    sent_at: datetime.datetime  # first sent (naive UTC)
    issued_at: datetime.datetime


def finished(period):
    """The requests whose letter was issued in the period, by letter type name."""
    by_type = {}
    for name, *fields in (
            LetterRequest.select(LetterType.name, LetterRequest.id, LetterRequest.letter_type,
                                 LetterEvent.at, LetterRequest.issued_at)
            .join(LetterType).switch(LetterRequest)
            .join(LetterEvent, on=(LetterEvent.request == LetterRequest.id) & FIRST_SENT)
            .where(period.holds(LetterRequest.issued_at)).tuples()):
        by_type.setdefault(name, []).append(Finished(*fields))
    return by_type


def completion(period, more=()):
    """Per letter type, the letters issued in the period and how many days they took from
    first sending to issue (median, 90th percentile). `more` adds columns: each a Column whose
    `value` takes that type's list of Finished requests and returns the column's value."""
    by_type = finished(period)
    rows = []
    for name in sorted(by_type):
        took = [days(request.issued_at - request.sent_at) for request in by_type[name]]
        rows.append([name, len(took), rounded(median(took)), rounded(percentile(took, 0.9)),
                     *(column.value(by_type[name]) for column in more)])
    title = "Lama penyelesaian per jenis surat"
    desc = (f"Surat yang terbit {period.label} dan lama penyelesaiannya dalam hari, dari "
            f"permohonan pertama kali diajukan sampai surat terbit.")
    series = [("Median (hari)", [row[2] for row in rows]),
              ("Persentil ke-90 (hari)", [row[3] for row in rows])]
    return Figure("selesai", title, desc,
                  [Column("Jenis surat"), Column("Surat terbit"), Column("Median (hari)", decimal),
                   Column("Persentil ke-90 (hari)", decimal), *more], rows,
                  charts.grouped_bars("selesai", title, desc, [row[0] for row in rows], series,
                                      shown=lambda v: f"{decimal(v)} hari"))


def issued_in_time(finished_requests):
    """The share (%) of these letters issued by their deadline under the letter type's service
    standard, counted in the village's working days (letters.standards)."""
    requests = list(LetterRequest.select(LetterRequest, LetterType).join(LetterType)
                    .where(LetterRequest.id.in_([request.id for request in finished_requests])))
    events, calendar = standards.events_of(requests), Calendar()
    kept = [standards.finished_in_time(request, events[request.id], calendar)
            for request in requests]
    return share(sum(bool(k) for k in kept), len(kept))


IN_TIME = Column("Tepat waktu (%)", percent, issued_in_time)

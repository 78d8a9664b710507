"""The figures across villages, from the count tables alone (balai.tally): a few grouped queries
whatever the number of letters, so the page stays fast with hundreds of villages and millions
of letters. Months are on each village's own clock.

Time at each step comes from log-spaced buckets: a median or 90th percentile is within 9.1% of
the exact one (balai.tally.buckets.ERROR_BOUND). A request counts as returned in the month of
its first return and is compared with the requests filed that month."""
from collections import Counter, defaultdict
from typing import NamedTuple

from balai.figures import charts
from balai.figures.period import Column, Figure, decimal, month_label, percent, rounded, share
from balai.letters.counting import DECIDING
from balai.letters.letter_types import LetterType
from balai.letters.workflow import STEPS
from balai.tally import buckets
from balai.tally import models as tally
from balai.villages.models import Village

BUSIEST = 20  # villages drawn in the by-village chart; the table has them all


class Counts(NamedTuple):
    """What the count tables hold for a period, summed as the figures need it."""
    by_type: dict  # {type name: Counter(month -> filed)}
    months: dict  # {month: Counter(filed, returned, rejected, issued)}
    villages: dict  # {village id: Counter(filed, returned, rejected, issued, active)}
    steps: dict  # {step: {bucket: decisions}}
    active: Counter  # {month: residents active}


def gather(period):
    """The period's counts, each summed by the database (a few hundred rows at most)."""
    first, last = period.months[0], period.months[-1]
    names = LetterType.names_by_slug()
    by_type = defaultdict(Counter)
    for (month, slug), found in sums(first, last, "month", "letter_type").items():
        by_type[names.get(slug, slug)][month] += found["filed"]
    steps = defaultdict(Counter)
    for step, bucket, decisions in tally.step_buckets(first, last):
        steps[step][bucket] += decisions
    return Counts(by_type, {month: found for (month,), found in sums(first, last, "month").items()},
                  village_totals(period), steps,
                  Counter(dict(tally.active_sums(first, last, "month"))))


def sums(first, last, *by):
    """{(*by): Counter of the letter columns} over the months from first to last."""
    found = {}
    for row in tally.letter_sums(first, last, *by):
        found[row[:len(by)]] = Counter(dict(zip(tally.LETTER_COLUMNS, row[len(by):])))
    return found


def village_totals(period):
    """{village id: Counter(filed, returned, rejected, issued, active)} of the period."""
    first, last = period.months[0], period.months[-1]
    villages = {village: found for (village,), found in sums(first, last, "village").items()}
    for village, residents in tally.active_sums(first, last, "village"):
        villages.setdefault(village, Counter())["active"] = residents
    return villages


def per_month(period, counts):
    """Requests filed each month, by letter type."""
    names = sorted(counts.by_type)
    series = [(name, [counts.by_type[name][m] for m in period.months]) for name in names]
    rows = [[month, *(values[i] for _, values in series), sum(v[i] for _, v in series)]
            for i, month in enumerate(period.months)]
    title = "Permohonan surat per bulan"
    desc = (f"Permohonan yang diajukan di semua desa setiap bulan, {period.label}, menurut jenis "
            f"surat; seluruhnya {sum(row[-1] for row in rows)}.")
    return Figure("permohonan", title, desc,
                  [Column("Bulan", month_label), *(Column(name) for name in names),
                   Column("Jumlah")], rows,
                  charts.stacked_columns("permohonan", title, desc, period.column_labels(),
                                         series))


def per_village(period, counts, villages):
    """Each village's requests, returns, rejections, letters issued and active residents."""
    rows = []
    for village in villages:
        c = counts.villages.get(village.id, Counter())
        rows.append([village.name, village.kecamatan, c["filed"], share(c["returned"], c["filed"]),
                     share(c["rejected"], c["filed"]), c["issued"],
                     rounded(c["active"] / len(period.months))])
    busiest = sorted(rows, key=lambda row: -row[2])[:BUSIEST]
    title = "Permohonan per desa"
    desc = (f"Permohonan yang diajukan dan surat yang terbit di setiap desa, {period.label}; "
            f"grafik memuat {len(busiest)} desa tersibuk, tabel memuat semua desa.")
    series = [("Diajukan", [row[2] for row in busiest]), ("Terbit", [row[5] for row in busiest])]
    return Figure("desa", title, desc,
                  [Column("Desa"), Column("Kecamatan"), Column("Diajukan"),
                   Column("Dikembalikan (%)", percent), Column("Ditolak (%)", percent),
                   Column("Surat terbit"), Column("Warga aktif per bulan", decimal)], rows,
                  charts.grouped_bars("desa", title, desc, [row[0] for row in busiest], series))


def step_times(period, counts):
    """Median and 90th percentile of the time at each step, over every village."""
    rows = []
    for state in DECIDING:
        found = counts.steps.get(state, {})
        rows.append([STEPS[state].label.format(kasi="Kasi"), sum(found.values()),
                     *(hours(buckets.percentile(found, q)) for q in (0.5, 0.9))])
    title = "Lama di setiap tahap"
    desc = (f"Median dan persentil ke-90 lama permohonan menunggu keputusan di setiap tahap, "
            f"dalam jam, di semua desa, {period.label}; angka ini dihitung dari kelompok lama "
            f"waktu dan dapat meleset paling banyak {buckets.ERROR_BOUND:.0%}.")
    series = [("Median (jam)", [row[2] for row in rows]),
              ("Persentil ke-90 (jam)", [row[3] for row in rows])]
    return Figure("tahap", title, desc,
                  [Column("Tahap"), Column("Keputusan"), Column("Median (jam)", decimal),
                   Column("Persentil ke-90 (jam)", decimal)], rows,
                  charts.grouped_bars("tahap", title, desc, [row[0] for row in rows], series,
                                      shown=lambda v: f"{decimal(v)} jam"))


def hours(seconds):
    return None if seconds is None else rounded(seconds / 3600)


def returned_or_rejected(period, counts):
    """Each month: requests filed, returned (first return) and rejected, and their shares."""
    rows = []
    for month in period.months:
        c = counts.months.get(month, Counter())
        rows.append([month, c["filed"], c["returned"], share(c["returned"], c["filed"]),
                     c["rejected"], share(c["rejected"], c["filed"])])
    title = "Permohonan dikembalikan atau ditolak"
    desc = (f"Permohonan yang dikembalikan untuk diperbaiki (pertama kali) dan yang ditolak "
            f"setiap bulan, dibandingkan dengan permohonan yang diajukan bulan itu, "
            f"{period.label}.")
    series = [("Dikembalikan (%)", [row[3] for row in rows]), ("Ditolak (%)", [row[5] for row in rows])]
    return Figure("dikembalikan", title, desc,
                  [Column("Bulan", month_label), Column("Diajukan"), Column("Dikembalikan"),
                   Column("Dikembalikan (%)", percent), Column("Ditolak"),
                   Column("Ditolak (%)", percent)], rows,
                  charts.grouped_bars("dikembalikan", title, desc,
                                      [month_label(m) for m in period.months], series,
                                      shown=percent, top=100))


def issued_and_active(period, counts):
    """Letters issued and residents active each month, over every village."""
    rows = [[month, counts.months.get(month, Counter())["issued"], counts.active[month]]
            for month in period.months]
    title = "Surat terbit dan warga aktif"
    desc = (f"Surat yang terbit dan warga yang mengajukan permohonan atau masuk ke aplikasi "
            f"setiap bulan di semua desa, {period.label}.")
    series = [("Surat terbit", [row[1] for row in rows]), ("Warga aktif", [row[2] for row in rows])]
    return Figure("terbit", title, desc,
                  [Column("Bulan", month_label), Column("Surat terbit"), Column("Warga aktif")],
                  rows, charts.grouped_bars("terbit", title, desc,
                                            [month_label(m) for m in period.months], series))


def figures(period):
    """Every figure of the regency's page, in order."""
    counts, villages = gather(period), list(Village.listed())
    return [per_month(period, counts), per_village(period, counts, villages),
            step_times(period, counts), returned_or_rejected(period, counts),
            issued_and_active(period, counts)]


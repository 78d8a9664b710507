"""Lapak UMKM's figure: the orders placed each month and how they ended."""
from peewee import Case, fn

from balai.figures import charts
from balai.figures.period import Column, Figure, month_label, whole
from balai.market.orders import Order

ENDED = {"selesai": "Selesai", "dibatalkan": "Dibatalkan"}  # any other status is still open


def orders_per_month(period):
    """Orders placed each month: finished, cancelled, still open, and what the finished ones
    were worth."""
    month = period.month_of(Order.created_at)

    def counted(condition, value=1):
        return fn.SUM(Case(None, [(condition, value)], 0))
    found = {placed: [value or 0 for value in values] for placed, *values in (
        Order.select(month, fn.COUNT(Order.id), counted(Order.status == "selesai"),
                     counted(Order.status == "dibatalkan"),
                     counted(Order.status == "selesai", Order.total))
        .where(period.holds(Order.created_at)).group_by(month).tuples())}
    rows = []
    for placed in period.months:
        placed_count, done, cancelled, worth = found.get(placed, [0, 0, 0, 0])
        rows.append([placed, done, cancelled, placed_count - done - cancelled, placed_count,
                     worth])
    title = "Pesanan Lapak per bulan"
    desc = (f"Pesanan di Lapak UMKM setiap bulan, {period.label}, menurut keadaannya sekarang; "
            f"seluruhnya {sum(row[4] for row in rows)}.")
    series = [(label, [row[1 + i] for row in rows])
              for i, label in enumerate([*ENDED.values(), "Masih berjalan"])]
    return Figure("pesanan", title, desc,
                  [Column("Bulan", month_label), Column(ENDED["selesai"]),
                   Column(ENDED["dibatalkan"]), Column("Masih berjalan"), Column("Jumlah"),
                   Column("Nilai pesanan selesai (Rp)", whole)], rows,
                  charts.stacked_columns("pesanan", title, desc,
                                         period.column_labels(),
                                         series))

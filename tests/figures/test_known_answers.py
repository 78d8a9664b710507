"""Every figure of a small village whose answers were worked out by hand (known_village.py)."""
import pytest

from balai.figures import FIGURES
from balai.figures.period import Period
from balai.letters.models import LetterType
from tests.figures import known_village

JAKARTA = "Asia/Jakarta"


@pytest.fixture
def figures(db):
    known_village.build()
    period = Period.of(JAKARTA, "2026-01", "2026-03")
    return {key: make(period) for key, make in FIGURES.items()}


def name(slug):
    return LetterType.get(LetterType.slug == slug).name


def test_requests_per_month_by_type_on_the_village_clock(figures):
    figure = figures["permohonan"]
    assert [c.heading for c in figure.columns] == ["Bulan", *sorted([name("domisili"),
                                                   name("tidak-mampu")]), "Jumlah"]
    by_month = {row[0]: dict(zip([c.heading for c in figure.columns], row)) for row in figure.rows}
    assert list(by_month) == ["2026-01", "2026-02", "2026-03"]
    assert [by_month[m][name("domisili")] for m in by_month] == [1, 1, 3]
    assert [by_month[m][name("tidak-mampu")] for m in by_month] == [0, 1, 1]
    assert [by_month[m]["Jumlah"] for m in by_month] == [1, 2, 4]


def test_median_and_90th_percentile_at_each_step(figures):
    assert figures["tahap"].rows == [
        ["Menunggu pemeriksaan Kasi", 8, 4.5, 8.0],  # 1 2 3 4 5 6 8 8 hours
        ["Menunggu pemeriksaan Sekretaris Desa", 3, 20.0, 24.0],  # 10 20 24
        ["Menunggu persetujuan Kepala Desa", 2, 8.5, 15.0],  # 2 15
    ]
    assert figures["tahap"].table()[0] == ["Menunggu pemeriksaan Kasi", "8", "4,5", "8,0"]


def test_completion_per_letter_type_from_first_sending(figures):
    assert figures["selesai"].rows == [[name("domisili"), 2, 1.7, 2.4, 100.0]]  # 26 h, 57 h


def test_a_completion_column_is_added_by_passing_a_function(db):
    from balai.figures import letters
    from balai.figures.period import Column, percent
    known_village.build()
    issued_same_week = Column("Terbit dalam 2 hari (%)", percent, lambda finished: round(
        100 * sum((r.issued_at - r.sent_at).days < 2 for r in finished) / len(finished), 1))
    figure = letters.completion(Period.of(JAKARTA, "2026-01", "2026-03"), more=[issued_same_week])
    assert figure.rows == [[name("domisili"), 2, 1.7, 2.4, 50.0]]
    assert figure.table()[0][-1] == "50,0%"
    assert list(figure.csv_rows())[0][-1] == "Terbit dalam 2 hari (%)"


def test_requests_waiting_now_by_step_and_age(figures):
    assert figures["menunggu"].rows == [
        ["Menunggu pemeriksaan Kasi", 1, 1, 0, 0, 2],
        ["Menunggu pemeriksaan Sekretaris Desa", 0, 0, 1, 1, 2],
        ["Menunggu persetujuan Kepala Desa", 0, 0, 0, 0, 0],
    ]


def test_share_returned_or_rejected_by_month_sent(figures):
    assert figures["dikembalikan"].rows == [
        ["2026-01", 1, 0, 0.0, 0, 0.0],
        ["2026-02", 2, 1, 50.0, 1, 50.0],
        ["2026-03", 4, 2, 50.0, 1, 25.0],
    ]


def test_reasons_by_category_most_common_first_and_never_the_free_text(figures):
    assert figures["alasan"].rows == [
        ["Bukan wewenang desa", 1, 1, 2],
        ["Berkas syarat kurang", 1, 0, 1],
        ["Data tidak sesuai", 0, 1, 1],
        ["Tidak dicatat", 1, 0, 1],
    ]
    assert "Catatan" not in str(figures)


def test_marketplace_orders_per_month(figures):
    assert figures["pesanan"].rows == [
        ["2026-01", 1, 0, 0, 1, 30000],
        ["2026-02", 0, 0, 1, 1, 0],  # 20:00 UTC on 31 January is 1 February in the village
        ["2026-03", 0, 1, 0, 1, 0],
    ]


def test_an_empty_period_has_rows_of_zeros_and_nothing_else(db):
    period = Period.of(JAKARTA, "2024-01", "2024-02")
    assert FIGURES["permohonan"](period).rows == [["2024-01", 0], ["2024-02", 0]]
    assert FIGURES["alasan"](period).rows == [] and FIGURES["selesai"](period).rows == []
    assert [row[1:] for row in FIGURES["tahap"](period).rows] == [[0, None, None]] * 3

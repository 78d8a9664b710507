"""The completion figure's share of letters issued within their letter type's service standard
(domisili: 3 working days), counted as the public "Standar pelayanan" page counts it."""
import datetime

from balai.figures import FIGURES
from balai.figures.period import Period
from balai.letters.workdays import Calendar
from tests.support.standards import at, issued_on, sent_on

D = datetime.date


def test_the_completion_figure_gives_the_share_issued_in_time(db):
    start, calendar = D(2026, 9, 1), Calendar()  # a Tuesday with no holiday near it
    for days in (1, 3, 5, 8):  # 3 working days is the standard: the last two are late
        issued_on(sent_on(at(start)), at(calendar.add(start, days), 14))
    figure = FIGURES["selesai"](Period.of("Asia/Jakarta", "2026-09", "2026-09"))
    assert figure.columns[-1].heading == "Tepat waktu (%)"
    (row,) = [row for row in figure.rows if row[0] == "Surat Keterangan Domisili"]
    assert row[1] == 4 and row[-1] == 50.0
    assert figure.table()[figure.rows.index(row)][-1] == "50,0%"
    assert list(figure.csv_rows())[0][-1] == "Tepat waktu (%)"

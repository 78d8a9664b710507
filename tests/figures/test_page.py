"""The figures page: who may open it, its charts (small, named for screen readers, each with
its table) and a CSV per figure; the months asked for, and a clear message for wrong ones."""
import csv
import io
import re

import pytest

from balai.figures import FIGURES
from tests.figures import known_village

PERIOD = "?dari=2026-01&sampai=2026-03"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


@pytest.mark.parametrize("role, status", [("kades", 200), ("sekdes", 200), ("operator", 200),
                                          ("kasipem", 403), ("kasikesra", 403), ("budi", 403)])
def test_only_the_kades_sekdes_and_operator_see_the_figures(request, db, role, status):
    client = request.getfixturevalue(role)
    assert client.get("/angka/").status_code == status
    assert client.get("/angka/permohonan.csv").status_code == status
    assert ('href="/angka/"' in client.get("/kotak-masuk" if role != "operator" else
                                           "/operator/").get_data(as_text=True)) == (status == 200)


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get("/angka/")
    assert response.status_code == 302 and "/masuk" in response.location


def test_each_figure_has_a_named_chart_a_table_and_a_csv_link(kades, db):
    known_village.build()
    html = kades.get("/angka/" + PERIOD).get_data(as_text=True)
    charts = SVG.findall(html)
    assert len(charts) == len(FIGURES)
    for key in FIGURES:
        section = html.split(f'<section id="angka-{key}">')[1].split("</section>")[0]
        chart = SVG.search(section).group(0)
        assert f'aria-labelledby="{key}-t {key}-d"' in chart and 'role="img"' in chart
        assert f'<title id="{key}-t">' in chart and f'<desc id="{key}-d">' in chart
        assert section.index("<svg") < section.index("<table")
        assert f'href="/angka/{key}.csv?dari=2026-01&amp;sampai=2026-03"' in section
    assert "Catatan berisi nama orang" not in html  # the free text stays on the request's page
    reasons = html.split('<section id="angka-alasan">')[1]
    assert "<td data-label=\"Jenis alasan\">Bukan wewenang desa</td>" in reasons
    assert ">Bukan wewenang desa</text>" in reasons  # the bar's label


def test_every_chart_stays_under_10_kb_with_three_years_of_busy_months(kades, db):
    known_village.build()
    busy_months(36)
    html = kades.get("/angka/?dari=2024-01&sampai=2026-12").get_data(as_text=True)
    sizes = {key: len(chart.encode()) for key, chart in zip(FIGURES, SVG.findall(html))}
    assert len(sizes) == len(FIGURES)
    assert max(sizes.values()) < 10 * 1024, sizes


def busy_months(count):
    """A request of every letter type, and an order, in each of `count` months to Dec 2026."""
    from balai.letters.models import LetterType
    for index in range(count):
        year, month = divmod(2024 * 12 + index, 12)
        at = f"{year}-{month + 1:02d}-15 03:00"
        for letter_type in LetterType.select():
            known_village.request_with([("ajukan", "draf", "diajukan", at),
                                        ("tolak", "diajukan", "ditolak", at, "lainnya")],
                                       slug=letter_type.slug)


@pytest.mark.parametrize("key", list(FIGURES))
def test_each_figure_downloads_as_csv_with_the_tables_numbers(kades, db, key):
    known_village.build()
    response = kades.get(f"/angka/{key}.csv" + PERIOD)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="balai-{key}-2026-01-2026-03.csv"')
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    from balai.figures.period import Period
    figure = FIGURES[key](Period.of("Asia/Jakarta", "2026-01", "2026-03"))
    assert rows[0] == [column.heading for column in figure.columns]
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in figure.rows]


def test_the_reasons_csv_has_the_known_counts(kades, db):
    known_village.build()
    text = kades.get("/angka/alasan.csv" + PERIOD).get_data(as_text=True)
    assert text[1:].splitlines() == ["Jenis alasan,Dikembalikan,Ditolak,Jumlah",
                                     "Bukan wewenang desa,1,1,2", "Berkas syarat kurang,1,0,1",
                                     "Data tidak sesuai,0,1,1", "Tidak dicatat,1,0,1"]


@pytest.mark.parametrize("query, message", [
    ("?dari=2026-13", "Bulan “2026-13” tidak dikenali"),
    ("?dari=maret", "Bulan “maret” tidak dikenali"),
    ("?dari=2026-05&sampai=2026-02", "Bulan awal harus sebelum"),
    ("?dari=2020-01&sampai=2026-01", "paling banyak 36 bulan"),
])
def test_months_that_make_no_period_are_explained_and_the_last_year_shown(kades, db, query,
                                                                           message):
    response = kades.get("/angka/" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="error-summary"' in html and message in html
    assert html.count('<table class="figures') == len(FIGURES)
    assert kades.get("/angka/permohonan.csv" + query).status_code == 400


def test_an_unknown_figure_is_404(kades, db):
    assert kades.get("/angka/rahasia.csv").status_code == 404

"""The regency's pages: for the kabupaten role alone; the villages with their counts, the figures
as charts, tables and CSV, and never a name, a NIK, a note or a letter of a resident."""
import csv
import datetime
import io
import re

import pytest

from balai.db import now
from balai.demo import seed
from balai.people.models import Person, User
from tests.figures import known_village
from tests.support.village import make_request
from tests.support.villages import client_on

PERIOD = "?dari=2026-01&sampai=2026-03"
PAGES = ["/kabupaten/", "/kabupaten/angka", "/kabupaten/angka.csv"]
KEYS = ("permohonan", "desa", "tahap", "dikembalikan", "terbit")
NAME, NIK, NOTE = "Zulkarnaen Wiraatmadja", "3213069912870042", "Rumah di Gang Kenanga 7"


def csv_of(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("role", ["budi", "operator", "kasipem", "kasikesra", "sekdes", "kades"])
def test_every_other_role_is_refused(request, db, role):
    client = request.getfixturevalue(role)
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_a_visitor_is_sent_to_log_in(client, db):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.location


def test_the_regency_lands_on_its_villages_and_opens_no_residents_page(kabupaten, app, objects):
    client = client_on(app, app.config["REGENCY_HOST"])
    response = client.post("/masuk", data={"login": "kabupaten", "password": seed.DEMO_PASSWORD})
    assert response.location.endswith("/kabupaten/")
    letter, attachment = objects["letters"][1]
    for url in (f"/surat/{letter.id}", f"/surat/{letter.id}/unduh",
                f"/surat/{letter.id}/lampiran/{attachment.id}", "/kotak-masuk", "/operator/",
                "/angka/", f"/operator/penduduk/{objects['person_id']}"):
        assert client.get(url).status_code in (403, 404), url


def test_the_village_list_shows_each_village_with_its_counts(kabupaten, db):
    known_village.build()
    html = kabupaten.get("/kabupaten/" + PERIOD).get_data(as_text=True)
    row = re.search(r"<tr><td data-label=\"Desa\">.*?</tr>", html).group(0)
    assert 'data-label="Permohonan">7<' in row and 'data-label="Surat terbit">1<' in row


def test_the_figures_page_has_a_chart_a_table_and_a_csv_per_figure(kabupaten, db):
    known_village.build()
    html = kabupaten.get("/kabupaten/angka" + PERIOD).get_data(as_text=True)
    for key in KEYS:
        section = html.split(f'<section id="angka-{key}">')[1].split("</section>")[0]
        assert f'<title id="{key}-t">' in section and "<table" in section
        assert f'href="/kabupaten/angka.csv?angka={key}&amp;dari=2026-01&amp;sampai=2026-03"' \
            in section
    assert "<script" not in html.split("</header>")[-1]


def test_a_wrong_period_is_explained(kabupaten, db):
    response = kabupaten.get("/kabupaten/angka?dari=2026-13")
    assert response.status_code == 422 and "tidak dikenali" in response.get_data(as_text=True)
    assert kabupaten.get("/kabupaten/angka.csv?dari=2026-13").status_code == 400
    assert kabupaten.get("/kabupaten/angka.csv?angka=nik").status_code == 404


def test_the_csvs_hold_the_counts(kabupaten, db):
    known_village.build()
    per_month = csv_of(kabupaten.get("/kabupaten/angka.csv" + PERIOD))
    assert per_month[0][0] == "Bulan" and per_month[0][-1] == "Jumlah"
    assert [row[-1] for row in per_month[1:]] == ["1", "2", "4"]  # Jan, Feb, Mar (WIB)
    returned = csv_of(kabupaten.get(f"/kabupaten/angka.csv{PERIOD}&angka=dikembalikan"))
    assert returned[1:] == [["2026-01", "1", "0", "0.0", "0", "0.0"],
                            ["2026-02", "2", "1", "50.0", "1", "50.0"],
                            ["2026-03", "4", "2", "50.0", "1", "25.0"]]
    steps = csv_of(kabupaten.get(f"/kabupaten/angka.csv{PERIOD}&angka=tahap"))
    kasi = steps[1]
    # The Kasi decided 8 times: 8, 4, 6, 2, 8, 1, 3 and 5 h; nearest-rank median 4 h, p90 8 h.
    assert kasi[1] == "8"
    assert abs(float(kasi[2]) / 4 - 1) <= 0.1 and abs(float(kasi[3]) / 8 - 1) <= 0.1


def resident_with_a_distinctive_name():
    person = Person.create(nik=NIK, kk_number="3213069912870001", name=NAME,
                           birth_place="Subang", birth_date=datetime.date(1987, 12, 12), sex="L")
    user = User.create(person=person, role="warga", active=True, password_hash="x")
    letter = make_request(nik=NIK, purpose=NOTE)
    letter.apply("ajukan", user)
    letter.apply("kembalikan", User.by_login("kasipem"), note=f"{NAME} {NOTE}",
                 category="berkas_kurang")
    return letter


def test_no_name_nik_or_note_on_any_regency_page_or_csv(kabupaten, db):
    resident_with_a_distinctive_name()
    month = now().strftime("%Y-%m")
    urls = [f"/kabupaten/?dari={month}", f"/kabupaten/angka?dari={month}"]
    urls += [f"/kabupaten/angka.csv?angka={key}&dari={month}" for key in KEYS]
    texts = [kabupaten.get(url).get_data(as_text=True) for url in urls]
    assert '<td data-label="Diajukan">1</td>' in texts[1]  # the request is counted
    for url, text in zip(urls, texts):
        for secret in (NAME, "Zulkarnaen", NIK, NIK[:10], NOTE):
            assert secret not in text, (url, secret)



@pytest.mark.parametrize("page", ["/kabupaten/", "/kabupaten/angka", "/kabupaten/desa/baru"])
def test_every_link_on_the_regency_host_leads_to_a_page_it_serves(kabupaten, db, page):
    html = kabupaten.get(page).get_data(as_text=True)
    assert "Kantor Kabupaten" in html and ", Kec. ," not in html
    links = set(re.findall(r'href="(/[^"#?]*)', html)) - {"/masuk"}
    assert "/kabupaten/angka" in links
    for link in links:
        assert kabupaten.get(link).status_code in (200, 302), link

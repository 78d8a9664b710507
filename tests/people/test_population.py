"""Population records: search, pages, adding and editing with every check."""
import datetime
import re

import pytest

from balai.people.models import Person
from tests.support.village import BUDI, SITI, error_page_html

NEW_NIK = "3213054107950004"  # a woman born 1 July 1995: day 01 + 40


def person(**overrides):
    data = {"nik": NEW_NIK, "kk_number": "3213050101100009", "name": "Neng Lilis",
            "birth_place": "Subang", "birth_date": "1995-07-01", "sex": "P", "religion": "Islam",
            "marital_status": "Belum Kawin", "occupation": "Guru", "citizenship": "WNI",
            "address": "Kp. Sindang", "rt": "4", "rw": "02", "dusun": "Dusun I"}
    data.update(overrides)
    return data


def test_operator_adds_a_person(operator, db):
    response = operator.post("/operator/penduduk/baru", data=person(birth_date="01-07-1995"))
    assert response.status_code == 303
    added = Person.get(Person.nik == NEW_NIK)
    assert (added.name, added.birth_date, added.sex, added.rt, added.rw) == (
        "Neng Lilis", datetime.date(1995, 7, 1), "P", "004", "002")


@pytest.mark.parametrize("field, value, message", [
    ("nik", "321305410795000", "NIK harus 16 angka (yang Anda isi 15 angka)."),
    ("nik", "32130541079500AB", "NIK hanya boleh berisi angka."),
    ("nik", "９２１３０５４１０７９５０００４", "NIK hanya boleh berisi angka."),
    ("nik", "9913054107950004", "bukan kode provinsi"),
    ("nik", "3213053213950004", "tidak valid"),
    ("nik", "", "NIK wajib diisi."),
    ("birth_date", "1995-07-02", "Tanggal lahir tidak cocok dengan NIK"),
    ("birth_date", "1996-07-01", "Tanggal lahir tidak cocok dengan NIK"),
    ("birth_date", "kemarin", "Isi tanggal lahir"),
    ("kk_number", "12345", "Nomor KK harus 16 angka."),
    ("kk_number", "9913050101100009", "bukan kode provinsi"),
    ("name", " ", "Nama lengkap wajib diisi."),
    ("sex", "X", "Pilih jenis kelamin."),
    ("religion", "Jedi", "Pilih agama."),
    ("marital_status", "", "Pilih status perkawinan."),
    ("rt", "1a", "RT harus angka"),
    ("rw", "0001", "RW harus angka"),
])
def test_bad_population_data_is_explained_and_nothing_is_saved(operator, db, field, value, message):
    html = error_page_html(operator.post("/operator/penduduk/baru", data=person(**{field: value})),
                           field, message)
    assert 'value="Kp. Sindang"' in html  # the rest of the form is kept
    assert Person.select().count() == 3


def test_a_duplicate_nik_is_refused_by_the_database(operator, db):
    response = operator.post("/operator/penduduk/baru",
                             data=person(nik=BUDI, birth_date="1990-08-15", sex="L"))
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar untuk penduduk lain" in response.get_data(as_text=True)
    assert Person.select().count() == 3


def test_operator_edits_a_person(operator, db):
    budi = Person.get(Person.nik == BUDI)
    form = operator.get(f"/operator/penduduk/{budi.id}").get_data(as_text=True)
    assert 'value="Budi Santoso"' in form and 'value="1990-08-15"' in form
    assert 'value="Petani"' in form
    data = person(nik=BUDI, birth_date="1990-08-15", sex="L", name="Budi Santoso, S.P.")
    assert operator.post(f"/operator/penduduk/{budi.id}", data=data).status_code == 303
    assert Person.get_by_id(budi.id).name == "Budi Santoso, S.P."
    assert Person.select().count() == 3


def test_editing_to_another_persons_nik_is_refused(operator, db):
    siti = Person.get(Person.nik == SITI)
    data = person(nik=BUDI, birth_date="1990-08-15", sex="L")
    response = operator.post(f"/operator/penduduk/{siti.id}", data=data)
    assert response.status_code == 422 and "sudah terdaftar" in response.get_data(as_text=True)
    assert Person.get_by_id(siti.id).name == "Siti Aminah"


def test_unknown_person_is_404(operator):
    assert operator.get("/operator/penduduk/999").status_code == 404


def test_nik_and_kk_fields_bring_up_the_number_pad(operator):
    html = operator.get("/operator/penduduk/baru").get_data(as_text=True)
    for name in ("nik", "kk_number"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'inputmode="numeric"' in field and 'autocomplete="off"' in field


@pytest.mark.parametrize("query, found, not_found", [
    ("3213055503", "Siti Aminah", "Budi Santoso"),
    ("hidayat", "Ahmad Hidayat", "Siti Aminah"),
    ("", "Budi Santoso", "Tidak ada penduduk"),
    ("0000", "Tidak ada penduduk dengan NIK atau nama", "Budi Santoso"),
])
def test_search_by_nik_prefix_or_name(operator, query, found, not_found):
    html = operator.post("/operator/penduduk/", data={"q": query}).get_data(as_text=True)
    assert found in html and not_found not in html


def test_people_are_listed_in_pages(operator, db):
    for i in range(30):
        Person.create(nik=f"32130501019{i:05d}", kk_number="3213050101100009",
                      name=f"Warga Uji {i:02d}", birth_place="Subang",
                      birth_date=datetime.date(1990, 1, 1), sex="L")
    search = "/operator/penduduk/"  # searched by POST: the pager sends the search again
    first = operator.post(search, data={"q": "Warga"}).get_data(as_text=True)
    assert first.count("Warga Uji") == 25 and "Halaman 1 dari 2" in first
    assert '<input type="hidden" name="q" value="Warga">' in first
    assert '<button class="link" name="halaman" value="2">' in first
    second = operator.post(search, data={"q": "Warga", "halaman": 2}).get_data(as_text=True)
    assert second.count("Warga Uji") == 5 and "Warga Uji 29" in second
    past_the_end = operator.post(search, data={"q": "Warga", "halaman": 99})
    assert past_the_end.get_data(as_text=True) == second
    everyone = operator.get(f"{search}?halaman=2").get_data(as_text=True)
    assert 'href="/operator/penduduk/?halaman=1"' in everyone  # the whole list pages by links


def test_error_summary_follows_the_order_of_the_form(operator):
    response = operator.post("/operator/penduduk/baru", data=person(nik="123", rw="x", name=""))
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</ul>")[0]
    assert summary.index('href="#nik"') < summary.index('href="#name"') < summary.index('href="#rw"')

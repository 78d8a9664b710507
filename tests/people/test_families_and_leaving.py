"""Families by KK (head first), residents who moved away or died (kept, no new letters), and
the search by name, NIK, RT/RW and dusun (by POST)."""
import datetime

import pytest

from balai.letters.models import LetterRequest
from balai.people.models import Person
from tests.support.village import BUDI, SITI, make_request


def member(nik, name, role, kk="3213050101100001", birth=datetime.date(1990, 1, 1)):
    return Person.create(nik=nik, kk_number=kk, name=name, birth_place="Subang",
                         birth_date=birth, sex="L", family_role=role)


def test_a_family_lists_the_head_first_then_by_shdk(operator, db):
    budi = Person.get(Person.nik == BUDI)
    member("3213050101150004", "Anak Budi", "Anak", birth=datetime.date(2015, 1, 1))
    member("3213054101920005", "Istri Budi", "Istri")
    Person.update(family_role="Kepala Keluarga").where(Person.id == budi.id).execute()
    page = operator.get(f"/operator/penduduk/{budi.id}/keluarga").get_data(as_text=True)
    order = [page.index(name) for name in ("Budi Santoso", "Istri Budi", "Anak Budi")]
    assert order == sorted(order) and "Kartu Keluarga 3213050101100001" in page
    assert BUDI not in operator.get(f"/operator/penduduk/{budi.id}/keluarga").request.url


@pytest.mark.parametrize("form, found, not_found", [
    ({"q": BUDI}, "Budi Santoso", "Siti Aminah"),
    ({"q": BUDI[:-1] + "9"}, "Tidak ada penduduk", "Budi Santoso"),
    ({"rt": "3", "rw": ""}, "Siti Aminah", "Budi Santoso"),
    ({"rw": "003"}, "Ahmad Hidayat", "Siti Aminah"),
    ({"dusun": "dusun ii"}, "Siti Aminah", "Ahmad Hidayat"),
    ({"q": "a", "dusun": "Dusun I"}, "Budi Santoso", "Siti Aminah"),
    ({"q": "Siti", "dusun": "Dusun I"}, "di wilayah itu", "Siti Aminah</a>"),
])
def test_search_by_name_nik_rt_rw_and_dusun(operator, form, found, not_found):
    html = operator.post("/operator/penduduk/", data=form).get_data(as_text=True)
    assert found in html and not_found not in html


def test_the_search_keeps_its_filters_in_the_pager_form(operator, db):
    for i in range(30):
        member(f"32130501019{i:05d}", f"Warga RT {i:02d}", "Anak", kk="3213050101100009")
    Person.update(rt="009").where(Person.name.startswith("Warga RT")).execute()
    html = operator.post("/operator/penduduk/", data={"rt": "009"}).get_data(as_text=True)
    assert '<input type="hidden" name="rt" value="009">' in html
    assert 'name="q"' in html and html.count("Warga RT") == 25


def test_the_operator_marks_a_resident_who_moved_away(operator, db):
    budi = Person.get(Person.nik == BUDI)
    form = {**{k: v for k, v in budi.__data__.items() if k not in ("id", "left_on")},
            "birth_date": "1990-08-15", "left_reason": "pindah", "left_on": ""}
    refused = operator.post(f"/operator/penduduk/{budi.id}", data=form)
    assert refused.status_code == 422
    assert "Isi tanggal pindah atau meninggal" in refused.get_data(as_text=True)
    saved = operator.post(f"/operator/penduduk/{budi.id}", data={**form, "left_on": "01-11-2026"})
    assert saved.status_code == 303
    budi = Person.get_by_id(budi.id)
    assert (budi.left_reason, budi.left_on) == ("pindah", datetime.date(2026, 11, 1))
    listed = operator.post("/operator/penduduk/", data={"q": BUDI}).get_data(as_text=True)
    assert "Budi Santoso</a> (pindah)" in listed  # still in the register of residents


def test_a_resident_who_died_can_request_no_letter(budi, db):
    draft = make_request()  # begun before the death was recorded
    Person.update(left_reason="meninggal", left_on=datetime.date(2026, 11, 2)).where(
        Person.nik == BUDI).execute()
    response = budi.get("/surat/baru", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "tercatat meninggal sejak 02-11-2026, jadi tidak dapat mengajukan surat lagi" in html
    assert response.request.path == "/surat"
    sent = budi.post(f"/surat/{draft.id}/ajukan", data={"version": draft.version},
                     follow_redirects=True)
    assert "tidak dapat mengajukan surat lagi" in sent.get_data(as_text=True)
    assert LetterRequest.get_by_id(draft.id).status == "draf"


def test_the_counter_cannot_file_for_someone_who_moved_away(kasipem, db):
    siti = Person.get(Person.nik == SITI)
    Person.update(left_reason="pindah", left_on=datetime.date(2026, 10, 1)).where(
        Person.id == siti.id).execute()
    response = kasipem.get(f"/surat/baru?penduduk={siti.id}")
    assert response.status_code == 303 and response.location.endswith("/loket")
    assert LetterRequest.select().where(LetterRequest.person == siti.id).count() == 0


def test_letters_issued_before_stay_in_the_register(operator, objects, db):
    Person.update(left_reason="meninggal", left_on=datetime.date(2026, 11, 2)).where(
        Person.nik == BUDI).execute()
    register = operator.get("/operator/register").get_data(as_text=True)
    assert "Budi Santoso" in register
    assert Person.select().where(Person.nik == BUDI).exists()

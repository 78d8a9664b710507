"""Letter types: list, add, edit with checked templates and lines, turn off."""
import pytest

from balai.letters.models import LetterType
from tests.support.forms import letter_type
from tests.support.village import error_page_html


def test_letter_types_are_listed(operator):
    html = operator.get("/operator/jenis-surat/").get_data(as_text=True)
    assert "Surat Keterangan Domisili" in html and "Kasi Kesra" in html and "180 hari" in html


def test_operator_adds_a_letter_type(operator, db):
    assert operator.post("/operator/jenis-surat/baru", data=letter_type()).status_code == 303
    added = LetterType.get(LetterType.slug == "surat-keterangan-kelahiran")
    assert (added.code, added.verifier, added.validity_days, added.active) == ("474.1", "kasi_kesra", 60, "1")
    assert added.requirements == [{"key": "ktp", "label": "Foto KTP orang tua", "mandatory": True},
                                  {"key": "bidan", "label": "Surat keterangan bidan", "mandatory": False}]
    assert added.extra_fields == [{"key": "nama_bayi", "label": "Nama bayi"},
                                  {"key": "hari_lahir", "label": "Hari lahir"}]


def test_edit_form_shows_the_lines_and_saves_changes(operator, db):
    usaha = LetterType.get(LetterType.slug == "usaha")
    html = operator.get(f"/operator/jenis-surat/{usaha.id}").get_data(as_text=True)
    assert "ktp|Foto KTP|wajib\nkk|Foto Kartu Keluarga|wajib\nfoto_usaha|Foto tempat usaha|opsional" in html
    assert "nama_usaha|Nama usaha" in html and "{{ jenis_usaha }}" in html
    data = letter_type(name="Surat Keterangan Usaha Mikro", requirements="ktp|KTP|wajib", extra_fields="",
                       body_template="Usaha milik {{ nama }}.")
    assert operator.post(f"/operator/jenis-surat/{usaha.id}", data=data).status_code == 303
    usaha = LetterType.get_by_id(usaha.id)
    assert usaha.name == "Surat Keterangan Usaha Mikro" and usaha.slug == "usaha"
    assert usaha.extra_fields == []
    assert usaha.requirements == [{"key": "ktp", "label": "KTP", "mandatory": True}]


@pytest.mark.parametrize("field, value, message", [
    ("body_template", "Untuk {{ nama }} dan {{ gaji }}.", "Isian tidak dikenal: gaji."),
    ("body_template", "Untuk {{ nama }", "Templat tidak dapat dibaca"),
    ("body_template", "", "Isi surat wajib diisi."),
    ("requirements", "ktp|Foto KTP", "Baris 1 harus ditulis kunci|Label|wajib"),
    ("requirements", "ktp|Foto KTP|wajib\nKTP baru|Foto|wajib", "Baris 2: kunci"),
    ("requirements", "ktp|A|wajib\nktp|B|opsional", "dipakai dua kali"),
    ("requirements", "ktp|Foto KTP|mungkin", "Baris 1 harus ditulis"),
    ("extra_fields", "nama-bayi|Nama bayi", "hanya boleh huruf kecil"),
    ("extra_fields", "nama|Nama", "Kunci sudah dipakai isian bawaan: nama."),
    ("verifier", "sekdes", "Pilih Kasi yang memeriksa."),
    ("validity_days", "tiga puluh", "Masa berlaku harus angka"),
    ("validity_days", "0", "Masa berlaku harus angka"),
])
def test_bad_letter_type_is_explained_and_not_saved(operator, db, field, value, message):
    response = operator.post("/operator/jenis-surat/baru", data=letter_type(**{field: value}))
    html = error_page_html(response, field, message)
    assert "474.1" in html  # what was typed is kept
    assert LetterType.select().count() == 8


def test_a_second_type_with_the_same_name_is_refused_by_the_database(operator, db):
    assert operator.post("/operator/jenis-surat/baru", data=letter_type()).status_code == 303
    again = operator.post("/operator/jenis-surat/baru", data=letter_type(name="Surat keterangan  KELAHIRAN"))
    assert again.status_code == 422
    assert "Sudah ada jenis surat dengan nama ini" in again.get_data(as_text=True)
    assert LetterType.select().count() == 9


def test_unknown_placeholder_message_lists_what_is_available(operator, db):
    html = operator.post("/operator/jenis-surat/baru",
                         data=letter_type(body_template="{{ gaji }}")).get_data(as_text=True)
    available = html.split("Isian yang tersedia:")[1].split("</")[0]
    for key in ("nama", "nik", "keperluan", "berlaku_sampai", "nama_bayi", "hari_lahir"):
        assert key in available


def test_a_letter_type_is_turned_off_and_on_not_deleted(operator, db):
    sim = LetterType.get(LetterType.slug == "pengantar-sim")
    assert operator.post(f"/operator/jenis-surat/{sim.id}/aktif").status_code == 303
    assert LetterType.get_by_id(sim.id).active == "0"
    assert sim not in list(LetterType.available())
    operator.post(f"/operator/jenis-surat/{sim.id}/aktif")
    assert LetterType.get_by_id(sim.id).active == "1"


def test_unknown_letter_type_is_404(operator):
    assert operator.get("/operator/jenis-surat/999").status_code == 404
    assert operator.post("/operator/jenis-surat/999/aktif").status_code == 404

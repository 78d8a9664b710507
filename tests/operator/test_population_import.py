"""Importing the population from CSV and XLSX: headers matched, rows checked and previewed,
then applied in one transaction; bad rows reported, re-imports update (huey immediate)."""
import datetime

import pytest

from balai.db import now
from balai.operator import population_import
from balai.operator.population_import import PopulationImport, StagedRow
from balai.people.models import Person
from balai.storage import documents
from tests.support.population_import import IMPORT, apply_latest, latest_import, upload
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows, xlsx_bytes


def people_named(prefix):
    return Person.select().where(Person.name.startswith(prefix))


@pytest.mark.parametrize("make, name", [(csv_bytes, "penduduk.csv"), (xlsx_bytes, "penduduk.xlsx")])
def test_a_file_with_common_headers_is_previewed_then_applied(operator, db, make, name):
    response = upload(operator, make([HEADER] + resident_rows(8)), name)
    batch = latest_import()
    assert response.status_code == 303 and response.location.endswith(f"/impor/{batch.id}")
    assert batch.status == "ready" and batch.counts == {"new": 8, "changed": 0, "unchanged": 0,
                                                         "invalid": 0}
    assert not people_named("Warga").exists()  # nothing written before the operator says so
    page = operator.get(response.location).get_data(as_text=True)
    assert "Baru: <strong>8</strong>" in page and "Terapkan 8 perubahan" in page
    assert apply_latest(operator).status == "applied"
    head = Person.get(Person.name == "Warga 00000")
    assert (head.family_role, head.rt, head.dusun, head.sex) == ("Kepala Keluarga", "001",
                                                                 "Dusun 1", "L")
    assert [p.family_role for p in Person.family(head.kk_number)] == [
        "Kepala Keluarga", "Istri", "Anak", "Anak"]
    assert StagedRow.select().count() == 0  # only rejected rows are kept after applying


def test_bad_rows_are_each_reported_and_nothing_is_written(operator, db):
    good = resident_rows(2)
    rows = [HEADER, *good,
            ["3.21305E+15", *good[0][1:]],
            ["12345", good[0][1], "=HYPERLINK(\"http://x\")", *good[0][3:]],
            [good[1][0], *good[1][1:]],  # the same NIK as row 3
            [good[0][0][:-4] + "9999", good[0][1], "", *good[0][3:]],
            [good[0][0][:-4] + "9998", good[0][1], "Tanpa Tanggal", "Subang", "31-02-1990",
             *good[0][5:]]]
    upload(operator, csv_bytes(rows))
    batch = latest_import()
    assert batch.counts == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 6}
    reasons = {row.line: row.reason for row in batch.staged("invalid")}
    assert "bentuk ilmiah" in reasons[4] and "3.21305E+15" in reasons[4]
    assert "NIK harus 16 angka" in reasons[5]
    assert "baris 6" in reasons[3] and "baris 3" in reasons[6]
    assert "Nama kosong" in reasons[7]
    assert "Tanggal lahir (31-02-1990) tidak dikenali" in reasons[8]
    assert not people_named("Warga").exists()
    rejected = operator.get(f"{IMPORT}{batch.id}/ditolak.csv")
    lines = rejected.get_data(as_text=True).splitlines()
    assert rejected.mimetype == "text/csv" and len(lines) == 1 + 6
    assert lines[0].lstrip("\ufeff").startswith("Baris,Alasan,NIK,No KK")
    assert "'=HYPERLINK" in rejected.get_data(as_text=True)  # stays text in a spreadsheet


def test_a_nik_stored_as_a_number_in_xlsx_is_refused_with_the_reason(operator, db):
    row = resident_rows(1)[0]
    upload(operator, xlsx_bytes([HEADER, [3213051708900000, *row[1:]]]), "angka.xlsx")
    (rejected,) = latest_import().staged("invalid")
    assert "NIK tersimpan sebagai angka" in rejected.reason


@pytest.mark.parametrize("cell", ["15-08-1990", "15/08/1990", "1990-08-15", "33100",
                                  datetime.date(1990, 8, 15)])
def test_dates_in_the_forms_spreadsheets_hold(operator, db, cell):
    row = resident_rows(1)[0]
    row[0], row[4] = "3213051508900001", cell
    upload(operator, xlsx_bytes([HEADER, row]), "tanggal.xlsx")
    apply_latest(operator)
    assert Person.get(Person.nik == "3213051508900001").birth_date == datetime.date(1990, 8, 15)


def test_other_headers_are_mapped_by_hand(operator, db):
    rows = [["Nomor Identitas", "Keluarga", "Warga", "Lahir di", "Hari lahir", "Kelamin"]]
    rows += [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in resident_rows(3)]
    response = upload(operator, xlsx_bytes(rows), "lain.xlsx")
    batch = latest_import()
    assert response.location.endswith(f"/impor/{batch.id}/kolom") and batch.status == "mapping"
    page = operator.get(response.location).get_data(as_text=True)
    assert 'Kolom 1: "Nomor Identitas"' in page and "Abaikan" in page
    half = {"kolom-0": "nik", "kolom-2": "name"}
    refused = operator.post(response.location, data=half)
    assert refused.status_code == 422
    assert "Pilih kolom untuk Nomor KK" in refused.get_data(as_text=True)
    twice = operator.post(response.location, data={**half, "kolom-1": "name"})
    assert "Nama lengkap dipilih untuk lebih dari satu kolom" in twice.get_data(as_text=True)
    chosen = {"kolom-0": "nik", "kolom-1": "kk_number", "kolom-2": "name",
              "kolom-3": "birth_place", "kolom-4": "birth_date", "kolom-5": ""}
    assert operator.post(response.location, data=chosen).status_code == 303
    assert PopulationImport.get_by_id(batch.id).counts["new"] == 3
    preview = operator.get(f"{IMPORT}{batch.id}").get_data(as_text=True)
    assert "Kolom yang tidak dipakai: Kelamin." in preview
    apply_latest(operator)
    assert people_named("Warga").count() == 3


def test_a_re_import_updates_instead_of_duplicating(operator, db):
    rows = resident_rows(5)
    upload(operator, csv_bytes([HEADER] + rows))
    apply_latest(operator)
    rows[1][11], rows[1][6] = "007", "Kristen"  # RT and religion change
    rows.append(resident_rows(1, start=5)[0])
    upload(operator, csv_bytes([HEADER] + rows))
    batch = latest_import()
    assert batch.counts == {"new": 1, "changed": 1, "unchanged": 4, "invalid": 0}
    (changed,) = batch.staged("changed")
    assert sorted(changed.change_labels) == [("Agama", "Islam", "Kristen"), ("RT", "001", "007")]
    page = operator.get(f"{IMPORT}{batch.id}").get_data(as_text=True)
    assert "RT: 001 &rarr; 007" in page
    apply_latest(operator)
    assert people_named("Warga").count() == 6
    assert Person.get(Person.nik == rows[1][0]).religion == "Kristen"


def test_a_failure_while_applying_writes_nothing(operator, db, monkeypatch):
    rows = resident_rows(3)
    upload(operator, csv_bytes([HEADER] + rows))
    apply_latest(operator)
    rows[0][2] = "Nama Baru"
    rows += resident_rows(2, start=3)
    upload(operator, csv_bytes([HEADER] + rows))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(population_import, "update_all", broken)  # after the inserts
    batch = apply_latest(operator)
    assert batch.status == "failed" and "tidak ada data yang diubah" in batch.message
    assert Person.get(Person.nik == rows[0][0]).name == "Warga 00000"  # its update undone too
    assert people_named("Warga").count() == 3


@pytest.mark.parametrize("data, message", [
    (b"", "Pilih berkas CSV atau Excel"),
    (csv_bytes([HEADER]), "tidak berisi data penduduk"),
    (xlsx_bytes([HEADER]), "tidak berisi data penduduk"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "bukan spreadsheet"),
    (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "bukan spreadsheet"),
    (b"PK\x03\x04not really a workbook", "bukan spreadsheet"),
])
def test_empty_files_and_files_that_are_not_spreadsheets_are_refused(operator, db, data,
                                                                      message):
    response = upload(operator, data, "berkas.xlsx")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert PopulationImport.select().count() == 0


def test_the_opensid_layout_is_recognised_without_a_manual_step(operator, db):
    """OpenSID's penduduk import template: its column names, codes in the coded columns, a
    "Kode Data" sheet, and "###" in dusun after the last row (donjo-app/models/Impor_model.php)."""
    header = ["alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir",
              "tanggallahir", "agama_id", "pendidikan_kk_id", "pendidikan_sedang_id",
              "pekerjaan_id", "status_kawin", "kk_level", "warganegara_id", "ayah_nik",
              "nama_ayah", "ibu_nik", "nama_ibu", "golongan_darah_id", "akta_lahir",
              "dokumen_pasport", "tanggal_akhir_paspor", "dokumen_kitas", "akta_perkawinan",
              "tanggalperkawinan", "akta_perceraian", "tanggalperceraian", "cacat_id",
              "cara_kb_id", "hamil", "ktp_el", "status_rekam", "alamat_sekarang",
              "status_dasar"]

    def row(nik, name, sex, level, status, agama="1", job="9"):
        values = {"alamat": "Kp. Sukamaju", "dusun": "KRAJAN", "rw": "2", "rt": "5",
                  "nama": name, "no_kk": "'3213050101200001", "nik": f"'{nik}", "sex": sex,
                  "tempatlahir": "SUBANG", "tanggallahir": "17-08-1975", "agama_id": agama,
                  "pekerjaan_id": job, "status_kawin": "2", "kk_level": level,
                  "warganegara_id": "1", "status_dasar": status}
        return [values.get(column, "") for column in header]
    rows = [header, row("3213051708750001", "ASEP SUNANDAR", "1", "1", "1"),
            row("3213055708750002", "IMAS", "2", "3", "2", agama="ISLAM", job="2"),
            ["", "###"], row("3213051708750003", "SESUDAH AKHIR", "1", "4", "1")]
    sheets = {"Data Penduduk": rows, "Kode Data": [["Kode", "Arti"], ["1", "Islam"]]}
    response = upload(operator, xlsx_bytes(None, sheets=sheets), "format_impor_opensid.xlsx")
    batch = latest_import()
    assert batch.opensid and batch.status == "ready" and batch.counts["new"] == 2
    assert "format impor penduduk OpenSID" in operator.get(response.location).get_data(
        as_text=True)
    apply_latest(operator)
    asep, imas = Person.get(Person.name == "ASEP SUNANDAR"), Person.get(Person.name == "IMAS")
    assert (asep.sex, asep.religion, asep.occupation, asep.marital_status, asep.family_role,
            asep.rt, asep.rw, asep.dusun, asep.kk_number, asep.has_left) == (
        "L", "Islam", "Petani/Pekebun", "Kawin", "Kepala Keluarga", "005", "002", "KRAJAN",
        "3213050101200001", False)
    assert (imas.sex, imas.family_role, imas.occupation, imas.left_reason) == (
        "P", "Istri", "Mengurus Rumah Tangga", "meninggal")
    assert imas.left_on is not None  # the day of the import: the template has no date
    assert not Person.select().where(Person.name == "SESUDAH AKHIR").exists()


def test_the_progress_bar_polls_with_htmx_and_reloads_without(operator, db):
    upload(operator, csv_bytes([HEADER] + resident_rows(2)))
    batch = latest_import()
    PopulationImport.update(status="staging", total_rows=2, done_rows=1).execute()
    page = operator.get(f"{IMPORT}{batch.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'hx-trigger="every 1s"' in page and "Muat ulang halaman ini" in page
    polled = operator.get(f"{IMPORT}{batch.id}/kemajuan", headers={"HX-Request": "true"})
    html = polled.get_data(as_text=True)
    assert "<html" not in html and 'value="50"' in html and "1 dari 2 baris" in html
    PopulationImport.update(status="ready").execute()
    done = operator.get(f"{IMPORT}{batch.id}/kemajuan", headers={"HX-Request": "true"})
    assert done.status_code == 204 and done.headers["HX-Redirect"] == f"{IMPORT}{batch.id}"
    assert "refresh" not in operator.get(f"{IMPORT}{batch.id}").get_data(as_text=True)


def test_cancelling_drops_the_staged_rows(operator, db):
    upload(operator, csv_bytes([HEADER] + resident_rows(3)))
    batch = latest_import()
    assert operator.post(f"{IMPORT}{batch.id}/batalkan").status_code == 303
    assert PopulationImport.get_by_id(batch.id).status == "cancelled"
    assert StagedRow.select().count() == 0
    assert operator.post(f"{IMPORT}{batch.id}/terapkan").status_code == 303
    assert not people_named("Warga").exists()


def test_the_preview_points_out_families_without_one_head(operator, db):
    rows = resident_rows(8)  # two families of four, each head first
    rows[0][14], rows[5][14] = "Anak", "Kepala Keluarga"
    upload(operator, csv_bytes([HEADER] + rows))
    batch = latest_import()
    assert batch.notes == [
        f"1 KK di berkas ini tanpa kepala keluarga: {rows[0][1]}. Periksa kolom SHDK-nya; "
        "datanya tetap bisa diterapkan.",
        f"1 KK di berkas ini dengan lebih dari satu kepala keluarga: {rows[4][1]}. Periksa "
        "kolom SHDK-nya; datanya tetap bisa diterapkan."]
    assert batch.notes[0] in operator.get(f"{IMPORT}{batch.id}").get_data(as_text=True)
    assert batch.counts["new"] == 8  # a note, not a refusal


def test_an_old_imports_rows_and_file_are_forgotten_by_the_worker(app, operator, db):
    upload(operator, csv_bytes([HEADER] + resident_rows(3) + [["123", "", ""]]))
    apply_latest(operator)
    upload(operator, csv_bytes([HEADER] + resident_rows(2, start=3)))  # previewed, never applied
    applied, waiting = PopulationImport.select().order_by(PopulationImport.id)
    assert StagedRow.select().count() == 1 + 2 and documents(app).exists(waiting.file_key)
    app.extensions["queue"].recover()  # nothing is old enough yet
    assert StagedRow.select().count() == 3
    PopulationImport.update(created_at=now() - datetime.timedelta(days=31)).execute()
    app.extensions["queue"].recover()  # what the worker runs at start and at every sweep
    assert StagedRow.select().count() == 0 and not documents(app).exists(waiting.file_key)
    statuses = [batch.status for batch in PopulationImport.select().order_by(PopulationImport.id)]
    assert statuses == ["applied", "cancelled"]
    assert PopulationImport.get_by_id(applied.id).counts["new"] == 3  # the record stays

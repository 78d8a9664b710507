"""Reading a population spreadsheet's headers and cells: what villages' files hold."""
import datetime

import pytest

from balai.operator.columns import is_opensid, mapping_problems, match_headers
from balai.operator.row_values import date_of, number_error, record_values
from balai.operator.spreadsheet import SpreadsheetError, read_rows
from tests.support.spreadsheets import csv_bytes

TODAY = datetime.date(2026, 12, 5)


def test_the_headers_villages_use_are_matched_by_themselves():
    header = ["NIK", "NO. KK", "NAMA LENGKAP", "TEMPAT LAHIR", "TGL LAHIR", "L/P", "AGAMA",
              "STATUS KAWIN", "PEKERJAAN", "ALAMAT", "RT", "RW", "DUSUN", "SHDK", "Catatan"]
    mapping = match_headers(header)
    assert mapping == {0: "nik", 1: "kk_number", 2: "name", 3: "birth_place", 4: "birth_date",
                       5: "sex", 6: "religion", 7: "marital_status", 8: "occupation",
                       9: "address", 10: "rt", 11: "rw", 12: "dusun", 13: "family_role"}
    assert match_headers(["JK"]) == {0: "sex"} and not is_opensid(header)
    assert mapping_problems(header, {str(i): f for i, f in mapping.items()}) == []


def test_two_columns_for_one_field_or_a_missing_one_ask_the_operator():
    header = ["NIK", "Nama", "Nama Lengkap", "Tgl Lahir"]
    mapping = {str(i): f for i, f in match_headers(header).items()}
    assert "name" not in mapping.values()  # which one is meant is not clear
    assert mapping_problems(header, mapping) == [
        "Pilih kolom untuk Nomor KK: kolom ini wajib.",
        "Pilih kolom untuk Nama lengkap: kolom ini wajib."]


@pytest.mark.parametrize("cell, date", [
    ("15-08-1990", datetime.date(1990, 8, 15)), ("15/08/1990", datetime.date(1990, 8, 15)),
    ("1990-08-15", datetime.date(1990, 8, 15)), ("33100", datetime.date(1990, 8, 15)),
    (33100.0, datetime.date(1990, 8, 15)), (datetime.datetime(1990, 8, 15, 0, 0),
                                            datetime.date(1990, 8, 15)),
    ("'15-08-1990", datetime.date(1990, 8, 15)), ("1990", None), ("15 Agustus", None),
    ("31-02-1990", None), ("", None),
])
def test_dates_in_the_forms_spreadsheets_hold(cell, date):
    assert date_of(cell) == date


@pytest.mark.parametrize("cell, refused", [
    ("3.21305E+15", "bentuk ilmiah"), ("3,21305E+15", "bentuk ilmiah"),
    (3213051508900000.0, "tersimpan sebagai angka"), ("'3213051508900001", None),
    ("3213051508900001", None),
])
def test_a_nik_that_a_spreadsheet_mangled_is_refused_with_the_reason(cell, refused):
    problem = number_error(cell, "NIK")
    assert (refused in problem) if refused else problem is None


def test_a_row_without_sex_takes_it_from_the_nik_and_codes_become_words():
    values, reasons = record_values({"nik": "3213055508900002", "kk_number": "3213050101100001",
                                     "name": "  Siti   Aminah ", "birth_date": "15-08-1990",
                                     "religion": "4", "family_role": "istri", "rt": "5"}, TODAY)
    assert reasons == []
    assert (values["sex"], values["name"], values["religion"], values["family_role"],
            values["rt"]) == ("P", "Siti Aminah", "Hindu", "Istri", "005")


def test_semicolon_csv_from_excel_in_windows_1252_is_read():
    data = "NIK;Nama\n3213051508900001;José\n".encode("cp1252")
    assert read_rows(data) == [["NIK", "Nama"], ["3213051508900001", "José"]]
    assert read_rows(csv_bytes([["NIK"], [""], ["1"]])) == [["NIK"], ["1"]]  # blank rows dropped
    with pytest.raises(SpreadsheetError):
        read_rows(b"\x00\x01\x02binary")

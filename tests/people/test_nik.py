"""NIK checks: 16 ASCII digits, a province code, a real birth date (women's day + 40)."""
import datetime

import pytest

from balai.people.nik import birth_date_from_nik, kk_error, nik_error


@pytest.mark.parametrize("nik", [
    "3213051508900001",  # a man born 15-08-1990
    "3213055503920002",  # a woman born 15-03-1992: day + 40
    "9171010101000001",  # Papua, before the 2022 split
    "9571016912050001",  # Papua Pegunungan, after it; 29-12-2005
    " 3213051508900001 ",  # spaces around a pasted number
    "3273012902000003",  # 29 February of a leap year
])
def test_real_niks_are_accepted(nik):
    assert nik_error(nik) is None


@pytest.mark.parametrize("nik, message", [
    ("", "NIK wajib diisi."),
    (None, "NIK wajib diisi."),
    ("321305150890000", "NIK harus 16 angka (yang Anda isi 15 angka)."),
    ("32130515089000011", "NIK harus 16 angka (yang Anda isi 17 angka)."),
    ("32130515089O0001", "NIK hanya boleh berisi angka."),
    ("3213-0515-0890-0001", "NIK hanya boleh berisi angka."),
    ("３２１３０５１５０８９０００１", "NIK hanya boleh berisi angka."),  # full-width digits
    ("٣٢١٣٠٥١٥٠٨٩٠٠٠٠١", "NIK hanya boleh berisi angka."),  # Arabic-Indic digits
    ("0013051508900001", "bukan kode provinsi"),
    ("9913051508900001", "bukan kode provinsi"),
    ("3213053213900001", "tidak valid"),  # month 13
    ("3213053002900001", "tidak valid"),  # 30 February
    ("3213057202900001", "tidak valid"),  # a woman's 32 February
    ("3213050001900001", "tidak valid"),  # day 0
    ("3213052902010001", "tidak valid"),  # 29 February 2001
])
def test_bad_niks_are_explained(nik, message):
    assert message in nik_error(nik)


def test_the_birth_date_reads_womens_days_and_the_century():
    assert birth_date_from_nik("3213055503920002") == datetime.date(1992, 3, 15)
    assert birth_date_from_nik("3213051508900001") == datetime.date(1990, 8, 15)
    assert birth_date_from_nik("3213051508050001") == datetime.date(2005, 8, 15)
    next_year = (datetime.date.today().year + 1) % 100
    assert birth_date_from_nik(f"3213051508{next_year:02d}0001").year < 2000  # not yet born


@pytest.mark.parametrize("kk, ok", [("3213050101100001", True), ("321305010110000", False),
                                    ("32130501011000AB", False), ("9913050101100001", False),
                                    ("", False)])
def test_kk_numbers(kk, ok):
    assert (kk_error(kk) is None) == ok

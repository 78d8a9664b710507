"""NIK (Nomor Induk Kependudukan) checks: 16 digits, a known province, a real birth date."""
import datetime

# Kemendagri province codes, including the Papua codes used before and after the 2022 split.
PROVINCES = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung",
    "19": "Kepulauan Bangka Belitung", "21": "Kepulauan Riau", "31": "DKI Jakarta",
    "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta", "35": "Jawa Timur",
    "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara",
    "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara",
    "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah",
    "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}


def nik_error(value):
    """Return a message in Bahasa Indonesia saying what is wrong with a NIK, or None."""
    value = (value or "").strip()
    if not value:
        return "NIK wajib diisi."
    if not value.isdigit() or not value.isascii():
        return "NIK hanya boleh berisi angka."
    if len(value) != 16:
        return f"NIK harus 16 angka (yang Anda isi {len(value)} angka)."
    if value[:2] not in PROVINCES:
        return "Dua angka pertama NIK bukan kode provinsi. Periksa lagi NIK Anda."
    if birth_date_from_nik(value) is None:
        return "Angka tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) tidak valid."
    return None


def birth_date_from_nik(value):
    """The birth date encoded in digits 7-12 (women's day + 40), or None if it is not a date.

    The two-digit year is read as the most recent year not in the future."""
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    this_year = datetime.date.today().year
    year = 2000 + yy if 2000 + yy <= this_year else 1900 + yy
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def kk_error(value):
    value = (value or "").strip()
    if not value:
        return "Nomor KK wajib diisi."
    if not value.isdigit() or not value.isascii() or len(value) != 16:
        return "Nomor KK harus 16 angka."
    if value[:2] not in PROVINCES:
        return "Dua angka pertama nomor KK bukan kode provinsi."
    return None

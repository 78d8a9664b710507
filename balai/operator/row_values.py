"""One spreadsheet row as the values of a population record, or the reasons it cannot be one.

Spreadsheets hold what people typed and what Excel made of it: NIKs as text, as numbers (whose
16th digit Excel has already rounded away) or in scientific form (3.21305E+15), dates as
15-08-1990, 15/08/1990, 1990-08-15, a date cell or an Excel serial number (32735), and the
coded columns as words or as OpenSID's codes."""
import datetime
import re

from balai.operator.columns import OPENSID_CODES
from balai.people.models import Person
from balai.people.nik import kk_error, nik_error

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year bug kept)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%y",
                "%d/%m/%y")
SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")
TEXT_FIELDS = ("name", "birth_place", "occupation", "address", "rt", "rw", "dusun")
WORDS = {
    "sex": {"l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "pria": "L", "p": "P",
            "pr": "P", "perempuan": "P", "wanita": "P"},
    "religion": {**{r.lower().replace(" ", ""): r for r in Person.RELIGIONS},
                 "katholik": "Katolik", "budha": "Buddha", "khonghucu": "Konghucu",
                 "konghuchu": "Konghucu", "kepercayaan": "Kepercayaan terhadap Tuhan YME"},
    "marital_status": {**{m.lower().replace(" ", ""): m for m in Person.MARITAL_STATUSES},
                       "bk": "Belum Kawin", "k": "Kawin", "ch": "Cerai Hidup",
                       "cm": "Cerai Mati", "kawintercatat": "Kawin",
                       "kawinbelumtercatat": "Kawin", "janda": "Cerai Hidup",
                       "duda": "Cerai Hidup"},
    "family_role": {**{r.lower().replace(" ", ""): r for r in Person.FAMILY_ROLES},
                    "kk": "Kepala Keluarga", "kepalakk": "Kepala Keluarga", "isteri": "Istri",
                    "orangtua": "Orang Tua", "familylain": "Famili Lain"},
    "status": {"hidup": "", "aktif": "", "ada": "", "pindah": "pindah",
               "pindahkeluar": "pindah", "pindahdalamnegeri": "pindah",
               "pindahluarnegeri": "pindah", "pergi": "pindah", "meninggal": "meninggal",
               "mati": "meninggal", "wafat": "meninggal", "meninggaldunia": "meninggal"},
}
CHOICE_LABELS = {"sex": "Jenis kelamin", "religion": "Agama",
                 "marital_status": "Status perkawinan", "family_role": "Hubungan dalam keluarga",
                 "status": "Status"}


def text_of(value):
    """A cell as text: a whole number without ".0", a leading apostrophe dropped."""
    if value.__class__ is str:  # most cells: spared the general path below
        text = value.strip()
        if "  " in text or "\t" in text or "\n" in text:
            text = " ".join(text.split())
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split())
    return text[1:].strip() if text.startswith("'") else text


def number_error(value, label):
    """Why a NIK or KK cell cannot be trusted as it stands, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 1e14:
        return (f"{label} tersimpan sebagai angka, dan Excel membulatkan angka ke-16. Ubah kolom "
                f"{label} menjadi Teks, lalu ketik ulang {label} dari KK atau KTP.")
    if SCIENTIFIC.match(text_of(value)):
        return (f"{label} berubah menjadi {text_of(value)} (bentuk ilmiah Excel): angka aslinya "
                f"hilang. Ubah kolom {label} menjadi Teks, lalu ketik ulang {label} dari KK atau "
                "KTP.")
    return None


def digits_of(value):
    """A NIK or KK as typed, without the spaces, dots and invisible characters files carry."""
    return re.sub(r"[\s.\u200b\ufeff-]", "", text_of(value))


def date_of(value):
    """A date from a cell: a date, an Excel serial number or text in a form spreadsheets use."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = text_of(value)
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):  # an Excel serial number, but not a bare year
        serial = int(float(text))
        return None if 1800 <= serial <= 2200 else EXCEL_EPOCH + datetime.timedelta(days=serial)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.split(" ")[0], fmt).date()
        except ValueError:
            continue
    return None


def choice(field, value, errors):
    """A coded column's value as Balai stores it: from its words or its OpenSID code."""
    text = text_of(value)
    if not text or text == "-":
        return None
    key = re.sub(r"[^a-z0-9]", "", text.lower())
    found = OPENSID_CODES.get(field, {}).get(key) if key.isdigit() else WORDS[field].get(key)
    if found is None:
        errors.append(f"{CHOICE_LABELS[field]} \"{text}\" tidak dikenal.")
    return found


def record_values(cells, today):
    """(values, reasons): the record's fields from {field: cell}; reasons is empty when valid."""
    errors, values = [], {}
    for field, label, check in (("nik", "NIK", nik_error), ("kk_number", "Nomor KK", kk_error)):
        cell = cells.get(field)
        values[field] = digits_of(cell)
        problem = number_error(cell, label) or check(values[field])
        if problem:
            errors.append(problem if problem.startswith(label) else f"{label}: {problem}")
    for field in TEXT_FIELDS:
        values[field] = text_of(cells.get(field))[:255]
    for field in ("rt", "rw"):  # as the form keeps them: 001; OpenSID's "-" is none
        value = values[field]
        values[field] = value.zfill(3) if value.isdigit() and len(value) <= 3 else (
            "" if value == "-" else value)
    if not values["name"]:
        errors.append("Nama kosong.")
    values["birth_date"] = birth_date = date_of(cells.get("birth_date"))
    if birth_date is None or not datetime.date(1880, 1, 1) <= birth_date <= today:
        shown = text_of(cells.get("birth_date")) or "kosong"
        errors.append(f"Tanggal lahir ({shown}) tidak dikenali. Tulis misalnya 15-08-1990.")
    for field in ("sex", "religion", "marital_status", "family_role"):
        values[field] = choice(field, cells.get(field), errors) or ""
    if not values["sex"] and len(values["nik"]) == 16 and values["nik"][6:8].isdigit():
        values["sex"] = "P" if int(values["nik"][6:8]) > 40 else "L"  # as the NIK says
    values["citizenship"] = citizenship(cells.get("citizenship"))
    values["occupation"] = (OPENSID_CODES["occupation"].get(values["occupation"])
                            or values["occupation"])
    values["left_reason"] = choice("status", cells.get("status"), errors) or ""
    values["left_on"] = None
    if values["left_reason"]:
        values["left_on"] = date_of(cells.get("left_on")) or today
    return values, errors


def citizenship(value):
    text = text_of(value)
    return OPENSID_CODES["citizenship"].get(text) or text.upper() or "WNI"

"""The operator's forms for people: population records and officials' accounts.

Each returns (errors, values) for the view."""
import re

from balai.people.models import Person
from balai.people.nik import birth_date_from_nik, kk_error, nik_error
from balai.people.passwords import password_error
from balai.web.access import OFFICIAL_ROLES
from balai.web.forms import in_order, parse_date, required, text

PERSON_ORDER = ("nik", "kk_number", "name", "birth_place", "birth_date", "sex", "religion",
                "marital_status", "occupation", "citizenship", "address", "rt", "rw", "dusun",
                "family_role", "left_reason", "left_on")
PERSON_LABELS = {"name": "Nama lengkap", "birth_place": "Tempat lahir",
                 "occupation": "Pekerjaan", "citizenship": "Kewarganegaraan",
                 "address": "Alamat"}
PERSON_TEXT = ("name", "birth_place", "occupation", "citizenship", "address", "dusun")


def person_form(form):
    """A population record's values, checked: NIK, KK, birth date agreeing with the NIK, etc."""
    errors = {}
    values = required(form, PERSON_TEXT, errors, PERSON_LABELS)
    values["nik"], values["kk_number"] = text(form, "nik"), text(form, "kk_number")
    for name, check in (("nik", nik_error), ("kk_number", kk_error)):
        if message := check(values[name]):
            errors[name] = message
    values["birth_date"] = parse_date(form.get("birth_date"))
    if values["birth_date"] is None:
        errors["birth_date"] = "Isi tanggal lahir, misalnya 17-08-1990."
    elif "nik" not in errors and not nik_agrees(values["nik"], values["birth_date"]):
        errors["birth_date"] = ("Tanggal lahir tidak cocok dengan NIK (angka ke-7 sampai ke-12). "
                                "Periksa lagi NIK atau tanggal lahirnya.")
    for name, choices, message in (
            ("sex", Person.SEXES, "Pilih jenis kelamin."),
            ("religion", Person.RELIGIONS, "Pilih agama."),
            ("marital_status", Person.MARITAL_STATUSES, "Pilih status perkawinan.")):
        values[name] = text(form, name)
        if values[name] not in choices:
            errors[name] = message
    leaving(form, values, errors)
    for name, label in (("rt", "RT"), ("rw", "RW")):
        values[name] = text(form, name)
        if not (values[name].isdigit() and values[name].isascii() and len(values[name]) <= 3):
            errors[name] = f"{label} harus angka, paling banyak 3 angka, misalnya 001."
        else:
            values[name] = values[name].zfill(3)
    return in_order(errors, PERSON_ORDER), values


def leaving(form, values, errors):
    """The SHDK, and whether (and since when) the person moved away or died."""
    values["family_role"] = text(form, "family_role")
    if values["family_role"] and values["family_role"] not in Person.FAMILY_ROLES:
        errors["family_role"] = "Pilih hubungan dalam keluarga."
    values["left_reason"] = text(form, "left_reason")
    values["left_on"] = parse_date(form.get("left_on")) if values["left_reason"] else None
    if values["left_reason"] and values["left_reason"] not in Person.LEFT_REASONS:
        errors["left_reason"] = "Pilih pindah atau meninggal, atau kosongkan."
    elif values["left_reason"] and values["left_on"] is None:
        errors["left_on"] = "Isi tanggal pindah atau meninggal, misalnya 17-08-2024."


def nik_agrees(nik, birth_date):
    """The NIK's birth-date part (day, month, two-digit year) matches the birth date."""
    from_nik = birth_date_from_nik(nik)
    return (from_nik.day, from_nik.month, from_nik.year % 100) == (
        birth_date.day, birth_date.month, birth_date.year % 100)


OFFICIAL_LABELS = {"username": "Nama pengguna", "full_name": "Nama lengkap"}
USERNAME_TAKEN = "Nama pengguna ini sudah dipakai. Pilih nama lain."
USERNAME_RULE = "Nama pengguna 3-32 huruf kecil, angka, titik atau garis bawah, diawali huruf."


def username_error(username):
    """Usernames start with a letter: a login starting with a digit is read as a NIK."""
    return None if re.fullmatch(r"[a-z][a-z0-9_.]{2,31}", username) else USERNAME_RULE


def official_form(form, role=None):
    """An official's account, checked; `role` when the page makes that role alone (no choice)."""
    errors = {}
    values = required(form, ("username", "full_name"), errors, OFFICIAL_LABELS)
    values["role"] = role or text(form, "role")
    values["username"] = values["username"].lower()
    if values["username"] and username_error(values["username"]):
        errors["username"] = USERNAME_RULE
    if values["role"] not in OFFICIAL_ROLES:
        errors["role"] = "Pilih jabatan."
    values["password"] = form.get("password") or ""
    if message := password_error(values["password"], values["username"]):
        errors["password"] = message
    return errors, values


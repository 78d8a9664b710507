"""Reading and checking the operator's forms: each returns (errors, values) for the view."""
import io
import re
import secrets
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import Image, UnidentifiedImageError

from forms import parse_date
from letter_text import BODY_PLACEHOLDERS, body_template_error, number_format_error
from models.people import OFFICIAL_ROLES, Person, Village
from nik import birth_date_from_nik, kk_error, nik_error

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_MAX_SIDE = 600  # plenty for a kop surat; keeps letters small
PASSWORD_MIN = 8
VERIFIERS = {"kasi_pem": "Kasi Pemerintahan", "kasi_kesra": "Kasi Kesejahteraan Rakyat"}


def _text(form, name):
    return (form.get(name) or "").strip()


def _required(form, names, errors, labels):
    """The stripped values of these fields; an empty one gets "<label> wajib diisi."."""
    values = {name: _text(form, name) for name in names}
    for name in names:
        if name in labels and not values[name]:
            errors[name] = f"{labels[name]} wajib diisi."
    return values


def _in_order(errors, names):
    """Errors in the order the fields stand on the page, so the summary reads top to bottom."""
    return {name: errors[name] for name in names if name in errors}


PERSON_ORDER = ("nik", "kk_number", "name", "birth_place", "birth_date", "sex", "religion",
                "marital_status", "occupation", "citizenship", "address", "rt", "rw", "dusun")
PERSON_LABELS = {"name": "Nama lengkap", "birth_place": "Tempat lahir",
                 "occupation": "Pekerjaan", "citizenship": "Kewarganegaraan",
                 "address": "Alamat"}
PERSON_TEXT = ("name", "birth_place", "occupation", "citizenship", "address", "dusun")


def person_form(form):
    """A population record's values, checked: NIK, KK, birth date agreeing with the NIK, etc."""
    errors = {}
    values = _required(form, PERSON_TEXT, errors, PERSON_LABELS)
    values["nik"], values["kk_number"] = _text(form, "nik"), _text(form, "kk_number")
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
        values[name] = _text(form, name)
        if values[name] not in choices:
            errors[name] = message
    for name, label in (("rt", "RT"), ("rw", "RW")):
        values[name] = _text(form, name)
        if not (values[name].isdigit() and values[name].isascii() and len(values[name]) <= 3):
            errors[name] = f"{label} harus angka, paling banyak 3 angka, misalnya 001."
        else:
            values[name] = values[name].zfill(3)
    return _in_order(errors, PERSON_ORDER), values


def nik_agrees(nik, birth_date):
    """The NIK's birth-date part (day, month, two-digit year) matches the birth date."""
    from_nik = birth_date_from_nik(nik)
    return (from_nik.day, from_nik.month, from_nik.year % 100) == (
        birth_date.day, birth_date.month, birth_date.year % 100)


VILLAGE_LABELS = {"name": "Nama desa", "kecamatan": "Kecamatan", "kabupaten": "Kabupaten",
                  "provinsi": "Provinsi", "kode_desa": "Kode desa", "kades_name": "Nama Kepala Desa"}
VILLAGE_TEXT = ("name", "kecamatan", "kabupaten", "provinsi", "kode_desa", "address", "kades_name",
                "phone", "email", "paper", "timezone", "public_url", "number_format")


def village_form(form, logo, upload_dir):
    """The profile's values; a new logo is stored only when everything else is right."""
    errors = {}
    values = _required(form, VILLAGE_TEXT, errors, VILLAGE_LABELS)
    if values["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
        errors["email"] = "Alamat e-mail tidak valid, misalnya pemdes@desa.id."
    if values["paper"] not in Village.PAPERS:
        errors["paper"] = "Pilih ukuran kertas A4 atau F4."
    if not valid_timezone(values["timezone"]):
        errors["timezone"] = "Zona waktu tidak dikenal. Contoh: Asia/Jakarta, Asia/Makassar, Asia/Jayapura."
    url = urlparse(values["public_url"])
    if url.scheme not in ("http", "https") or not url.netloc:
        errors["public_url"] = ("Alamat publik harus diawali http:// atau https://, "
                                "misalnya https://sukamaju.desa.id.")
    values["public_url"] = values["public_url"].rstrip("/")
    if message := number_format_error(values["number_format"]):
        errors["number_format"] = message
    if logo and logo.filename and not errors:
        logo_error, name = save_logo(logo, upload_dir)
        if logo_error:
            errors["logo"] = logo_error
        values["logo"] = name
    return errors, values


def valid_timezone(name):
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def save_logo(upload, upload_dir):
    """(error, file name): a PNG or JPEG by its content, re-encoded, under a random name."""
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        return "Logo terlalu besar. Paling besar 1 MB.", None
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ("PNG", "JPEG"):
            return "Logo harus gambar PNG atau JPEG.", None
        if image.width * image.height > LOGO_MAX_PIXELS:
            return "Gambar logo terlalu lebar. Perkecil sampai paling besar 4000 x 4000 piksel.", None
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return "Logo harus gambar PNG atau JPEG.", None
    image = image.convert("RGBA" if image.mode in ("P", "LA", "RGBA", "PA") else "RGB")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    name = f"logo-{secrets.token_hex(16)}.png"
    image.save(Path(upload_dir) / name, format="PNG")
    return None, name


OFFICIAL_LABELS = {"username": "Nama pengguna", "full_name": "Nama lengkap"}
USERNAME_RULE = "Nama pengguna 3-32 huruf kecil, angka, titik atau garis bawah, diawali huruf."


def username_error(username):
    """Usernames start with a letter: a login starting with a digit is read as a NIK."""
    return None if re.fullmatch(r"[a-z][a-z0-9_.]{2,31}", username) else USERNAME_RULE


def official_form(form):
    errors = {}
    values = _required(form, ("username", "full_name", "role"), errors, OFFICIAL_LABELS)
    values["username"] = values["username"].lower()
    if values["username"] and username_error(values["username"]):
        errors["username"] = USERNAME_RULE
    if values["role"] not in OFFICIAL_ROLES:
        errors["role"] = "Pilih jabatan."
    values["password"] = form.get("password") or ""
    if len(values["password"]) < PASSWORD_MIN:
        errors["password"] = f"Kata sandi paling sedikit {PASSWORD_MIN} huruf atau angka."
    return errors, values


LETTER_TYPE_ORDER = ("name", "code", "verifier", "validity_days", "requirements", "extra_fields",
                     "body_template")


def letter_type_form(form):
    """A letter type's values; requirement and extra-field lines become lists of dicts."""
    errors = {}
    values = _required(form, ("name", "code", "verifier", "body_template"), errors,
                       {"name": "Nama surat", "code": "Kode klasifikasi",
                        "body_template": "Isi surat"})
    if values["verifier"] not in VERIFIERS:
        errors["verifier"] = "Pilih Kasi yang memeriksa."
    days = _text(form, "validity_days")
    values["validity_days"] = int(days) if days.isdigit() and days.isascii() else 0
    if not 1 <= values["validity_days"] <= 3650:
        errors["validity_days"] = "Masa berlaku harus angka hari antara 1 dan 3650, misalnya 30."
    values["requirements"] = parse_lines(form.get("requirements"), 3, "requirements", errors)
    values["extra_fields"] = parse_lines(form.get("extra_fields"), 2, "extra_fields", errors)
    extra_keys = [field["key"] for field in values["extra_fields"]]
    if clash := sorted(set(extra_keys) & set(BODY_PLACEHOLDERS)):
        errors["extra_fields"] = "Kunci sudah dipakai isian bawaan: " + ", ".join(clash) + "."
    if values["body_template"] and (message := body_template_error(values["body_template"], extra_keys)):
        available = ", ".join(sorted(BODY_PLACEHOLDERS) + extra_keys)
        errors["body_template"] = f"{message} Isian yang tersedia: {available}."
    return _in_order(errors, LETTER_TYPE_ORDER), values


LINE_FORMATS = {3: "kunci|Label|wajib (atau opsional)", 2: "kunci|Label"}


def parse_lines(text, parts, name, errors):
    """Lines "key|Label[|wajib/opsional]" as dicts; the first bad line sets errors[name]."""
    items, keys = [], set()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        mandatory = len(cells) == 3 and cells[2].lower() in ("wajib", "opsional")
        if len(cells) != parts or not cells[1] or (parts == 3 and not mandatory):
            errors[name] = f"Baris {number} harus ditulis {LINE_FORMATS[parts]}."
        elif not (cells[0].isidentifier() and cells[0].isascii() and cells[0].islower()):
            errors[name] = (f"Baris {number}: kunci \"{cells[0]}\" hanya boleh huruf kecil, angka "
                            "dan garis bawah, diawali huruf (misalnya nama_usaha).")
        elif cells[0] in keys:
            errors[name] = f"Baris {number}: kunci \"{cells[0]}\" dipakai dua kali."
        else:
            keys.add(cells[0])
            item = {"key": cells[0], "label": cells[1]}
            if parts == 3:
                item["mandatory"] = cells[2].lower() == "wajib"
            items.append(item)
        if name in errors:
            return items
    return items


def lines_of(items):
    """Lists of dicts back into the lines the form shows."""
    return "\n".join("|".join([item["key"], item["label"]] + (
        ["wajib" if item["mandatory"] else "opsional"] if "mandatory" in item else []))
        for item in items)

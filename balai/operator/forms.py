"""The village profile form: names, paper, time zone, public address, number format, logo."""
import secrets
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from balai.letters.text import number_format_error
from balai.media import ImageError, TooManyPixels, logo_key, logo_png
from balai.people.contact import is_email
from balai.people.models import Village
from balai.storage import documents
from balai.web.forms import required

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000  # a logo is shrunk to 600 px; a wider file is the wrong file


VILLAGE_LABELS = {"name": "Nama desa", "kecamatan": "Kecamatan", "kabupaten": "Kabupaten",
                  "provinsi": "Provinsi", "kode_desa": "Kode desa", "kades_name": "Nama Kepala Desa"}
VILLAGE_TEXT = ("name", "kecamatan", "kabupaten", "provinsi", "kode_desa", "address", "kades_name",
                "phone", "email", "paper", "timezone", "public_url", "number_format")


def village_form(form, logo):
    """The profile's values; a new logo is stored only when everything else is right."""
    errors = {}
    values = required(form, VILLAGE_TEXT, errors, VILLAGE_LABELS)
    if values["email"] and not is_email(values["email"]):
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
        logo_error, name = save_logo(logo)
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


def save_logo(upload):
    """(error, file name): a PNG or JPEG by its content, re-encoded, under a random name."""
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        return "Logo terlalu besar. Paling besar 1 MB.", None
    try:
        png = logo_png(data, LOGO_MAX_PIXELS)
    except TooManyPixels:
        return "Gambar logo terlalu lebar. Perkecil sampai paling besar 4000 x 4000 piksel.", None
    except ImageError:
        return "Logo harus gambar PNG atau JPEG.", None
    name = f"logo-{secrets.token_hex(16)}.png"
    documents().put(logo_key(name), png)
    return None, name

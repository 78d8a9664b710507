"""The village profile form: names, paper, time zone, public address, number format, logo; the
access log's filters."""
import datetime
import secrets
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from balai.db import utc_naive
from balai.letters.text import number_format_error
from balai.media import ImageError, TooManyPixels, logo_key, logo_png
from balai.people.contact import is_email
from balai.storage import documents
from balai.villages.models import Village
from balai.web.forms import in_order, parse_date, required, text

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


LOG_FILTERS = ("petugas", "warga", "dari", "sampai")  # and penduduk: a resident's id, by link


def access_log_filters(args, timezone):
    """The access log's GET filters as AccessLogEntry.filtered's arguments, and what is wrong
    with them. A resident is named, or picked by id from a row's link: never by NIK, which
    would land in the URL (and every log that keeps URLs)."""
    errors, filters = {}, {"viewer": args.get("petugas", type=int),
                           "person": args.get("penduduk", type=int), "name": text(args, "warga")}
    if any(char.isdigit() for char in filters["name"]):
        errors["warga"] = ("Cari warga dengan namanya, tanpa angka. NIK tidak dipakai di sini "
                           "agar tidak tercatat di alamat halaman.")
        filters["name"] = ""
    zone = ZoneInfo(timezone)
    for name, key, days in (("dari", "start", 0), ("sampai", "end", 1)):
        if text(args, name):
            day = parse_date(args[name])
            if day is None:
                errors[name] = "Tanggal tidak dikenali. Tulis seperti 17-08-2026."
            else:  # the village's whole day: "sampai" includes its last day
                midnight = datetime.datetime.combine(day + datetime.timedelta(days=days),
                                                     datetime.time(), zone)
                filters[key] = utc_naive(midnight)
    if filters.get("start") and filters.get("end") and filters["start"] >= filters["end"]:
        errors["sampai"] = "Tanggal akhir harus sama dengan atau sesudah tanggal awal."
    return filters, in_order(errors, LOG_FILTERS)

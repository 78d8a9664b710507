"""A new village in the installation: its profile and host, its own number format and register
(the register is its rows: a new village starts at number 1), its notification sender name, the
regency's letter types copied from the template village when asked, its own signing CA. Called by
`flask --app app add-village` (balai.founding.cli) and by the regency office's form; no web code
here."""
import re

from flask import current_app, has_app_context
from peewee import IntegrityError

from balai.db import db
from balai.letters.letter_types import LetterType
from balai.signing import keys as signing
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village

TEMPLATE_VILLAGE = 1  # the installation's first village holds the regency's letter types
COPIED_PROFILE = ("kecamatan", "kabupaten", "provinsi", "paper", "timezone", "number_format")


# One DNS name: dot-separated labels of letters, digits and inner hyphens (no scheme, no port).
HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
                       r"(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


class FoundingError(ValueError):
    """A village that cannot be added as asked: `errors`, a message per field ("name", "host")
    in Bahasa Indonesia that says how to fix it; the message joins them."""

    def __init__(self, errors):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def founding_errors(name, host):
    """What is wrong with a new village's name and host (stripped, the host lowercased)."""
    errors = {}
    if not name:
        errors["name"] = "Nama desa wajib diisi, misalnya Desa Sukamaju."
    if message := host_error(host):
        errors["host"] = message
    return errors


def host_error(host):
    """What is wrong with a village's host (stripped, lowercased), or None."""
    if not host:
        return "Nama host wajib diisi, misalnya sukamaju.desa.id."
    if not HOST_NAME.fullmatch(host):
        return ("Tulis nama host saja: huruf, angka, titik dan tanda hubung, tanpa http://, "
                "garis miring, spasi atau port, misalnya sukamaju.desa.id.")
    if host == regency_host():  # that host chooses no village: the village would be unreachable
        return f"Host {host} adalah alamat kantor kabupaten. Pilih host lain."
    return None


def first_host_error(hostless, first_host, host):
    """What is wrong with the host given to the village that had none, or None."""
    if not first_host:
        return (f"{hostless.name} belum punya alamat web sendiri: dengan dua desa, tiap desa "
                f"hanya menjawab di alamatnya sendiri. Isi alamat web {hostless.name} dulu.")
    if first_host == host:
        return "Alamat web dua desa harus berbeda."
    return host_error(first_host)


def regency_host():
    """The regency office's own host (REGENCY_HOST), lowercased; '' when there is none."""
    return (current_app.config.get("REGENCY_HOST") or "").lower() if has_app_context() else ""


def add_village(name, host, from_template=False, store=None, ca_passphrase=None,
                first_host=None):
    """Add the village and return (village, what was made, what remains to do: lines in Bahasa
    Indonesia). With a document store and a CA passphrase its signing CA is made now; else the
    village's officials make it with `signing-setup`. A village that ran alone may have no host
    (it answered on any): `first_host` is then its own, given in the same transaction, for
    with two villages each answers on its own host alone."""
    name, host = (name or "").strip(), (host or "").strip().lower()
    first_host = (first_host or "").strip().lower()
    errors = founding_errors(name, host)
    hostless = Village.get_or_none(Village.host.is_null())
    if hostless is not None and (message := first_host_error(hostless, first_host, host)):
        errors["first_host"] = message
    if errors:
        raise FoundingError(errors)
    try:
        with db.atomic():
            if hostless is not None:
                hostless.host = first_host
                hostless.save()
            village, made = found(name, host, from_template)
    except IntegrityError:  # the host's unique index: another village has it
        raise FoundingError({"host": f"Host {host} sudah dipakai desa lain. Pilih host lain."})
    if hostless is not None:
        made.insert(0, f"{hostless.name} kini menjawab di https://{first_host} saja")
    to_do = [(f"Arahkan DNS {host} ke server ini dan pasang sertifikat HTTPS-nya (bila belum "
              "tercakup sertifikat wildcard)."),
             (f"Buat akun operator desa: Tambah operator di halaman kabupaten, atau `flask --app "
              f"app create-user --role operator --village {host}`.")]
    if store is not None and ca_passphrase:
        with village_context(village.id):
            signing.village_ca(store, ca_passphrase, name)
        made.append("CA tanda tangan desa sendiri dibuat")
    else:  # its passphrase is the village's to keep: made with the Kades, on the server
        to_do.append("CA tanda tangan desa dibuat pengelola server bersama Kepala Desa: `flask "
                     f"--app app signing-setup --village {host}`.")
    return village, made, to_do


def found(name, host, from_template):
    """The village's row, its profile copied from the template village, and its letter types
    when asked; (village, what was made)."""
    template = Village.get_or_none(Village.id == TEMPLATE_VILLAGE)
    profile = {field: getattr(template, field) for field in COPIED_PROFILE} if template else {}
    village = Village.create(name=name, host=host, sender_name=name, public_url=f"https://{host}",
                             **profile)
    made = [f"{name} (nomor {village.id}) di https://{host}",
            f"Format nomor surat: {village.number_format}; register mulai dari nomor 1",
            f"Nama pengirim notifikasi: {village.sender_name}"]
    if from_template:
        copied = copy_letter_types(TEMPLATE_VILLAGE, village.id)
        made.append(f"{copied} jenis surat disalin dari desa templat")
    return village, made


def plain_host(host):
    """The host a village answers on, lowercased; FoundingError when it is not a bare name."""
    host = (host or "").strip().lower()
    if message := host_error(host):
        raise FoundingError({"host": message})
    return host


def copy_letter_types(source, target):
    """The source village's letter types as the target's own (copies: each then its own)."""
    with village_context(source):
        rows = [dict(row.__data__) for row in LetterType.select()]
    with village_context(target):
        for row in rows:
            row.pop("id")
            row.pop("village")
            LetterType.create(**row)
    return len(rows)


def village_ids():
    """Every village's id, in order."""
    with across_villages():
        return [village.id for village in Village.select(Village.id).order_by(Village.id)]

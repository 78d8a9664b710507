"""A new village in the installation: its profile and host, its own number format and register
(the register is its rows: a new village starts at number 1), its notification sender name, the
regency's letter types copied from the template village when asked, its own signing CA. Called by
`flask --app app add-village` (balai.founding.cli) and by the regency office's form; no web code
here."""
from balai.db import db
from balai.letters.letter_types import LetterType
from balai.signing import keys as signing
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village

TEMPLATE_VILLAGE = 1  # the installation's first village holds the regency's letter types
COPIED_PROFILE = ("kecamatan", "kabupaten", "provinsi", "paper", "timezone", "number_format")


class FoundingError(ValueError):
    """A village that cannot be added as asked; the message says why, in Bahasa Indonesia."""


def add_village(name, host, from_template=False, store=None, ca_passphrase=None):
    """Add the village and return (village, what was made: lines in Bahasa Indonesia). With a
    document store and a CA passphrase its signing CA is made now; else by `signing-setup`."""
    name, host = (name or "").strip(), plain_host(host)
    if not name:
        raise FoundingError("Nama desa dan nama host (tanpa http:// dan port) wajib diisi.")
    with db.atomic():
        if Village.select().where(Village.host == host).exists():
            raise FoundingError(f"Host {host} sudah dipakai desa lain.")
        template = Village.get_or_none(Village.id == TEMPLATE_VILLAGE)
        profile = {field: getattr(template, field) for field in COPIED_PROFILE} if template else {}
        village = Village.create(name=name, host=host, sender_name=name,
                                 public_url=f"https://{host}", **profile)
        made = [f"Desa {name} (nomor {village.id}) di https://{host}",
                f"Format nomor surat: {village.number_format}; register mulai dari nomor 1",
                f"Nama pengirim notifikasi: {village.sender_name}"]
        if from_template:
            copied = copy_letter_types(TEMPLATE_VILLAGE, village.id)
            made.append(f"{copied} jenis surat disalin dari desa templat")
    if store is not None and ca_passphrase:
        with village_context(village.id):
            signing.village_ca(store, ca_passphrase, name)
        made.append("CA tanda tangan desa sendiri dibuat")
    else:
        made.append("CA tanda tangan: buat dengan `flask --app app signing-setup --village "
                    f"{host}`")
    return village, made


def plain_host(host):
    """The host a village answers on, lowercased; FoundingError when it is not a bare name."""
    host = (host or "").strip().lower()
    if not host or "/" in host or ":" in host:
        raise FoundingError("Nama desa dan nama host (tanpa http:// dan port) wajib diisi.")
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

"""Letter body templates and the number format: a fixed list of placeholders, a sandbox."""
import string

from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

BODY_PLACEHOLDERS = {
    "nama": "Nama lengkap", "nik": "NIK", "no_kk": "Nomor KK", "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir", "jenis_kelamin": "Jenis kelamin", "agama": "Agama",
    "status_perkawinan": "Status perkawinan", "pekerjaan": "Pekerjaan",
    "kewarganegaraan": "Kewarganegaraan", "alamat": "Alamat", "rt": "RT", "rw": "RW",
    "dusun": "Dusun", "keperluan": "Keperluan", "desa": "Nama desa", "kecamatan": "Kecamatan",
    "kabupaten": "Kabupaten", "berlaku_sampai": "Tanggal akhir masa berlaku",
}
NUMBER_PLACEHOLDERS = {"kode", "nomor", "kode_desa", "bulan", "bulan_romawi", "tahun"}
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

_env = SandboxedEnvironment(autoescape=True)


def body_template_error(source, extra_keys=()):
    """A message saying what is wrong with a body template, or None when it may be saved."""
    try:
        names = meta.find_undeclared_variables(_env.parse(source))
    except TemplateSyntaxError as error:
        return f"Templat tidak dapat dibaca (baris {error.lineno}): periksa tanda {{{{ dan }}}}."
    unknown = sorted(names - set(BODY_PLACEHOLDERS) - set(extra_keys))
    if unknown:
        return "Isian tidak dikenal: " + ", ".join(unknown) + ". Gunakan hanya isian yang tersedia."
    return None


def render_body(source, values):
    """The body as HTML-escaped text; only placeholders, never attributes or calls of ours."""
    return _env.from_string(source).render(values)


def number_format_error(fmt):
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(fmt) if name is not None]
    except ValueError:
        return "Format nomor tidak dapat dibaca: periksa tanda { dan }."
    unknown = sorted({name for name, _ in fields} - NUMBER_PLACEHOLDERS)
    if unknown:
        return "Isian tidak dikenal di format nomor: " + ", ".join(unknown) + "."
    if "nomor" not in {name for name, _ in fields}:
        return "Format nomor harus memuat {nomor}."
    try:
        format_number(fmt, kode="470", nomor=1, kode_desa="0000", month=1, year=2026)
    except (ValueError, TypeError):
        return "Format nomor tidak valid. Contoh: {kode}/{nomor:03}/{kode_desa}/{bulan_romawi}/{tahun}"
    return None


def format_number(fmt, kode, nomor, kode_desa, month, year):
    values = {"kode": kode, "nomor": nomor, "kode_desa": kode_desa, "bulan": month,
              "bulan_romawi": ROMAN_MONTHS[month - 1], "tahun": year}
    return _env.from_string("{{ fmt.format_map(values) }}").render(fmt=fmt, values=values)

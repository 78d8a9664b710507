"""Letter body templates and the number format: a fixed list of placeholders, a sandbox.

A body may hold only text, placeholders (a few case filters allowed) and {% if %}: no loops,
calls, operators or blocks, so rendering takes time in proportion to the template. The same
check runs when a template is saved and each time it is rendered, so one saved before these
rules fails fast at rendering instead of hanging it."""
import string

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

BODY_PLACEHOLDERS = {
    "nama": "Nama lengkap", "nik": "NIK", "no_kk": "Nomor KK", "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir", "jenis_kelamin": "Jenis kelamin", "agama": "Agama",
    "status_perkawinan": "Status perkawinan", "pekerjaan": "Pekerjaan",
    "kewarganegaraan": "Kewarganegaraan", "alamat": "Alamat", "rt": "RT", "rw": "RW",
    "dusun": "Dusun", "keperluan": "Keperluan", "desa": "Nama desa", "kecamatan": "Kecamatan",
    "kabupaten": "Kabupaten", "berlaku_sampai": "Tanggal akhir masa berlaku",
}
BODY_FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default")
BODY_NODES = (nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.Filter, nodes.If,
              nodes.CondExpr, nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not,
              nodes.Concat)
BLOCK_TAGS = {nodes.For: "for", nodes.Macro: "macro", nodes.CallBlock: "call",
              nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from",
              nodes.Extends: "extends", nodes.Block: "block", nodes.Assign: "set",
              nodes.AssignBlock: "set", nodes.With: "with", nodes.FilterBlock: "filter",
              nodes.Scope: "autoescape"}
MAX_BODY = 20_000  # characters of a body, template or letter: several pages
NUMBER_PLACEHOLDERS = {"kode", "nomor", "kode_desa", "bulan", "bulan_romawi", "tahun"}
# A width of one digit, zero-padded or not ({nomor:3}, {nomor:03}), is all a number needs.
NUMBER_SPECS = {"", *"123456789", *(f"0{width}" for width in "123456789")}
MAX_NUMBER = 80  # characters of a letter number
NUMBER_EXAMPLE = "{kode}/{nomor:03}/{kode_desa}/{bulan_romawi}/{tahun}"
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# The placeholders are the only names: no range, lipsum, cycler, joiner, namespace or dict.
_env = SandboxedEnvironment(autoescape=True)
_env.globals.clear()
_env.filters = {name: _env.filters[name] for name in BODY_FILTERS}
_env.tests = {}


class TemplateError(ValueError):
    """A body template or number format that cannot be used; the message (Bahasa Indonesia)
    says what to change."""


def body_template_error(source, extra_keys=()):
    """A message saying what is wrong with a body template, or None when it may be saved."""
    try:
        names = meta.find_undeclared_variables(_parsed(source))
        unknown = sorted(names - set(BODY_PLACEHOLDERS) - set(extra_keys))
        if unknown:
            return ("Isian tidak dikenal: " + ", ".join(unknown) + ". Gunakan hanya isian yang "
                    "tersedia.")
        render_body(source, {**BODY_PLACEHOLDERS, **{key: key for key in extra_keys}})
    except TemplateError as error:
        return str(error)
    return None


def render_body(source, values):
    """The body as HTML-escaped text; TemplateError for a template outside the rules or a
    letter longer than MAX_BODY characters."""
    body, length = [], 0
    for chunk in _env.from_string(_parsed(source)).generate(values):
        length += len(chunk)
        if length > MAX_BODY:
            raise TemplateError(f"Isi surat terlalu panjang: lebih dari {MAX_BODY} huruf. "
                                "Persingkat isi suratnya.")
        body.append(chunk)
    return "".join(body)


def _parsed(source):
    """The template's syntax tree, once it holds nothing but BODY_NODES and BODY_FILTERS."""
    if len(source) > MAX_BODY:
        raise TemplateError(f"Templat terlalu panjang: paling banyak {MAX_BODY} huruf.")
    try:
        tree = _env.parse(source)
        parts = list(tree.find_all(nodes.Node))
    except TemplateSyntaxError as error:
        raise TemplateError(f"Templat tidak dapat dibaca (baris {error.lineno}): periksa tanda "
                            "{{ dan }}.") from None
    except (RecursionError, ValueError):  # brackets nested thousands deep, a 5,000-digit number
        raise TemplateError("Templat tidak dapat dibaca: terlalu rumit. Tulis isian di antara "
                            "{{ dan }}, misalnya {{ nama }}.") from None
    for node in parts:
        _check(node)
    return tree


def _check(node):
    where = f" (baris {node.lineno})" if node.lineno else ""
    if tag := BLOCK_TAGS.get(type(node)):
        raise TemplateError(f"Perintah {{% {tag} %}}{where} tidak dapat dipakai di isi surat. "
                            "Yang dapat dipakai hanya isian seperti {{ nama }} dan {% if %}.")
    if isinstance(node, nodes.Filter) and node.name not in BODY_FILTERS:
        raise TemplateError(f"Penyaring |{node.name}{where} tidak dapat dipakai. Yang dapat "
                            "dipakai: " + ", ".join(BODY_FILTERS) + ".")
    if not isinstance(node, BODY_NODES):
        raise TemplateError(f"Isi surat hanya boleh memuat teks dan isian seperti {{{{ nama }}}}, "
                            f"tanpa hitungan, pemanggilan fungsi atau atribut{where}.")


def number_format_error(fmt):
    """A message saying what is wrong with a number format, or None when it may be saved."""
    try:
        format_number(fmt, kode="470", nomor=1, kode_desa="0000", month=1, year=2026)
    except TemplateError as error:
        return str(error)
    return None


def format_number(fmt, kode, nomor, kode_desa, month, year):
    """The letter number; TemplateError for a format outside the documented forms (a
    placeholder, {nomor:03} for a zero-padded width) or a number over MAX_NUMBER characters."""
    _check_number_format(fmt)
    values = {"kode": kode, "nomor": nomor, "kode_desa": kode_desa, "bulan": month,
              "bulan_romawi": ROMAN_MONTHS[month - 1], "tahun": year}
    number = fmt.format_map(values)
    if len(number) > MAX_NUMBER:
        raise TemplateError(f"Format nomor menghasilkan nomor lebih dari {MAX_NUMBER} huruf. "
                            f"Contoh: {NUMBER_EXAMPLE}")
    return number


def _check_number_format(fmt):
    try:
        fields = [field for field in string.Formatter().parse(fmt) if field[1] is not None]
    except ValueError:
        raise TemplateError("Format nomor tidak dapat dibaca: periksa tanda { dan }.") from None
    unknown = sorted({name for _, name, _, _ in fields} - NUMBER_PLACEHOLDERS)
    if unknown:
        raise TemplateError("Isian tidak dikenal di format nomor: " + ", ".join(unknown) + ".")
    if any(spec not in NUMBER_SPECS or conversion for _, _, spec, conversion in fields):
        raise TemplateError("Isian di format nomor hanya boleh ditulis seperti {nomor} atau "
                            f"{{nomor:03}} (tiga angka, nol di depan). Contoh: {NUMBER_EXAMPLE}")
    if "nomor" not in {name for _, name, _, _ in fields}:
        raise TemplateError("Format nomor harus memuat {nomor}.")

"""The operator's letter type form: names, the Kasi who checks, syarat, extra fields, body."""
from balai.letters.letter_types import SERVICE_DAYS, STEP_DAYS
from balai.letters.text import BODY_PLACEHOLDERS, body_template_error
from balai.letters.workdays import REASON_MAX
from balai.letters.workflow import ROUTE, STEPS, VERIFIER_TITLES
from balai.web.access import ROLES
from balai.web.forms import in_order, parse_date, required, text

VERIFIERS = {role: ROLES[role] for role in VERIFIER_TITLES}  # the choices, by full title


OFFICIAL_TITLES = {"kasi": "Kasi yang memeriksa", "sekdes": "Sekretaris Desa",
                   "kades": "Kepala Desa"}
# The standard's fields: a target for each step with an official, as the form names them.
STEP_FIELDS = {f"step_{state}": (state, OFFICIAL_TITLES[STEPS[state].official])
               for state in ROUTE if STEPS[state].official}
SERVICE_DAYS_MAX, STEP_DAYS_MAX = 60, 30
LETTER_TYPE_ORDER = ("name", "code", "verifier", "validity_days", "service_days", *STEP_FIELDS,
                     "requirements", "extra_fields", "body_template")


def whole_number(form, name):
    """A form's whole number (ASCII digits only); 0 for anything else."""
    value = text(form, name)
    return int(value) if value.isdigit() and value.isascii() else 0


def standard_form(form, values, errors):
    """The published standard: working days to complete, and a target per step within it."""
    values["service_days"] = whole_number(form, "service_days")
    values["step_days"] = {state: whole_number(form, name)
                           for name, (state, _) in STEP_FIELDS.items()}
    for name, (state, title) in STEP_FIELDS.items():
        if not 1 <= values["step_days"][state] <= STEP_DAYS_MAX:
            errors[name] = (f"Target {title} harus angka hari kerja antara 1 dan "
                            f"{STEP_DAYS_MAX}, misalnya 1.")
    steps = sum(values["step_days"].values())
    if not 1 <= values["service_days"] <= SERVICE_DAYS_MAX:
        errors["service_days"] = (f"Waktu penyelesaian harus angka hari kerja antara 1 dan "
                                  f"{SERVICE_DAYS_MAX}, misalnya 3.")
    elif not any(name in errors for name in STEP_FIELDS) and steps > values["service_days"]:
        errors["service_days"] = (f"Waktu penyelesaian paling sedikit jumlah target tiap "
                                  f"langkah: {steps} hari kerja.")


def standard_values(letter_type=None):
    """What the standard's fields show: the type's standard, or a new type's."""
    if letter_type is None:
        return {"service_days": SERVICE_DAYS, **{name: STEP_DAYS for name in STEP_FIELDS}}
    return {"service_days": letter_type.service_days,
            **{name: letter_type.step_target(state) for name, (state, _) in STEP_FIELDS.items()}}


def letter_type_form(form):
    """A letter type's values; requirement and extra-field lines become lists of dicts."""
    errors = {}
    values = required(form, ("name", "code", "verifier", "body_template"), errors,
                       {"name": "Nama surat", "code": "Kode klasifikasi",
                        "body_template": "Isi surat"})
    if values["verifier"] not in VERIFIERS:
        errors["verifier"] = "Pilih Kasi yang memeriksa."
    values["validity_days"] = whole_number(form, "validity_days")
    if not 1 <= values["validity_days"] <= 3650:
        errors["validity_days"] = "Masa berlaku harus angka hari antara 1 dan 3650, misalnya 30."
    standard_form(form, values, errors)
    values["requirements"] = parse_lines(form.get("requirements"), 3, "requirements", errors)
    values["extra_fields"] = parse_lines(form.get("extra_fields"), 2, "extra_fields", errors)
    extra_keys = [field["key"] for field in values["extra_fields"]]
    if clash := sorted(set(extra_keys) & set(BODY_PLACEHOLDERS)):
        errors["extra_fields"] = "Kunci sudah dipakai isian bawaan: " + ", ".join(clash) + "."
    if values["body_template"] and (message := body_template_error(values["body_template"], extra_keys)):
        available = ", ".join(sorted(BODY_PLACEHOLDERS) + extra_keys)
        errors["body_template"] = f"{message} Isian yang tersedia: {available}."
    return in_order(errors, LETTER_TYPE_ORDER), values


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


def day_off_form(form, is_working):
    """A village day off: a date that would be a working day, and why the office closes."""
    errors = {}
    values = required(form, ("date", "reason"), errors,
                      {"date": "Tanggal", "reason": "Keterangan"})
    values["date"] = parse_date(values["date"])
    if "date" not in errors and values["date"] is None:
        errors["date"] = "Tulis tanggal seperti 17-08-2026."
    elif values["date"] and not is_working(values["date"]):
        errors["date"] = "Tanggal itu sudah bukan hari kerja (akhir pekan atau hari libur nasional)."
    if len(values["reason"]) > REASON_MAX:
        errors["reason"] = (f"Keterangan terlalu panjang: paling banyak {REASON_MAX} huruf "
                            f"(sekarang {len(values['reason'])}).")
    return errors, values
